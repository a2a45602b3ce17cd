#!/usr/bin/env node
/*
 * `npm start`: the whole demo in one command. Starts the embedded demo
 * Kubernetes cluster (packages/demo-cluster) seeded from examples/scenarios,
 * then Backstage (app on :3000, backend on :7007) configured to reach it with
 * the cluster's own CA and token — no skipTLSVerify.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = join(root, '.demo-cluster');
const certDir = join(stateDir, 'certs');
const kubeconfig = join(stateDir, 'kubeconfig');
const port = process.env.KUBECOPILOT_DEMO_CLUSTER_PORT ?? '6443';
const token = process.env.KUBECOPILOT_DEMO_CLUSTER_TOKEN ?? 'kubecopilot-demo-token';

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
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
);
children.push(cluster);
cluster.on('exit', code => {
  console.error(`demo cluster exited with code ${code}`);
  shutdown(code || 1);
});

const url = await new Promise((resolve, reject) => {
  let buffer = '';
  const timer = setTimeout(
    () => reject(new Error('demo cluster did not start within 60 s')),
    60_000,
  );
  cluster.stdout.on('data', chunk => {
    process.stdout.write(`[demo-cluster] ${chunk}`);
    buffer += chunk;
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

const backstage = spawn('npx', ['backstage-cli', 'repo', 'start'], {
  cwd: root,
  stdio: 'inherit',
  detached: true,
  env: {
    ...process.env,
    KUBECOPILOT_DEMO_CLUSTER_URL: url,
    KUBECOPILOT_DEMO_CLUSTER_TOKEN: token,
    KUBECOPILOT_DEMO_CLUSTER_CA_DATA: readFileSync(join(certDir, 'ca.crt')).toString('base64'),
  },
});
children.push(backstage);
backstage.on('exit', code => shutdown(code ?? 0));
