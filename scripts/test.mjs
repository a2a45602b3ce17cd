#!/usr/bin/env node
/*
 * `npm test`: the whole test suite. The browser end-to-end tests need the app
 * bundle, so it is built first when Chromium is present (without Chromium the
 * browser tests skip with a visible message and no build is needed).
 * Extra arguments go to jest, e.g. `npm test -- --json --outputFile=r.json`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.KUBECOPILOT_CHROMIUM ?? '/usr/bin/chromium';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (existsSync(chromium) && process.env.KUBECOPILOT_SKIP_APP_BUILD !== '1') {
  console.log('Building the app bundle for the browser tests…');
  run('npm', ['run', 'build', '-w', 'packages/app']);
}

process.env.BACKSTAGE_TEST_DISABLE_DOCKER ??= '1';
run('npx', ['backstage-cli', 'repo', 'test', '--ci', ...process.argv.slice(2)]);
