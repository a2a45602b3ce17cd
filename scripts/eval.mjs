#!/usr/bin/env node
/*
 * `npm run eval`: scores the diagnosis on the scenario corpus (eval/scenarios)
 * through the real HTTP API against the demo cluster — rules only, and with
 * KUBECOPILOT_EVAL_LLM_BASE_URL / _MODEL / _API_KEY set, a model k times per
 * scenario (KUBECOPILOT_EVAL_K, default 3). Prints the tables and writes
 * eval-results.json. Arguments are passed on: `npm run eval -- --only id1,id2`.
 * The work is done by plugins/kubecopilot-backend/src/eval/main.ts.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(
  process.execPath,
  [
    '--require',
    '@backstage/cli/config/nodeTransform.cjs',
    join(root, 'plugins/kubecopilot-backend/src/eval/main.ts'),
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    env: { NODE_ENV: 'production', ...process.env },
    stdio: 'inherit',
  },
);
child.on('exit', code => process.exit(code ?? 1));
