import { createHash } from 'node:crypto';
import { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { SEVERITY_RANK } from '../analyzers/common';

/**
 * A finding's identity across scans: its code, cluster, resource kind,
 * namespace and name, and container. Pod names change with every rollout,
 * so a crash-looping Deployment's pods give a new fingerprint per pod; the
 * Deployment's own finding (DeploymentUnavailable) keeps its fingerprint.
 * The message and evidence (restart counts, timestamps) are not part of it.
 */
export function fingerprintOf(finding: Finding): string {
  const parts = [
    finding.code,
    finding.cluster,
    finding.resource.kind.toLowerCase(),
    finding.resource.namespace ?? '',
    finding.resource.name,
    finding.container ?? '',
  ];
  // JSON keeps the parts apart: no separator inside a name can shift them.
  return createHash('sha256')
    .update(JSON.stringify(parts))
    .digest('hex')
    .slice(0, 32);
}

/** `CrashLoopBackOff: Pod shop/checkout-7d9f-x2 (container app)`. */
export function titleOf(finding: Finding): string {
  const { kind, namespace, name } = finding.resource;
  const where = namespace ? `${namespace}/${name}` : name;
  const container = finding.container
    ? ` (container ${finding.container})`
    : '';
  return `${finding.code}: ${kind} ${where}${container}`.slice(0, 512);
}

/** One finding per fingerprint: the most severe when several share one. */
export function byFingerprint(findings: Finding[]): Map<string, Finding> {
  const result = new Map<string, Finding>();
  for (const finding of findings) {
    const key = fingerprintOf(finding);
    const seen = result.get(key);
    if (
      !seen ||
      SEVERITY_RANK[finding.severity] > SEVERITY_RANK[seen.severity]
    ) {
      result.set(key, finding);
    }
  }
  return result;
}

/**
 * What a scan found, as the scan compares it with what it last recorded:
 * the fingerprints with their severities, and whether the diagnosis was
 * complete (a cluster that could not be read is news too). Messages and
 * evidence (restart counts, timestamps) change every scan and are left out.
 */
export function scanSignatureOf(
  findings: Finding[],
  complete: boolean,
): string {
  const pairs = [...byFingerprint(findings)]
    .map(([fingerprint, finding]) => `${fingerprint}:${finding.severity}`)
    .sort();
  return createHash('sha256')
    .update(JSON.stringify({ findings: pairs, complete }))
    .digest('hex');
}
