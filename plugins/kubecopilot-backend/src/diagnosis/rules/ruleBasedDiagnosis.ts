import type {
  Finding,
  ObjectRef,
  Recommendation,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AnalysisContext, workloadOf } from '../../analyzers';

export interface RuleBasedDiagnosis {
  summary: string;
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

/** The workload a human thinks in for a finding: a pod's Deployment, say. */
export function workloadRefOf(
  finding: Finding,
  contexts: AnalysisContext[],
): ObjectRef {
  const r = finding.resource;
  const ctx = contexts.find(c => c.cluster === finding.cluster);
  if (!ctx) return r;
  if (r.kind === 'Pod') {
    const pod = ctx.pods.find(
      p => p.metadata?.name === r.name && p.metadata?.namespace === r.namespace,
    );
    return (pod && workloadOf(ctx, pod)?.ref) ?? r;
  }
  if (r.kind === 'ReplicaSet') {
    const rs = ctx.replicasets.find(
      x => x.metadata?.name === r.name && x.metadata?.namespace === r.namespace,
    );
    const owner = rs?.metadata?.ownerReferences?.find(o => o.controller);
    if (owner?.kind === 'Deployment') {
      return { kind: 'Deployment', namespace: r.namespace, name: owner.name };
    }
  }
  return r;
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
 * One recommendation per proposed fix, pods' first, then worst first. A fix with a
 * structured action keeps it with its target and cluster, so the plan
 * builder can turn it into a plan in one click; the same action on the same
 * target is recommended once.
 */
export function recommendationsFrom(findings: Finding[]): Recommendation[] {
  const seen = new Set<string>();
  const out: Recommendation[] = [];
  // Causes before symptoms: a pod's fix (set the missing variable) comes
  // before its Deployment's ("see the pod findings").
  const ordered = [
    ...findings.filter(f => f.resource.kind === 'Pod'),
    ...findings.filter(f => f.resource.kind !== 'Pod'),
  ];
  for (const f of ordered) {
    const fix = f.proposedFix;
    if (!fix) continue;
    const target = fix.target
      ? { ...fix.target, cluster: f.cluster }
      : undefined;
    const key =
      fix.action && target
        ? `${fix.action}|${target.cluster}|${refText(target)}`
        : fix.description;
    if (seen.has(key)) continue;
    seen.add(key);
    if (fix.action && target) {
      out.push({
        title: `${capitalize(fix.action)} ${refText(target)}`,
        detail: fix.description,
        action: fix.action,
        target,
        ...(fix.params ? { params: fix.params } : {}),
      });
    } else {
      const { first, rest } = firstSentence(fix.description);
      out.push({
        title: first,
        ...(rest ? { detail: rest } : {}),
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

  if (findings.length === 0) {
    if (contexts.length === 0) {
      return {
        summary:
          errors.length > 0
            ? `Nothing could be read for this entity, so nothing was diagnosed: ${errors[0]}`
            : 'The entity has no Kubernetes objects to diagnose.',
        recommendations: [],
      };
    }
    const pods = contexts.reduce((n, c) => n + c.pods.length, 0);
    const clusters = contexts.map(c => c.cluster).join(', ');
    return {
      summary: `No problems found: ${plural(pods, 'pod', 'pods')} and ${
        contexts.length === 1 ? 'its' : 'their'
      } workloads in cluster${
        contexts.length === 1 ? '' : 's'
      } ${clusters} look healthy.${partial}`,
      recommendations: [],
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
  return {
    summary: `${head} ${named.join(' ')}${more}${partial}`,
    recommendations: recommendationsFrom(findings),
  };
}
