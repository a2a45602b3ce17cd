/** The kubecopilot-demo-cluster command, run as a new user would (from source, no build). */
import { spawn, ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { parseArgs, runCli } from './cli';
import { rawRequest, SCENARIO_DIR } from './__testUtils__/raw';

jest.setTimeout(30_000);

const BIN = path.resolve(__dirname, '../bin/kubecopilot-demo-cluster');

function run(args: string[]): { child: ChildProcessWithoutNullStreams; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_ENV: 'production' } });
  let out = '';
  let err = '';
  child.stdout.on('data', d => (out += d));
  child.stderr.on('data', d => (err += d));
  const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-cluster-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('starts from source, prints "listening on", writes a working kubeconfig and stops on SIGTERM', async () => {
  const kubeconfig = path.join(dir, 'out', 'kubeconfig');
  const p = run(['--port', '0', '--scenario', SCENARIO_DIR, '--kubeconfig', kubeconfig, '--token', 'cli-token', '--latency-ms', '1']);
  const started = Date.now();
  while (!/listening on/.test(p.stdout()) && Date.now() - started < 20_000) {
    if (p.child.exitCode !== null) throw new Error(`exited: ${p.stderr()}`);
    await new Promise(r => setTimeout(r, 50));
  }
  expect(p.stdout()).toMatch(/^listening on https:\/\/127\.0\.0\.1:\d+\n$/);
  const url = /listening on (\S+)/.exec(p.stdout())![1];
  expect(fs.statSync(kubeconfig).mode & 0o777).toBe(0o600);
  const kc = parse(fs.readFileSync(kubeconfig, 'utf8'));
  expect(kc.clusters[0].cluster.server).toBe(url);
  expect(kc.users[0].user.token).toBe('cli-token');
  const caPem = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
  const res = await rawRequest({ url, token: 'cli-token', caPem }, 'GET', '/api/v1/namespaces/shop/pods');
  expect(res.json.items.length).toBeGreaterThan(10);
  p.child.kill('SIGTERM');
  expect(await p.exit).toBe(0);
});

it('exits non-zero naming the file, document index and reason for an invalid scenario', async () => {
  const bad = path.join(dir, 'bad.yaml');
  fs.writeFileSync(bad, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Gizmo\nmetadata: {name: g}\n');
  const p = run(['--port', '0', '--scenario', bad]);
  expect(await p.exit).toBe(1);
  expect(p.stdout()).toBe('');
  expect(p.stderr()).toContain(`error: invalid scenario ${bad}, document index 1: unknown kind "Gizmo"`);
});

it('rejects bad arguments with usage', async () => {
  const err: string[] = [];
  let code: number | undefined;
  await runCli(['--port', 'abc'], { stderr: l => err.push(l), exit: c => (code = c), handleSignals: false });
  expect(code).toBe(2);
  expect(err.join('\n')).toContain('--port needs a non-negative integer');
  expect(err.join('\n')).toContain('Usage: kubecopilot-demo-cluster');
});

describe('parseArgs', () => {
  it('parses repeated and = forms', () => {
    expect(parseArgs(['--scenario', 'a', '--scenario=b', '--port=0', '--cert-dir', 'c', '--latency-ms', '5'])).toMatchObject({
      scenarios: ['a', 'b'],
      port: 0,
      certDir: 'c',
      latencyMs: 5,
    });
    expect(parseArgs([])).toMatchObject({ port: 6443, host: '127.0.0.1', token: 'kubecopilot-demo-token' });
    expect(() => parseArgs(['--scenario'])).toThrow('--scenario needs a value');
    expect(() => parseArgs(['--what'])).toThrow('unknown argument');
  });
});
