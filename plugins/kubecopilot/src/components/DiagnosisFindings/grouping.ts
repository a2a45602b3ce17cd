import {
  Finding,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** The workload a set of findings is about. */
export interface WorkloadGroup {
  key: string;
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
  severity: Severity;
  findings: Finding[];
}

const SEVERITY_RANK: Record<Severity, number> = {
  critical: 3,
  error: 2,
  warning: 1,
  info: 0,
};

/** Most severe first. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[b] - SEVERITY_RANK[a];
}

/**
 * A pod finding's first evidence is its owner chain
 * (`ReplicaSet/x → Deployment/y`); the last link is the workload a person
 * thinks in. Anything else is its own workload.
 */
export function workloadOf(finding: Finding): {
  kind: string;
  name: string;
} {
  const owners = finding.evidence.find(
    e => e.type === 'field' && e.path === 'metadata.ownerReferences',
  )?.value;
  const last = owners?.split('→').pop()?.trim();
  const slash = last ? last.indexOf('/') : -1;
  if (last && slash > 0 && slash < last.length - 1) {
    return { kind: last.slice(0, slash), name: last.slice(slash + 1) };
  }
  return { kind: finding.resource.kind, name: finding.resource.name };
}

/** Findings grouped by workload, the most severe workload first. */
export function groupFindingsByWorkload(findings: Finding[]): WorkloadGroup[] {
  const groups = new Map<string, WorkloadGroup>();
  for (const finding of findings) {
    const { kind, name } = workloadOf(finding);
    const namespace = finding.resource.namespace;
    const key = [finding.cluster, namespace ?? '', kind, name].join('/');
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        cluster: finding.cluster,
        kind,
        namespace,
        name,
        severity: finding.severity,
        findings: [],
      };
      groups.set(key, group);
    }
    group.findings.push(finding);
    if (compareSeverity(finding.severity, group.severity) < 0) {
      group.severity = finding.severity;
    }
  }
  const sorted = [...groups.values()];
  for (const group of sorted) {
    group.findings.sort((a, b) => compareSeverity(a.severity, b.severity));
  }
  // Array.prototype.sort is stable, so equal workloads keep the backend's order.
  return sorted.sort((a, b) => compareSeverity(a.severity, b.severity));
}
