import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  clause,
  conditionEvidence,
  describePod,
  eventEvidence,
  field,
  latestEvents,
  makeFinding,
  refOf,
} from '../common';
import { pendingCause } from '../pvc';
import { NAME, PodScope } from './scope';
import { lowerRequestsFix } from './typedFixes';

const SCHEDULING_NOTE =
  'A restart alone will not help: new pods ask the scheduler for the same nodes and wait the same way. What helps is changing what the pod asks for (requests, affinity, tolerations, volumes) or the nodes.';

/** The resources the scheduler says no node has enough of (`Insufficient cpu`). */
function insufficientOf(message: string): string[] {
  // `nvidia.com/gpu` has dots; the sentence's final period is not part of the name.
  return [
    ...new Set(
      [...message.matchAll(/Insufficient ([\w./-]*[\w/-])/g)].map(m => m[1]),
    ),
  ];
}

export function unschedulable(s: PodScope): Finding | undefined {
  const { pod } = s;
  const cond = pod.status?.conditions?.find(
    c =>
      c.type === 'PodScheduled' &&
      c.status === 'False' &&
      c.reason === 'Unschedulable',
  );
  const events = s.events.filter(e => e.reason === 'FailedScheduling');
  // Without the condition, a FailedScheduling event only counts while the pod
  // is still unbound: events outlive the problem they describe.
  if (
    !cond &&
    (pod.spec?.nodeName ||
      pod.status?.phase !== 'Pending' ||
      events.length === 0)
  ) {
    return undefined;
  }
  const reason =
    cond?.message ??
    events[events.length - 1]?.message ??
    'no node fits the pod';
  const claims = pendingClaims(s);
  const claimText = claims
    .map(
      c => ` PersistentVolumeClaim ${c.name} is Pending: ${clause(c.reason)}.`,
    )
    .join('');
  return makeFinding(NAME, s.ctx, {
    code: 'Unschedulable',
    severity: 'error',
    resource: refOf('Pod', pod),
    message: `${describePod(pod, s.owner)} cannot be scheduled: ${sentence(
      reason,
    )}${claimText}`,
    evidence: [
      ...s.base,
      ...(cond ? conditionEvidence('status.conditions', cond) : []),
      ...latestEvents(events, 2).map(eventEvidence),
      ...claims.map(c =>
        field(
          `spec.volumes[${c.volume}].persistentVolumeClaim.claimName`,
          c.name,
        ),
      ),
    ],
    proposedFix: claims.length
      ? {
          description: `Make PersistentVolumeClaim ${claims
            .map(c => c.name)
            .join(
              ', ',
            )} bindable (see its finding); the pod is scheduled once it binds.`,
          note: SCHEDULING_NOTE,
        }
      : (insufficientOf(reason).length > 0 &&
          lowerRequestsFix(
            s,
            insufficientOf(reason),
            schedulingAdvice(reason),
            SCHEDULING_NOTE,
          )) || {
          description: schedulingAdvice(reason),
          note: SCHEDULING_NOTE,
        },
  });
}

/** A message as a sentence, whatever punctuation it came with. */
function sentence(text: string): string {
  return `${clause(text)}.`;
}

/** The pod's claims that are Pending for a reason of their own. */
function pendingClaims(
  s: PodScope,
): Array<{ volume: string; name: string; reason: string }> {
  const ns = s.pod.metadata?.namespace;
  return (s.pod.spec?.volumes ?? []).flatMap(v => {
    const name = v.persistentVolumeClaim?.claimName;
    const pvc =
      name &&
      s.ctx.pvcs.find(
        p => p.metadata?.name === name && p.metadata?.namespace === ns,
      );
    const cause = pvc ? pendingCause(s.ctx, pvc) : undefined;
    return cause && name
      ? [{ volume: v.name, name, reason: cause.reason }]
      : [];
  });
}

/** Maps the scheduler's reasons (`0/3 nodes are available: …`) to advice. */
function schedulingAdvice(message: string): string {
  const advice: string[] = [];
  const insufficient = insufficientOf(message);
  if (insufficient.length > 0) {
    const res = insufficient.join(' and ');
    advice.push(
      `No node has enough free ${res} for the pod's requests: lower resources.requests (${res}) or add node capacity.`,
    );
  }
  // A cordoned node: "were unschedulable", or since Kubernetes 1.27 the
  // taint the node lifecycle controller puts on it.
  const taints = [
    ...message.matchAll(/untolerated taint\(?s?\)? \{([^:}]+)/gi),
  ].map(m => m[1].trim());
  if (
    /node\(s\) were unschedulable/i.test(message) ||
    taints.includes('node.kubernetes.io/unschedulable')
  ) {
    advice.push(
      'Some nodes are cordoned (spec.unschedulable, by kubectl cordon or a drain): uncordon them once their maintenance is done (kubectl uncordon <node>), or make room on the other nodes.',
    );
  }
  if (
    taints.some(t => t !== 'node.kubernetes.io/unschedulable') ||
    /had taint|didn't tolerate/i.test(message)
  ) {
    advice.push(
      'Some nodes have taints the pod does not tolerate: if it should run there, add a matching toleration.',
    );
  }
  if (/node affinity|node selector/i.test(message)) {
    advice.push(
      "No node matches the pod's nodeSelector/affinity: fix the selector or label the intended nodes.",
    );
  }
  if (/PersistentVolumeClaim|volume node affinity/i.test(message)) {
    advice.push(
      'A volume blocks scheduling: check the PersistentVolumeClaim (unbound or bound to a volume in another zone).',
    );
  }
  if (/didn't have free ports/i.test(message)) {
    advice.push(
      'The requested hostPort is taken on every node: drop hostPort or run fewer replicas per node.',
    );
  }
  if (/Too many pods/i.test(message)) {
    advice.push('Nodes reached their pod limit: add nodes or raise maxPods.');
  }
  return advice.length > 0
    ? advice.join(' ')
    : "Read the scheduler's message above and adjust the pod's requests, affinity or tolerations, or the nodes.";
}
