import { createHash } from 'node:crypto';
import { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';

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
