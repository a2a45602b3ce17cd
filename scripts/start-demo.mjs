#!/usr/bin/env node
/*
 * `npm start`: the whole demo in one command. Starts the embedded demo
 * Kubernetes cluster (packages/demo-cluster) seeded from examples/scenarios,
 * with its traffic metrics exporter, and Prometheus scraping it when
 * /usr/bin/prometheus is installed (for canary gates), then Backstage (app on
 * :3000, backend on :7007) configured to reach them with the cluster's own CA
 * and token — no skipTLSVerify.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = join(root, '.demo-cluster');
const certDir = join(stateDir, 'certs');
const kubeconfig = join(stateDir, 'kubeconfig');
const port = process.env.KUBECOPILOT_DEMO_CLUSTER_PORT ?? '6443';
const token = process.env.KUBECOPILOT_DEMO_CLUSTER_TOKEN ?? 'kubecopilot-demo-token';
// 0 = a free port; the exporter's URL is read from the cluster's output.
const metricsPort = process.env.KUBECOPILOT_DEMO_METRICS_PORT ?? '0';
const prometheusBinary = process.env.KUBECOPILOT_DEMO_PROMETHEUS_BINARY ?? '/usr/bin/prometheus';
const prometheusDir = join(stateDir, 'prometheus');

mkdirSync(certDir, { recursive: true });

const children = [];
// Each child leads its own process group, so stopping it also stops what it
// started (npx → backstage-cli → app and backend).
function shutdown(code) {
  for (const child of children) {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => shutdown(130));
process.on('SIGTERM', () => shutdown(143));

const cluster = spawn(
  process.execPath,
  [
    join(root, 'packages/demo-cluster/bin/kubecopilot-demo-cluster'),
    '--port', port,
    '--scenario', join(root, 'examples/scenarios'),
    '--cert-dir', certDir,
    '--kubeconfig', kubeconfig,
    '--token', token,
    '--metrics-port', metricsPort,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
);
children.push(cluster);
cluster.on('exit', code => {
  console.error(`demo cluster exited with code ${code}`);
  shutdown(code || 1);
});

let metricsUrl;
const url = await new Promise((resolve, reject) => {
  let buffer = '';
  const timer = setTimeout(
    () => reject(new Error('demo cluster did not start within 60 s')),
    60_000,
  );
  cluster.stdout.on('data', chunk => {
    process.stdout.write(`[demo-cluster] ${chunk}`);
    buffer += chunk;
    metricsUrl ??= buffer.match(/metrics on (http:\/\/\S+)/)?.[1];
    const match = buffer.match(/listening on (https:\/\/\S+)/);
    if (match) {
      clearTimeout(timer);
      resolve(match[1]);
    }
  });
}).catch(error => {
  console.error(error.message);
  shutdown(1);
});

console.log(`Demo cluster ready at ${url}; try: kubectl --kubeconfig ${kubeconfig} get pods -A`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Prometheus scraping the demo cluster's metrics exporter every second, for
// the canary gates (kubecopilot.prometheus in app-config.yaml). Its TSDB
// starts empty each time, like the demo cluster.
async function startPrometheus() {
  if (!metricsUrl) {
    console.error('The demo cluster printed no metrics URL: canary gates will fail.');
    return undefined;
  }
  if (!existsSync(prometheusBinary)) {
    console.warn(
      `Prometheus is not installed (${prometheusBinary}): canary gates will fail until \`apt-get install prometheus\`.`,
    );
    return undefined;
  }
  const target = new URL(metricsUrl).host;
  rmSync(prometheusDir, { recursive: true, force: true });
  mkdirSync(prometheusDir, { recursive: true });
  const configFile = join(prometheusDir, 'prometheus.yml');
  writeFileSync(
    configFile,
    `${JSON.stringify(
      {
        global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
        scrape_configs: [
          { job_name: 'kubecopilot-demo-cluster', static_configs: [{ targets: [target] }] },
        ],
      },
      null,
      2,
    )}\n`,
  );
  const promPort = process.env.KUBECOPILOT_DEMO_PROMETHEUS_PORT ?? String(await freePort());
  const promUrl = `http://127.0.0.1:${promPort}`;
  const prometheus = spawn(
    prometheusBinary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(prometheusDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--storage.tsdb.retention.time=1d',
      '--log.level=warn',
    ],
    { cwd: prometheusDir, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  children.push(prometheus);
  prometheus.stderr.on('data', chunk => process.stderr.write(`[prometheus] ${chunk}`));
  let exited = false;
  prometheus.on('exit', code => {
    exited = true;
    console.error(`Prometheus exited with code ${code}: canary gates will fail.`);
  });
  prometheus.on('error', error => {
    exited = true;
    console.error(`Prometheus did not start (${error.message}): canary gates will fail.`);
  });
  const deadline = Date.now() + 30_000;
  while (!exited && Date.now() < deadline) {
    try {
      if ((await fetch(`${promUrl}/-/ready`)).ok) {
        console.log(`Prometheus ready at ${promUrl}, scraping ${metricsUrl}`);
        return promUrl;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  if (!exited) console.error(`Prometheus was not ready at ${promUrl} within 30 s: canary gates may fail.`);
  return exited ? undefined : promUrl;
}

const prometheusUrl = await startPrometheus();

// app-config.demo.yaml adds the demo's sign-in (guest and reviewer), which a
// production deployment never loads. Naming config files replaces the CLI's
// default pair, so an adopter's app-config.local.yaml is added back, last.
// Without a running Prometheus, no Prometheus is configured at all: metrics
// say "not configured" and diagnoses are whole, rather than every diagnosis
// of a failing service reporting an unreachable 127.0.0.1:9090 as partial.
const noPrometheusConfig = join(stateDir, 'app-config.no-prometheus.yaml');
if (prometheusUrl) {
  rmSync(noPrometheusConfig, { force: true });
} else {
  writeFileSync(noPrometheusConfig, 'kubecopilot:\n  prometheus:\n    clusters: []\n');
}
const configArgs = ['app-config.yaml', 'app-config.demo.yaml', noPrometheusConfig, 'app-config.local.yaml']
  .map(file => (file.startsWith('/') ? file : join(root, file)))
  .filter(file => existsSync(file))
  .flatMap(file => ['--config', file]);
const backstage = spawn('npx', ['backstage-cli', 'repo', 'start', ...configArgs], {
  cwd: root,
  stdio: 'inherit',
  detached: true,
  env: {
    ...process.env,
    KUBECOPILOT_DEMO_CLUSTER_URL: url,
    KUBECOPILOT_DEMO_CLUSTER_TOKEN: token,
    KUBECOPILOT_DEMO_CLUSTER_CA_DATA: readFileSync(join(certDir, 'ca.crt')).toString('base64'),
    // Unset without Prometheus (app-config.no-prometheus.yaml then leaves
    // Prometheus unconfigured, and canary gates say so).
    ...(prometheusUrl ? { KUBECOPILOT_DEMO_PROMETHEUS_URL: prometheusUrl } : {}),
  },
});
children.push(backstage);
backstage.on('exit', code => shutdown(code ?? 0));

// Once the backend answers and the app is served, one screen that says where
// to go and what to try — the lines above it are the build's.
const appUrl = 'http://localhost:3000';
const backendUrl = 'http://localhost:7007';
async function answers(target) {
  try {
    return (await fetch(target, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}
async function announceWhenReady() {
  const started = Date.now();
  while (Date.now() - started < 10 * 60_000) {
    if (
      (await answers(`${backendUrl}/.backstage/health/v1/readiness`)) &&
      (await answers(appUrl))
    ) {
      const seconds = Math.round((Date.now() - started) / 1000);
      const line = '─'.repeat(72);
      console.log(
        [
          '',
          line,
          `  KubeCopilot is ready (${seconds} s)`,
          line,
          `  Open        ${appUrl}   (sign in as Guest; Reviewer approves high risk)`,
          `  Try first   Catalog → checkout → AI Diagnose → Diagnose: it names the`,
          `              missing PAYMENT_GATEWAY_URL and offers a rollback to 2.2.0.`,
          `              Create plan → Approve → Execute, and checkout is 1/1 ready.`,
          `  Then        the Approval inbox, a canary from Create, 中文 in Settings.`,
          `  Cluster     ${url}  (kubectl --kubeconfig ${kubeconfig})`,
          `  Prometheus  ${prometheusUrl ?? 'not running: canary gates fail (apt-get install prometheus)'}`,
          `  Backend     ${backendUrl}   Access logs: KUBECOPILOT_ACCESS_LOGS=info npm start`,
          line,
          '',
        ].join('\n'),
      );
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}
announceWhenReady();
