import type {
  Finding,
  ObjectRef,
  ProposedFix,
  Recommendation,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AnalysisContext } from '../../analyzers';
import { linkFindings } from './causality';
import { fixesFor } from './fixes';
import { headlineOf } from './headline';
import { workloadRefOf } from './workloadRef';

export { workloadRefOf } from './workloadRef';

export interface RuleBasedDiagnosis {
  summary: string;
  /** One sentence naming the worst problem's cause; absent when healthy. */
  headline?: string;
  /** The findings with ids, linked cause → symptoms, causes first. */
  findings: Finding[];
  recommendations: Recommendation[];
}

const SEVERITIES: Severity[] = ['critical', 'error', 'warning', 'info'];
const SEVERITY_WORDS: Record<Severity, [string, string]> = {
  critical: ['critical', 'critical'],
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  info: ['note', 'notes'],
};
/** How many workloads the summary names before "and N more". */
const SUMMARY_WORKLOADS = 3;

const plural = (n: number, one: string, many: string) =>
  `${n} ${n === 1 ? one : many}`;

function refText(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function firstSentence(text: string): { first: string; rest?: string } {
  const m = /^(.+?[.!?])\s+(\S[\s\S]*)$/.exec(text.trim());
  return m ? { first: m[1], rest: m[2] } : { first: text.trim() };
}

/** Ends a message with a full stop, so messages can follow each other. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * One recommendation per fix, causes first (pods' before other kinds'), then
 * in the order given (worst first). A fix with a structured action keeps it
 * with its target and cluster, so the plan builder can turn it into a plan
 * in one click; the same action on the same target is recommended once.
 * `fixes` says which fixes a finding has (`fixesFor`); by default its
 * proposed fix.
 */
export function recommendationsFrom(
  findings: Finding[],
  fixes: (f: Finding) => ProposedFix[] = f =>
    f.proposedFix ? [f.proposedFix] : [],
): Recommendation[] {
  const seen = new Set<string>();
  const out: Recommendation[] = [];
  // Causes before symptoms: a pod's fix (set the missing variable) comes
  // before its Deployment's ("see the pod findings").
  const ordered = [
    ...findings.filter(f => !f.causedBy && f.resource.kind === 'Pod'),
    ...findings.filter(f => !f.causedBy && f.resource.kind !== 'Pod'),
    ...findings.filter(f => f.causedBy),
  ];
  const pairs = ordered.flatMap(f => fixes(f).map(fix => ({ f, fix })));
  for (const { f, fix } of pairs) {
    const target = fix.target
      ? { ...fix.target, cluster: f.cluster }
      : undefined;
    const key =
      fix.action && target
        ? `${fix.action}|${target.cluster}|${refText(target)}`
        : fix.description;
    if (seen.has(key)) continue;
    seen.add(key);
    if (fix.action && target && fix.asks?.length) {
      // A fix that asks for a value says what it sets in its first sentence.
      const { first, rest } = firstSentence(fix.description);
      out.push({
        title: first,
        detail: [rest, fix.note].filter(Boolean).join(' '),
        action: fix.action,
        target,
        params: fix.params ?? {},
        asks: fix.asks,
      });
    } else if (fix.action && target) {
      out.push({
        title: `${
          fix.action === 'rollback' ? 'Roll back' : capitalize(fix.action)
        } ${refText(target)}`,
        detail: fix.description,
        action: fix.action,
        target,
        ...(fix.params ? { params: fix.params } : {}),
      });
    } else {
      const { first, rest } = firstSentence(fix.description);
      const detail = [rest, fix.note].filter(Boolean).join(' ');
      out.push({
        title: first,
        ...(detail ? { detail } : {}),
        ...(fix.action ? { action: fix.action } : {}),
        ...(target ? { target } : {}),
        ...(fix.params ? { params: fix.params } : {}),
      });
    }
  }
  return out;
}

/**
 * The diagnosis the analyzers alone can give: a readable summary (how many
 * problems of which severity, the worst workloads and what is wrong with
 * them) and the recommendations of their proposed fixes.
 */
export function ruleBasedDiagnosis(input: {
  findings: Finding[];
  contexts: AnalysisContext[];
  errors: string[];
}): RuleBasedDiagnosis {
  const { findings, contexts, errors } = input;
  const partial =
    errors.length > 0
      ? ` Partial: ${plural(
          errors.length,
          'part of the context',
          'parts of the context',
        )} could not be read (see errors).`
      : '';

  // Notes alone (a recovered container, a rollout at work) are no problem.
  if (findings.every(f => f.severity === 'info')) {
    if (contexts.length === 0) {
      return {
        summary:
          errors.length > 0
            ? `Nothing could be read for this entity, so nothing was diagnosed: ${errors[0]}`
            : 'The entity has no Kubernetes objects to diagnose.',
        findings: [],
        recommendations: [],
      };
    }
    const pods = contexts.reduce((n, c) => n + c.pods.length, 0);
    const clusters = contexts.map(c => c.cluster).join(', ');
    const notes = findings.length
      ? ` ${plural(findings.length, 'note', 'notes')}: ${findings
          .map(f => sentence(f.message))
          .join(' ')}`
      : '';
    const linked = linkFindings(findings, contexts);
    return {
      summary: `No problems found: ${plural(pods, 'pod', 'pods')} and ${
        contexts.length === 1 ? 'its' : 'their'
      } workloads in cluster${
        contexts.length === 1 ? '' : 's'
      } ${clusters} look healthy.${notes}${partial}`,
      findings: linked,
      recommendations: recommendationsFrom(linked),
    };
  }

  const multiCluster = new Set(contexts.map(c => c.cluster)).size > 1;
  const groups = new Map<
    string,
    { ref: ObjectRef; cluster: string; findings: Finding[] }
  >();
  for (const f of findings) {
    const ref = workloadRefOf(f, contexts);
    const key = `${f.cluster}|${refText(ref)}`;
    const group = groups.get(key) ?? { ref, cluster: f.cluster, findings: [] };
    group.findings.push(f);
    groups.set(key, group);
  }

  const counts = SEVERITIES.map(s => ({
    s,
    n: findings.filter(f => f.severity === s).length,
  }))
    .filter(c => c.n > 0)
    .map(c => plural(c.n, ...SEVERITY_WORDS[c.s]));
  const head = `Found ${plural(
    findings.length,
    'problem',
    'problems',
  )} across ${plural(groups.size, 'resource', 'resources')} (${counts.join(
    ', ',
  )}).`;
  // Findings arrive worst first, so groups are in order of their worst one.
  // Within a group a pod's finding (the cause: a crashing container) leads
  // its workload's (the symptom: no available replicas), even when the
  // symptom is rated worse.
  const named = [...groups.values()].slice(0, SUMMARY_WORKLOADS).map(g => {
    const ordered = [
      ...g.findings.filter(f => f.resource.kind === 'Pod'),
      ...g.findings.filter(f => f.resource.kind !== 'Pod'),
    ];
    const codes = [...new Set(ordered.map(f => f.code))].join(', ');
    return `${refText(g.ref)}${
      multiCluster ? ` (cluster ${g.cluster})` : ''
    }: ${codes} — ${sentence(ordered[0].message)}`;
  });
  const more =
    groups.size > SUMMARY_WORKLOADS
      ? ` And ${plural(
          groups.size - SUMMARY_WORKLOADS,
          'more workload',
          'more workloads',
        )}.`
      : '';
  const linked = linkFindings(findings, contexts);
  const headline = headlineOf(linked, contexts);
  return {
    summary: `${head} ${named.join(' ')}${more}${partial}`,
    ...(headline ? { headline } : {}),
    findings: linked,
    recommendations: recommendationsFrom(linked, f =>
      fixesFor(f, {
        ctx: contexts.find(c => c.cluster === f.cluster),
        findings: linked,
      }),
    ),
  };
}
