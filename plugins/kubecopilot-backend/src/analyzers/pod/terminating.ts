import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  ago,
  compact,
  describePod,
  field,
  makeFinding,
  nowOf,
  refOf,
  stamp,
  timeOf,
} from '../common';
import { NAME, PodScope } from './scope';

/**
 * How far past its deletionTimestamp (which already includes the grace
 * period) a pod may still exist: the kubelet needs a moment to report the
 * containers stopped, a finalizer a moment to run.
 */
export const TERMINATING_SLACK_MS = 5 * 60_000;

/**
 * A pod deleted long ago that still exists: its node stopped reporting (so
 * no kubelet confirms the containers stopped), or a finalizer holds it. A
 * StatefulSet does not recreate a pod while the old one with its name
 * exists, so there the ordinal stays down.
 */
export function stuckTerminating(s: PodScope): Finding | undefined {
  const { pod, ctx } = s;
  const deleted = timeOf(
    pod.metadata?.deletionTimestamp as Date | string | undefined,
  );
  if (!deleted) return undefined;
  const late = nowOf(ctx) - deleted;
  if (late < TERMINATING_SLACK_MS) return undefined;
  const nodeName = pod.spec?.nodeName;
  const node = ctx.nodes.find(n => n.metadata?.name === nodeName);
  const ready = node?.status?.conditions?.find(c => c.type === 'Ready');
  const nodeDown = !!ready && ready.status !== 'True';
  const finalizers = pod.metadata?.finalizers ?? [];
  const statefulSet = s.owner?.ref.kind === 'StatefulSet';
  const why = [
    nodeDown
      ? ` Its node ${nodeName} is not ready (${
          ready?.message?.replace(/\.$/, '') ??
          ready?.reason ??
          `Ready ${ready?.status}`
        }), so no kubelet confirms that its containers stopped.`
      : '',
    finalizers.length ? ` Finalizers hold it: ${finalizers.join(', ')}.` : '',
    statefulSet
      ? ` StatefulSet ${s.owner?.ref.name} does not recreate ${pod.metadata?.name} while this pod exists.`
      : '',
  ].join('');
  let description = `Find what keeps the pod from going away (its node, a finalizer), and remove that; the controller replaces the pod once it is gone.`;
  if (nodeDown) {
    description = `Confirm that node ${nodeName} is really down (the machine is off or deleted), then force-delete the pod (kubectl delete pod ${
      pod.metadata?.name
    } -n ${
      pod.metadata?.namespace
    } --grace-period=0 --force) or delete the Node object, so ${
      statefulSet
        ? 'the StatefulSet recreates it on a healthy node'
        : 'it is cleaned up'
    }. Force-deleting while the node still runs the containers can run two pods with the same identity.`;
  } else if (finalizers.length) {
    description = `The controllers behind finalizer${
      finalizers.length > 1 ? 's' : ''
    } ${finalizers.join(
      ', ',
    )} have not released the pod: check them (or remove a finalizer whose controller is gone, knowing its cleanup is skipped).`;
  }
  return makeFinding(NAME, ctx, {
    code: 'PodStuckTerminating',
    severity: statefulSet ? 'error' : 'warning',
    resource: refOf('Pod', pod),
    message: `${describePod(pod, s.owner)} has been Terminating for ${ago(
      late,
    )} past its grace period.${why}`,
    evidence: compact([
      ...s.base,
      field(
        'metadata.deletionTimestamp',
        stamp(pod.metadata?.deletionTimestamp),
      ),
      pod.metadata?.deletionGracePeriodSeconds !== undefined
        ? field(
            'metadata.deletionGracePeriodSeconds',
            pod.metadata.deletionGracePeriodSeconds,
          )
        : undefined,
      finalizers.length
        ? field('metadata.finalizers', finalizers.join(', '))
        : undefined,
      nodeName ? field('spec.nodeName', nodeName) : undefined,
      nodeDown && ready
        ? field(
            `Node/${nodeName}.status.conditions[Ready].status`,
            ready.status,
          )
        : undefined,
    ]),
    proposedFix: {
      description,
      note: 'A restart alone will not help: the pod is already being deleted; what holds it must let go.',
    },
  });
}
