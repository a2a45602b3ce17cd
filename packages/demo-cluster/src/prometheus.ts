/**
 * startPrometheus(): the real Prometheus server (the Debian/Ubuntu `prometheus` package) for
 * tests and the demo, scraping the demo cluster's metrics exporter. It runs from a temporary
 * directory (generated configuration and TSDB), listens on 127.0.0.1 only and is removed
 * without a trace by `stop()`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface PrometheusOptions {
  /** `host:port` of each exporter to scrape (at `/metrics`). */
  scrapeTargets: string[];
  /** Scrape (and rule evaluation) interval in seconds; default 1. */
  scrapeIntervalSeconds?: number;
  /** The Prometheus binary; default `/usr/bin/prometheus`. */
  binary?: string;
  /** How long to wait for `/-/ready` and the first scrapes, in ms; default 30000. */
  readyTimeoutMs?: number;
  /**
   * Resolve only once every target has been scraped (Prometheus applies new
   * targets about 5 s after start); default true. False resolves at `/-/ready`.
   */
  waitForFirstScrape?: boolean;
}

export interface PrometheusServer {
  /** `http://127.0.0.1:PORT`: the HTTP API is at `${url}/api/v1/...`. */
  url: string;
  /** The temporary directory holding `prometheus.yml` and the TSDB (`data/`). */
  dir: string;
  /** Stops the server (SIGTERM, SIGKILL after 5 s) and removes its directory. */
  stop(): Promise<void>;
}

/** The Prometheus configuration (YAML, written as JSON) scraping `targets`. */
export function prometheusConfig(targets: string[], intervalSeconds: number): string {
  const interval = `${Math.round(intervalSeconds * 1000)}ms`;
  return `${JSON.stringify(
    {
      global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
      scrape_configs: [
        {
          job_name: 'kubecopilot-demo-cluster',
          metrics_path: '/metrics',
          scheme: 'http',
          static_configs: [{ targets }],
        },
      ],
    },
    null,
    2,
  )}\n`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function checkBinary(binary: string) {
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    throw new Error(
      `Prometheus is not installed (no executable ${binary}): install it with \`apt-get install prometheus\` (Debian/Ubuntu), or pass the path of a Prometheus 2.x binary as \`binary\``,
    );
  }
}

/** Whether every active target has been scraped at least once (up or down). */
async function allScraped(url: string, count: number): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(1_000) });
    if (!res.ok) return false;
    const body = (await res.json()) as { data?: { activeTargets?: { health?: string }[] } };
    const targets = body.data?.activeTargets ?? [];
    return targets.length >= count && targets.every(t => t.health === 'up' || t.health === 'down');
  } catch {
    return false;
  }
}

/**
 * Starts Prometheus scraping `scrapeTargets`; resolves once it answers `/-/ready` and (unless
 * `waitForFirstScrape` is false) has scraped every target once.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const binary = options.binary ?? DEFAULT_PROMETHEUS_BINARY;
  const interval = options.scrapeIntervalSeconds ?? 1;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  if (!Array.isArray(options.scrapeTargets) || options.scrapeTargets.length === 0) {
    throw new Error('startPrometheus needs at least one scrape target (host:port)');
  }
  for (const target of options.scrapeTargets) {
    if (typeof target !== 'string' || !/^(\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+):\d{1,5}$/.test(target)) {
      throw new Error(`invalid scrape target ${JSON.stringify(target)}: expected host:port, e.g. 127.0.0.1:9464`);
    }
  }
  if (!(interval > 0) || interval > 3600) {
    throw new Error(`scrapeIntervalSeconds must be between 0 and 3600, got ${interval}`);
  }
  checkBinary(binary);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecopilot-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, prometheusConfig(options.scrapeTargets, interval));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  let child: ChildProcess;
  try {
    child = spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=1d',
        '--log.level=warn',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (e) {
    removeDir();
    throw e;
  }
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 20));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exit = new Promise<void>(resolve => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once('error', e => {
      spawnError = e;
      exited ??= { code: null, signal: null };
      resolve();
    });
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(timer);
      }
      removeDir();
    })();
    return stopped;
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      const why = spawnError
        ? spawnError.message
        : `exited with ${exited.signal ? `signal ${exited.signal}` : `code ${exited.code}`}`;
      throw new Error(`Prometheus (${binary}) did not start: ${why}${output.length ? `\n${output.join('\n')}` : ''}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `Prometheus (${binary}) was not ready at ${url}/-/ready within ${readyTimeoutMs} ms${output.length ? `\n${output.join('\n')}` : ''}`,
      );
    }
    await sleep(100);
  }
  if (options.waitForFirstScrape ?? true) {
    for (;;) {
      if (await allScraped(url, options.scrapeTargets.length)) break;
      if (exited || Date.now() > deadline) {
        await stop();
        throw new Error(
          `Prometheus (${binary}) at ${url} did not scrape ${options.scrapeTargets.join(', ')} within ${readyTimeoutMs} ms${output.length ? `\n${output.join('\n')}` : ''}`,
        );
      }
      await sleep(200);
    }
  }
  return { url, dir, stop };
}
