/** The `kubecopilot-demo-cluster` command. */
import { startDemoCluster, DEFAULT_TOKEN } from './start';
import { writeKubeconfig } from './kubeconfig';
import { ScenarioError } from './scenario/load';
import { DemoCluster } from './types';

export const USAGE = `Usage: kubecopilot-demo-cluster [options]

A simulated Kubernetes API server over HTTPS for KubeCopilot's demo and tests.

Options:
  --port N            port to listen on (0 = pick a free one; default 6443)
  --host H            interface to bind (default 127.0.0.1)
  --scenario PATH     scenario file, or directory of *.yaml files (repeatable)
  --kubeconfig OUT    write a kubeconfig for the server to OUT
  --token T           bearer token clients must send (default ${DEFAULT_TOKEN})
  --user-token U      also accept U, read-only (GET/HEAD), as a signed-in user's own token
  --latency-ms N      latency added to every request
  --cert-dir DIR      reuse DIR/{ca.crt,ca.key,server.crt,server.key}, or generate them there
  --pod-startup-ms N  how long new pods take to start (default 1000)
  --metrics-port N    also serve simulated traffic metrics (Prometheus text format) on
                      plain HTTP GET http://HOST:N/metrics (0 = pick a free one)
  --log-requests      print one line per request to stderr
  -h, --help          show this help

Prints "listening on https://HOST:PORT" on stdout when ready (and, with --metrics-port,
"metrics on http://HOST:PORT/metrics" on the line before it).`;

export interface CliOptions {
  port: number;
  host: string;
  scenarios: string[];
  kubeconfig?: string;
  token: string;
  userToken?: string;
  latencyMs: number;
  certDir?: string;
  podStartupMs?: number;
  metricsPort?: number;
  logRequests: boolean;
  help: boolean;
}

export class UsageError extends Error {}

function intArg(flag: string, value: string | undefined, min = 0): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min) {
    throw new UsageError(`${flag} needs a non-negative integer, got ${JSON.stringify(value ?? '')}`);
  }
  return Number(value);
}

export function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = {
    port: 6443,
    host: '127.0.0.1',
    scenarios: [],
    token: DEFAULT_TOKEN,
    latencyMs: 0,
    logRequests: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => {
      if (value !== undefined) return value;
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${arg} needs a value`);
      i++;
      return v;
    };
    switch (arg) {
      case '--port':
        opts.port = intArg(arg, next());
        if (opts.port > 65535) throw new UsageError('--port must be at most 65535');
        break;
      case '--host':
        opts.host = next();
        break;
      case '--scenario':
        opts.scenarios.push(next());
        break;
      case '--kubeconfig':
        opts.kubeconfig = next();
        break;
      case '--token':
        opts.token = next();
        break;
      case '--user-token':
        opts.userToken = next();
        break;
      case '--latency-ms':
        opts.latencyMs = intArg(arg, next());
        break;
      case '--cert-dir':
        opts.certDir = next();
        break;
      case '--pod-startup-ms':
        opts.podStartupMs = intArg(arg, next());
        break;
      case '--metrics-port':
        opts.metricsPort = intArg(arg, next());
        if (opts.metricsPort > 65535) throw new UsageError('--metrics-port must be at most 65535');
        break;
      case '--log-requests':
        opts.logRequests = true;
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(argv[i])}`);
    }
  }
  return opts;
}

/**
 * Runs the command. Resolves with the running cluster (the process keeps serving), or rejects
 * after printing the reason; `exit` is called with the exit code on errors and signals.
 */
export async function runCli(
  argv: string[],
  io: {
    stdout?: (line: string) => void;
    stderr?: (line: string) => void;
    exit?: (code: number) => void;
    handleSignals?: boolean;
  } = {},
): Promise<DemoCluster | undefined> {
  const out = io.stdout ?? (l => process.stdout.write(`${l}\n`));
  const err = io.stderr ?? (l => process.stderr.write(`${l}\n`));
  const exit = io.exit ?? (c => process.exit(c));
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    err(USAGE);
    exit(2);
    return undefined;
  }
  if (opts.help) {
    out(USAGE);
    exit(0);
    return undefined;
  }
  let cluster: DemoCluster;
  try {
    cluster = await startDemoCluster({
      port: opts.port,
      host: opts.host,
      scenarios: opts.scenarios,
      token: opts.token,
      userToken: opts.userToken,
      latencyMs: opts.latencyMs,
      certDir: opts.certDir,
      podStartupMs: opts.podStartupMs,
      metricsPort: opts.metricsPort,
      onRequest: opts.logRequests
        ? e => err(`${new Date().toISOString()} ${e.method} ${e.path} ${e.status} ${e.durationMs}ms`)
        : undefined,
    });
  } catch (e) {
    if (e instanceof ScenarioError) err(`error: ${e.message}`);
    else if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
      const { port } = e as { port?: number };
      err(
        port !== undefined && port === opts.metricsPort && port !== opts.port
          ? `error: metrics port ${port} is already in use (try --metrics-port 0)`
          : `error: port ${opts.port} is already in use (try --port 0)`,
      );
    }
    else err(`error: ${(e as Error)?.message ?? e}`);
    exit(1);
    return undefined;
  }
  if (opts.kubeconfig) {
    try {
      writeKubeconfig(opts.kubeconfig, cluster.kubeconfig());
      err(`kubeconfig written to ${opts.kubeconfig} (kubectl --kubeconfig ${opts.kubeconfig} get pods -A)`);
    } catch (e) {
      err(`error: cannot write kubeconfig ${opts.kubeconfig}: ${(e as Error).message}`);
      await cluster.stop();
      exit(1);
      return undefined;
    }
  }
  if (cluster.metricsUrl) out(`metrics on ${cluster.metricsUrl}`);
  out(`listening on ${cluster.url}`);
  if (io.handleSignals !== false) {
    const shutdown = () => {
      cluster.stop().finally(() => exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  }
  return cluster;
}
