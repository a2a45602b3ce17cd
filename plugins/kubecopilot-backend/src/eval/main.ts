/*
 * `npm run eval` (scripts/eval.mjs runs this file through Backstage's node
 * transform): diagnoses every scenario of eval/scenarios through the HTTP
 * API, prints the tables and writes eval-results.json at the repository root.
 *
 *   npm run eval                       # rules only
 *   npm run eval -- --only a,b         # some scenarios
 *   KUBECOPILOT_EVAL_LLM_BASE_URL=… KUBECOPILOT_EVAL_LLM_MODEL=… \
 *   KUBECOPILOT_EVAL_LLM_API_KEY=… [KUBECOPILOT_EVAL_K=3] npm run eval
 *
 * KUBECOPILOT_EVAL_LLM_PRICE_PROMPT / _PRICE_COMPLETION (USD per 1 000
 * tokens) add the cost; KUBECOPILOT_EVAL_MIN_PASS_RATE (0–1) and
 * KUBECOPILOT_EVAL_MAX_FALSE_ALARMS make the run exit 1 below that rules-only
 * pass rate or above that many false alarms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadCorpus } from './corpus';
import { resultsDocument, textReport } from './report';
import { EvalModel, runEval } from './runEval';
import { summarize } from './score';

const root = path.resolve(__dirname, '../../../..');

export function modelFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): EvalModel | undefined {
  const baseUrl = env.KUBECOPILOT_EVAL_LLM_BASE_URL;
  const model = env.KUBECOPILOT_EVAL_LLM_MODEL;
  if (!baseUrl && !model) return undefined;
  if (!baseUrl || !model) {
    throw new Error(
      'set both KUBECOPILOT_EVAL_LLM_BASE_URL and KUBECOPILOT_EVAL_LLM_MODEL (and _API_KEY if the endpoint needs one)',
    );
  }
  const k = Number(env.KUBECOPILOT_EVAL_K ?? 3);
  if (!Number.isInteger(k) || k < 1 || k > 20) {
    throw new Error('KUBECOPILOT_EVAL_K must be an integer from 1 to 20');
  }
  const prompt = env.KUBECOPILOT_EVAL_LLM_PRICE_PROMPT;
  const completion = env.KUBECOPILOT_EVAL_LLM_PRICE_COMPLETION;
  return {
    baseUrl,
    model,
    apiKey: env.KUBECOPILOT_EVAL_LLM_API_KEY,
    k,
    ...(prompt || completion
      ? {
          pricing: {
            promptPer1k: Number(prompt ?? 0),
            completionPer1k: Number(completion ?? 0),
          },
        }
      : {}),
  };
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = path.resolve(root, arg('--scenarios') ?? 'eval/scenarios');
  const out = path.resolve(root, arg('--out') ?? 'eval-results.json');
  const only = arg('--only')?.split(',').filter(Boolean);
  const corpus = loadCorpus(dir, only);
  const model = modelFromEnv();
  process.stdout.write(
    `${corpus.length} scenarios from ${path.relative(root, dir)}${
      model ? `; model ${model.model} × ${model.k}` : '; rules only'
    }\n`,
  );
  const run = await runEval({
    scenarios: corpus,
    model,
    onResult: r => process.stderr.write(r.pass ? '.' : 'F'),
  });
  process.stderr.write('\n');
  process.stdout.write(`${textReport(run, corpus)}\n`);
  fs.writeFileSync(
    out,
    `${JSON.stringify(resultsDocument(run, corpus), null, 2)}\n`,
  );
  process.stdout.write(`written to ${path.relative(root, out)}\n`);
  const summary = summarize(run.rules, corpus);
  const min = process.env.KUBECOPILOT_EVAL_MIN_PASS_RATE;
  const maxAlarms = process.env.KUBECOPILOT_EVAL_MAX_FALSE_ALARMS;
  if (
    (min !== undefined && summary.passRate < Number(min)) ||
    (maxAlarms !== undefined && summary.falseAlarms > Number(maxAlarms))
  ) {
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    error => {
      process.stderr.write(`eval failed: ${error?.stack ?? error}\n`);
      process.exit(2);
    },
  );
}
