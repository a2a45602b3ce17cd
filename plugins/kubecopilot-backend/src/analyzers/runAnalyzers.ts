import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import { SEVERITY_RANK } from './common';
import { podAnalyzer } from './pod';
import { deploymentAnalyzer } from './deployment';
import { statefulSetAnalyzer } from './statefulset';
import { daemonSetAnalyzer } from './daemonset';
import { serviceAnalyzer } from './service';
import { ingressAnalyzer } from './ingress';
import { hpaAnalyzer } from './hpa';
import { pvcAnalyzer } from './pvc';
import { nodeAnalyzer } from './node';
import { jobAnalyzer } from './job';
import { pdbAnalyzer } from './pdb';
import { cronJobAnalyzer } from './cronjob';

/**
 * Every built-in analyzer. Pods come first so that, within one severity,
 * the concrete cause (a crashing container) is listed before its symptom (an
 * unavailable Deployment).
 */
export const defaultAnalyzers: readonly Analyzer[] = [
  podAnalyzer,
  deploymentAnalyzer,
  statefulSetAnalyzer,
  daemonSetAnalyzer,
  serviceAnalyzer,
  ingressAnalyzer,
  hpaAnalyzer,
  pvcAnalyzer,
  nodeAnalyzer,
  jobAnalyzer,
  pdbAnalyzer,
  cronJobAnalyzer,
];

export interface AnalysisResult {
  /** De-duplicated, worst first; ties keep analyzer order. */
  findings: Finding[];
  /** `"<analyzer>: <error message>"` for each analyzer that threw. */
  errors: string[];
}

function keyOf(f: Finding): string {
  const r = f.resource;
  return [f.code, r.kind, r.namespace ?? '', r.name, f.container ?? ''].join(
    '\u0000',
  );
}

/**
 * Runs the analyzers over one cluster's context. A throwing analyzer is an
 * error entry, never a failed run: one bad rule (or an object shape it did not
 * expect) must not hide what the others found.
 */
export function runAnalyzers(
  ctx: AnalysisContext,
  analyzers: readonly Analyzer[] = defaultAnalyzers,
): AnalysisResult {
  const errors: string[] = [];
  const byKey = new Map<string, Finding>();
  for (const analyzer of analyzers) {
    let found: Finding[];
    try {
      found = analyzer.analyze(ctx);
    } catch (e) {
      errors.push(
        `${analyzer.name}: ${e instanceof Error ? e.message : String(e)}`,
      );
      continue;
    }
    for (const f of found) {
      const key = keyOf(f);
      const seen = byKey.get(key);
      // The same fact reported twice (e.g. by a custom analyzer overlapping a
      // built-in one) is merged: first message wins, worst severity and the
      // union of the evidence are kept so nothing observed is lost.
      byKey.set(key, seen ? merge(seen, f) : f);
    }
  }
  const findings = [...byKey.values()].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
  );
  return { findings, errors };
}

function merge(first: Finding, next: Finding): Finding {
  const seen = new Set(first.evidence.map(e => JSON.stringify(e)));
  return {
    ...first,
    severity:
      SEVERITY_RANK[next.severity] > SEVERITY_RANK[first.severity]
        ? next.severity
        : first.severity,
    evidence: [
      ...first.evidence,
      ...next.evidence.filter(e => !seen.has(JSON.stringify(e))),
    ],
    ...(first.proposedFix || next.proposedFix
      ? { proposedFix: first.proposedFix ?? next.proposedFix }
      : {}),
  };
}
