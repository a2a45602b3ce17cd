/** Plain-text tables and the eval-results.json document of an eval run. */
import type { EvalScenario } from './corpus';
import type { EvalRun } from './runEval';
import { scoreCodes, summarize } from './score';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join(' | ')
      .trimEnd();
  return [
    line(headers),
    widths.map(w => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
  ].join('\n');
}

const list = (xs: string[]) => (xs.length ? xs.join(', ') : '—');
const pct = (x: number | null) =>
  x === null ? 'n/a' : `${Math.round(x * 100)}%`;

/** The JSON document written to eval-results.json. */
export function resultsDocument(run: EvalRun, corpus: EvalScenario[]) {
  const summary = summarize(run.rules, corpus);
  return {
    date: new Date().toISOString(),
    seconds: run.seconds,
    scenarios: run.rules.map(r => ({
      id: r.id,
      source: r.source,
      healthy: r.healthy,
      expected: r.expected,
      found: r.found,
      pass: r.pass,
      missing: r.missing,
      unexpected: r.unexpected,
      info: r.info,
      errors: r.errors,
      ...(r.pass ? {} : { alarms: r.alarms }),
      ...(r.headline ? { headline: r.headline } : {}),
      durationMs: r.durationMs,
    })),
    summary,
    codes: scoreCodes(run.rules),
    ...(run.model ? { model: run.model } : {}),
  };
}

export function textReport(run: EvalRun, corpus: EvalScenario[]): string {
  const out: string[] = [];
  out.push(
    table(
      ['scenario', 'kind', 'expected', 'found', 'result'],
      run.rules.map(r => [
        r.id,
        r.healthy ? 'healthy' : 'failing',
        list(r.expected),
        list(r.found),
        r.pass
          ? 'pass'
          : `FAIL${r.missing.length ? ` missing ${r.missing.join(',')}` : ''}${
              r.unexpected.length ? ` extra ${r.unexpected.join(',')}` : ''
            }`,
      ]),
    ),
  );
  out.push('');
  out.push(
    table(
      [
        'code',
        'expected',
        'found right',
        'false alarms',
        'missed',
        'precision',
        'recall',
      ],
      scoreCodes(run.rules).map(c => [
        c.code,
        String(c.truePositives + c.falseNegatives),
        String(c.truePositives),
        String(c.falsePositives),
        String(c.falseNegatives),
        pct(c.precision),
        pct(c.recall),
      ]),
    ),
  );
  const s = summarize(run.rules, corpus);
  out.push('');
  out.push(
    `rules: ${s.passed}/${s.scenarios} scenarios pass (${pct(
      s.passRate,
    )}); false alarms on ${s.falseAlarms} of ${
      s.healthy
    } healthy look-alikes; ${s.ported} scenarios ported from public sources; ${
      run.seconds
    } s`,
  );
  if (run.model) {
    const m = run.model.summary;
    out.push('');
    out.push(
      table(
        [
          'scenario',
          `pass@${m.k}`,
          `pass^${m.k}`,
          'schema-valid',
          'grounding violations',
          'tokens in/out',
          'latency',
          'cost',
        ],
        run.model.scenarios.map(r => [
          r.id,
          r.passAtK ? 'yes' : 'no',
          r.passHatK ? 'yes' : 'no',
          `${r.runs.filter(x => x.schemaValid).length}/${r.runs.length}`,
          String(r.runs.filter(x => x.groundingViolation).length),
          `${r.promptTokens}/${r.completionTokens}`,
          `${r.meanLatencyMs} ms`,
          r.costUsd === undefined ? '' : `$${r.costUsd.toFixed(4)}`,
        ]),
      ),
    );
    out.push('');
    out.push(
      `model ${m.model}, k=${m.k}: pass@k ${pct(m.passAtK)}, pass^k ${pct(
        m.passHatK,
      )}, schema-valid ${pct(m.schemaValidRate)}, grounding violations ${
        m.groundingViolations
      }, tokens ${m.promptTokens} in / ${
        m.completionTokens
      } out, mean latency ${m.meanLatencyMs} ms${
        m.costUsd === undefined ? '' : `, cost $${m.costUsd.toFixed(4)}`
      }`,
    );
  }
  return out.join('\n');
}
