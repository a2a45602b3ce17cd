import { Browser, Page, chromium } from 'playwright-core';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  DemoCluster,
  PrometheusServer,
  startDemoCluster,
  startPrometheus,
} from '@kubecopilot/demo-cluster';

// This harness only ever runs from source, where __dirname is src/.
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '../../..');
const appDir = path.join(repoRoot, 'packages/app');
const backendDir = path.join(repoRoot, 'packages/backend');

/**
 * Where the browser is expected: the Debian package's path unless
 * KUBECOPILOT_CHROMIUM says otherwise (the same variable `npm test` reads).
 */
export const chromiumPath =
  process.env.KUBECOPILOT_CHROMIUM ?? '/usr/bin/chromium';

/** The sources the built app is made of; a newer file means dist is stale. */
const appSourceDirs = [
  'packages/app/src',
  'packages/app/public',
  'plugins/kubecopilot/src',
  'plugins/kubecopilot-common/src',
].map(dir => path.join(repoRoot, dir));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs,
    );
  }
  return newest;
}

/**
 * Builds `packages/app` unless its dist is newer than every source file it is
 * built from, so the test never runs against a stale bundle.
 */
export function ensureAppBuilt(log: (line: string) => void): void {
  const index = path.join(appDir, 'dist/index.html');
  const builtAt = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sourcesAt = Math.max(...appSourceDirs.map(newestMtime));
  if (builtAt > sourcesAt) {
    return;
  }
  log(
    builtAt
      ? 'packages/app/dist is older than its sources; rebuilding it'
      : 'packages/app/dist is missing; building it',
  );
  const result = spawnSync(
    process.execPath,
    [require.resolve('@backstage/cli/bin/backstage-cli'), 'package', 'build'],
    {
      cwd: appDir,
      encoding: 'utf8',
      stdio: 'pipe',
      // Jest sets NODE_ENV=test, which selects no browserslist environment.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `Building packages/app failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Keeps the last lines a process printed, for the failure message. */
class OutputTail {
  private lines: string[] = [];
  constructor(private readonly max: number) {}
  push(chunk: Buffer) {
    this.lines.push(...chunk.toString('utf8').split('\n'));
    this.lines.splice(0, Math.max(0, this.lines.length - this.max));
  }
  toString() {
    return this.lines.join('\n');
  }
}

export interface Stack {
  baseUrl: string;
  /** The demo cluster the backend talks to, to check what a plan changed. */
  cluster: DemoCluster;
  /** The backend's recent output, to explain a failure. */
  backendOutput(): string;
  stop(): Promise<void>;
}

/**
 * Starts the demo cluster and the real backend (which serves the built app),
 * and resolves once KubeCopilot's health endpoint answers.
 */
/** What {@link startStack} starts besides the demo cluster and the backend. */
export interface StackOptions {
  startupTimeoutMs: number;
  /** Also run the demo cluster's metrics exporter and a real Prometheus scraping it. */
  prometheus?: boolean;
  /**
   * Run the demo's findings scan (app-config.demo.yaml). Off unless a suite
   * looks at findings: its diagnoses of every entity would compete with the
   * screens a suite measures.
   */
  findingsScan?: boolean;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const cluster = await startDemoCluster({
    port: 0,
    scenarios: [path.join(repoRoot, 'examples/scenarios')],
    ...(options.prometheus ? { metricsPort: 0 } : {}),
  });
  let prometheus: PrometheusServer | undefined;
  if (options.prometheus) {
    try {
      prometheus = await startPrometheus({
        scrapeTargets: [`127.0.0.1:${cluster.metricsPort}`],
        scrapeIntervalSeconds: 1,
      });
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  let backend: ChildProcess | undefined;
  const output = new OutputTail(200);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecopilot-e2e-'));

  const stop = async () => {
    if (backend && backend.exitCode === null && backend.pid) {
      const exited = new Promise(resolve => backend!.once('exit', resolve));
      // The backend runs in its own process group; end all of it.
      process.kill(-backend.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-backend!.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    await prometheus?.stop();
    await cluster.stop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };

  try {
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    // The app is served by the backend's app plugin, so both share one origin.
    const configFile = path.join(tmpDir, 'app-config.e2e.yaml');
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        app: { baseUrl },
        backend: {
          baseUrl,
          listen: { port },
          cors: { origin: baseUrl },
        },
        kubecopilot: {
          findings: { scan: { enabled: options.findingsScan ?? false } },
          // As `npm start` without Prometheus: none configured, rather than
          // app-config.yaml's 127.0.0.1:9090 reported unreachable.
          ...(prometheus ? {} : { prometheus: { clusters: [] } }),
        },
      }),
    );

    backend = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        // The demo's guest and reviewer sign-in, as `npm start` loads it.
        '--config',
        path.join(repoRoot, 'app-config.demo.yaml'),
        '--config',
        configFile,
      ],
      {
        cwd: backendDir,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          NODE_ENV: 'development',
          KUBECOPILOT_DEMO_CLUSTER_URL: cluster.url,
          KUBECOPILOT_DEMO_CLUSTER_TOKEN: cluster.token,
          KUBECOPILOT_DEMO_CLUSTER_CA_DATA: cluster.caData,
          ...(prometheus
            ? { KUBECOPILOT_DEMO_PROMETHEUS_URL: prometheus.url }
            : {}),
        },
      },
    );
    backend.stdout!.on('data', chunk => output.push(chunk));
    backend.stderr!.on('data', chunk => output.push(chunk));

    const deadline = Date.now() + options.startupTimeoutMs;
    for (;;) {
      if (backend.exitCode !== null) {
        throw new Error(
          `The backend exited with code ${backend.exitCode} before it was healthy:\n${output}`,
        );
      }
      try {
        const res = await fetch(`${baseUrl}/api/kubecopilot/health`);
        if (res.ok) {
          break;
        }
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `The backend was not healthy within ${options.startupTimeoutMs} ms:\n${output}`,
        );
      }
      await sleep(500);
    }

    return {
      baseUrl,
      cluster,
      backendOutput: () => output.toString(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Headless Chromium with the flags this machine needs (no sandbox as root, no background networking). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
    ],
  });
}

/** A browser signed in to the stack as guest, with failure reporting. */
export interface GuestSession {
  browser: Browser;
  page: Page;
  /** Uncaught errors of the session's pages; other pages may add theirs. */
  pageErrors: string[];
  /** Runs a test body; on failure, adds what the page and backend saw. */
  explained(name: string, body: () => Promise<void>): Promise<void>;
}

export async function openGuestSession(
  stack: Stack,
  viewport: { width: number; height: number },
): Promise<GuestSession> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(30_000);
  const pageErrors: string[] = [];
  page.on('pageerror', error => pageErrors.push(error.message));

  async function explained(name: string, body: () => Promise<void>) {
    try {
      await body();
    } catch (error) {
      const shot = path.join(os.tmpdir(), `kubecopilot-e2e-${name}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      throw new Error(
        `${error}\n\nPage errors:\n${
          pageErrors.join('\n') || '(none)'
        }\n\nBackend output (tail):\n${stack.backendOutput()}\n\nScreenshot: ${shot}`,
      );
    }
  }

  await explained('sign-in', async () => {
    await page.goto(stack.baseUrl);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByRole('link', { name: 'Catalog' }).first().waitFor();
  });
  return { browser, page, pageErrors, explained };
}
