#!/usr/bin/env node
/*
 * `npm run bench`: runs every benchmark in the repo (`src/bench/NAME.bench.ts` of every package),
 * prints one table — figure, value, target, pass/fail — and writes it to
 * bench-results.json. Benchmarks print `BENCH_RESULT {json}` lines; timings
 * are percentiles or ratios measured in the same run as their baseline.
 *
 * A figure without `pass` is information (throughput, p50, …) and shows as `info`.
 * BENCH_LOAD_SECONDS sets the length of each load run (load.bench.ts, default
 * 30 s; `BENCH_LOAD_SECONDS=5 npm run bench` for a quick pass).
 *
 * Benchmarks that need PostgreSQL get BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
 * when it is unset and the server binaries are installed, a throwaway server is
 * started for the run (as the postgres user, since the binaries refuse root).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

function benchFiles() {
  const files = [];
  for (const group of ['plugins', 'packages']) {
    for (const pkg of readdirSync(join(root, group))) {
      const dir = join(root, group, pkg, 'src', 'bench');
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir)) {
        if (file.endsWith('.bench.ts')) files.push(join(dir, file));
      }
    }
  }
  return files.filter(f => only.length === 0 || only.some(o => f.includes(o))).sort();
}

async function freePort() {
  return new Promise(resolve => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startPostgres() {
  const bin = '/usr/lib/postgresql/15/bin';
  if (!existsSync(`${bin}/initdb`)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kubecopilot-bench-pg-'));
  const port = await freePort();
  const asPostgres = command =>
    spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'ignore' }).status === 0;
  try {
    chownSync(dir, Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim()), -1);
  } catch {
    return undefined;
  }
  if (!asPostgres(`${bin}/initdb -D '${dir}/data' -A trust -U postgres`)) return undefined;
  if (!asPostgres(`${bin}/pg_ctl -D '${dir}/data' -o "-p ${port} -k '${dir}' -c listen_addresses=127.0.0.1 -c fsync=off" -l '${dir}/server.log' -w start`)) {
    return undefined;
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}`,
    stop() {
      asPostgres(`${bin}/pg_ctl -D '${dir}/data' -m immediate stop`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function run(file, env) {
  return new Promise(resolve => {
    const results = [];
    const child = spawn(process.execPath, ['--require', '@backstage/cli/config/nodeTransform.cjs', file], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffer = '';
    child.stdout.on('data', chunk => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('BENCH_RESULT ')) results.push(JSON.parse(line.slice(13)));
        else process.stdout.write(`  ${line}\n`);
      }
    });
    child.on('exit', code => resolve({ code, results }));
  });
}

const started = Date.now();
const env = { ...process.env, NODE_ENV: 'production' };
let postgres;
if (!env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
  postgres = await startPostgres();
  if (postgres) env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING = postgres.url;
}

const rows = [];
let crashed = 0;
try {
  for (const file of benchFiles()) {
    console.log(`▶ ${relative(root, file)}`);
    const fileStarted = Date.now();
    const { code, results } = await run(file, env);
    if (code !== 0) {
      crashed += 1;
      console.error(`  ✗ exited with ${code}`);
    }
    console.log(`  ${results.length} figures in ${Math.round((Date.now() - fileStarted) / 1000)} s`);
    rows.push(...results.map(r => ({ benchmark: relative(root, file), ...r })));
  }
} finally {
  postgres?.stop();
}

const fmt = v => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v ?? ''));
const table = rows.map(r => ({
  figure: r.figure,
  value: `${fmt(r.value)}${r.unit ? ` ${r.unit}` : ''}`,
  target: r.target ?? '',
  result: r.pass === undefined ? 'info' : r.pass ? 'pass' : 'FAIL',
}));
const widths = ['figure', 'value', 'target', 'result'].map(k => Math.max(k.length, ...table.map(t => String(t[k]).length)));
const line = cells => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
console.log(`\n${line(['figure', 'value', 'target', 'result'])}`);
console.log(widths.map(w => '-'.repeat(w)).join('-|-'));
for (const t of table) console.log(line([t.figure, t.value, t.target, t.result]));
writeFileSync(
  join(root, 'bench-results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, seconds: Math.round((Date.now() - started) / 1000), results: rows }, null, 2)}\n`,
);
console.log(`\n${rows.length} figures, ${rows.filter(r => r.pass === false).length} below target, written to bench-results.json in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(crashed ? 1 : 0);
