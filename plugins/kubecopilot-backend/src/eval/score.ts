/**
 * Scoring of diagnoses against the corpus' expectations: per scenario
 * (expected vs found codes), per finding code (precision and recall), false
 * alarms on healthy look-alikes, and — for a model — pass@k and pass^k over
 * k runs per scenario, as k8s-ai-bench reports them.
 */
import type {
  Diagnosis,
  Finding,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { EvalScenario } from './corpus';

/** A finding at warning severity or above: what pages or worries someone. */
export const isAlarming = (f: Pick<Finding, 'severity'>) =>
  f.severity !== 'info';

const unique = (xs: string[]) => [...new Set(xs)].sort();

export interface ScenarioResult {
  id: string;
  source: string;
  healthy: boolean;
  expected: string[];
  /** Codes found at warning severity or above. */
  found: string[];
  pass: boolean;
  /** Expected codes that were not found. */
  missing: string[];
  /** Alarming codes neither expected, tolerated, nor linked to a cause. */
  unexpected: string[];
  /** Codes found only at info severity (context, never a failure). */
  info: string[];
  /** What the diagnosis could not gather or analyse. */
  errors: string[];
  /** The findings at warning or above, for reading a failure. */
  alarms: Array<{
    code: string;
    severity: string;
    resource: string;
    message: string;
  }>;
  durationMs: number;
  /** The diagnosis's one-sentence headline, for reading the results. */
  headline?: string;
}

/**
 * A failing scenario passes when every expected code is found at warning or
 * above and every other alarming finding is tolerated or names the finding
 * that causes it (`causedBy`: a symptom explained by its cause). A healthy
 * scenario passes when nothing is at warning or above.
 */
export function scoreDiagnosis(
  scenario: EvalScenario,
  diagnosis: Pick<Diagnosis, 'findings' | 'errors' | 'headline'>,
  durationMs = 0,
): ScenarioResult {
  const alarming = diagnosis.findings.filter(isAlarming);
  const found = unique(alarming.map(f => f.code));
  const info = unique(
    diagnosis.findings
      .filter(f => !isAlarming(f) && !found.includes(f.code))
      .map(f => f.code),
  );
  const missing = scenario.expect.filter(c => !found.includes(c));
  const unexpected = scenario.healthy
    ? found
    : unique(
        alarming
          .filter(
            f =>
              !scenario.expect.includes(f.code) &&
              !scenario.tolerate.includes(f.code) &&
              !f.causedBy,
          )
          .map(f => f.code),
      );
  return {
    id: scenario.id,
    source: scenario.source,
    healthy: scenario.healthy,
    expected: [...scenario.expect],
    found,
    pass: missing.length === 0 && unexpected.length === 0,
    missing,
    unexpected,
    info,
    errors: [...diagnosis.errors],
    alarms: alarming.map(f => ({
      code: f.code,
      severity: f.severity,
      resource: `${f.resource.kind}/${f.resource.name}${
        f.container ? ` (${f.container})` : ''
      }`,
      message: f.message,
    })),
    durationMs: Math.round(durationMs),
    ...(diagnosis.headline ? { headline: diagnosis.headline } : {}),
  };
}

export interface CodeScore {
  code: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** null when the code was never found. */
  precision: number | null;
  /** null when the code was never expected. */
  recall: number | null;
}

/** Precision and recall per finding code over the scenarios. */
export function scoreCodes(results: ScenarioResult[]): CodeScore[] {
  const codes = unique(
    results.flatMap(r => [...r.expected, ...r.found, ...r.unexpected]),
  );
  return codes.map(code => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of results) {
      if (r.expected.includes(code)) {
        if (r.found.includes(code)) tp++;
        else fn++;
      } else if (r.unexpected.includes(code)) fp++;
    }
    return {
      code,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision: tp + fp ? tp / (tp + fp) : null,
      recall: tp + fn ? tp / (tp + fn) : null,
    };
  });
}

export interface EvalSummary {
  scenarios: number;
  passed: number;
  passRate: number;
  /** Healthy look-alikes with a warning, error or critical finding. */
  falseAlarms: number;
  healthy: number;
  ported: number;
}

export function summarize(
  results: ScenarioResult[],
  corpus: EvalScenario[],
): EvalSummary {
  const passed = results.filter(r => r.pass).length;
  return {
    scenarios: results.length,
    passed,
    passRate: results.length
      ? Math.round((passed / results.length) * 1000) / 1000
      : 0,
    falseAlarms: results.filter(r => r.healthy && !r.pass).length,
    healthy: results.filter(r => r.healthy).length,
    ported: corpus.filter(s => s.ported && results.some(r => r.id === s.id))
      .length,
  };
}

/** One model diagnosis of one scenario. */
export interface ModelRun {
  /** The model answered (`source: llm`). */
  answered: boolean;
  /** The rules found nothing, so the model was (rightly) not asked. */
  notAsked: boolean;
  /** False when the answer was malformed or did not match the schema. */
  schemaValid: boolean;
  /** The answer named objects or findings it was not given. */
  groundingViolation: boolean;
  /** The root cause names the object (or container) of the rules' cause. */
  agrees: boolean;
  /** The findings pass the scenario as the rules' would. */
  codesPass: boolean;
  pass: boolean;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  fallbackReason?: string;
}

/** The rules' cause for an expected code: what the root cause should name. */
function causeOf(
  scenario: EvalScenario,
  rules: Finding[],
): Finding | undefined {
  const expected = rules.filter(
    f => scenario.expect.includes(f.code) && isAlarming(f),
  );
  return expected.find(f => !f.causedBy) ?? expected[0];
}

export function scoreModelRun(
  scenario: EvalScenario,
  diagnosis: Pick<
    Diagnosis,
    'findings' | 'errors' | 'source' | 'rootCause' | 'fallbackReason' | 'usage'
  >,
  rules: Finding[],
  latencyMs: number,
): ModelRun {
  const reason = diagnosis.fallbackReason ?? '';
  const answered = diagnosis.source === 'llm';
  const notAsked =
    !answered &&
    /analyzers found no problems|nothing could be read/.test(reason);
  const schemaValid =
    !/malformed JSON|did not match the diagnosis schema|cut off/.test(reason);
  const groundingViolation = /not grounded/.test(reason);
  const codesPass = scoreDiagnosis(scenario, diagnosis).pass;
  const cause = causeOf(scenario, rules);
  const text = (diagnosis.rootCause ?? '').toLowerCase();
  const agrees =
    answered &&
    (scenario.healthy ||
      (!!cause &&
        [cause.resource.name, cause.container]
          .filter((n): n is string => !!n)
          .some(n => text.includes(n.toLowerCase()))));
  return {
    answered,
    notAsked,
    schemaValid,
    groundingViolation,
    agrees,
    codesPass,
    pass: notAsked
      ? codesPass
      : answered && schemaValid && !groundingViolation && agrees && codesPass,
    promptTokens: diagnosis.usage?.promptTokens ?? 0,
    completionTokens: diagnosis.usage?.completionTokens ?? 0,
    latencyMs: Math.round(latencyMs),
    ...(reason ? { fallbackReason: reason } : {}),
  };
}

export interface ModelScenarioResult {
  id: string;
  runs: ModelRun[];
  /** At least one of the k runs passed. */
  passAtK: boolean;
  /** All k runs passed. */
  passHatK: boolean;
  promptTokens: number;
  completionTokens: number;
  meanLatencyMs: number;
  costUsd?: number;
}

export interface ModelPricing {
  /** USD per 1 000 prompt tokens. */
  promptPer1k: number;
  /** USD per 1 000 completion tokens. */
  completionPer1k: number;
}

export function scoreModelScenario(
  id: string,
  runs: ModelRun[],
  pricing?: ModelPricing,
): ModelScenarioResult {
  const promptTokens = runs.reduce((n, r) => n + r.promptTokens, 0);
  const completionTokens = runs.reduce((n, r) => n + r.completionTokens, 0);
  return {
    id,
    runs,
    passAtK: runs.some(r => r.pass),
    passHatK: runs.length > 0 && runs.every(r => r.pass),
    promptTokens,
    completionTokens,
    meanLatencyMs: runs.length
      ? Math.round(runs.reduce((n, r) => n + r.latencyMs, 0) / runs.length)
      : 0,
    ...(pricing
      ? {
          costUsd:
            Math.round(
              ((promptTokens / 1000) * pricing.promptPer1k +
                (completionTokens / 1000) * pricing.completionPer1k) *
                1e6,
            ) / 1e6,
        }
      : {}),
  };
}

export interface ModelSummary {
  model: string;
  k: number;
  passAtK: number;
  passHatK: number;
  schemaValidRate: number;
  groundingViolations: number;
  promptTokens: number;
  completionTokens: number;
  meanLatencyMs: number;
  costUsd?: number;
}

export function summarizeModel(
  model: string,
  k: number,
  results: ModelScenarioResult[],
): ModelSummary {
  const runs = results.flatMap(r => r.runs);
  const asked = runs.filter(r => !r.notAsked);
  const rate = (n: number, of: number) =>
    of ? Math.round((n / of) * 1000) / 1000 : 0;
  const cost = results.some(r => r.costUsd !== undefined)
    ? results.reduce((n, r) => n + (r.costUsd ?? 0), 0)
    : undefined;
  return {
    model,
    k,
    passAtK: rate(results.filter(r => r.passAtK).length, results.length),
    passHatK: rate(results.filter(r => r.passHatK).length, results.length),
    schemaValidRate: rate(
      asked.filter(r => r.schemaValid).length,
      asked.length,
    ),
    groundingViolations: runs.filter(r => r.groundingViolation).length,
    promptTokens: runs.reduce((n, r) => n + r.promptTokens, 0),
    completionTokens: runs.reduce((n, r) => n + r.completionTokens, 0),
    meanLatencyMs: runs.length
      ? Math.round(runs.reduce((n, r) => n + r.latencyMs, 0) / runs.length)
      : 0,
    ...(cost !== undefined ? { costUsd: Math.round(cost * 1e6) / 1e6 } : {}),
  };
}
