import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  ago,
  compact,
  describePod,
  eventEvidence,
  eventLastSeen,
  field,
  latestEvents,
  makeFinding,
  nowOf,
  refOf,
  timeOf,
} from '../common';
import { isMissingConfigMessage } from './config';
import { containersOf, NAME, PodScope, truncate } from './scope';

// Pods whose containers never got to start: the node cannot build the pod
// sandbox (network, CNI), or cannot attach or mount a volume. Both happen
// before any container is created, and both stop mattering once one runs.

/** A pod this young with few failures may still be on its first retry. */
const GRACE_MS = 2 * 60_000;

/** Whether any container of the pod has ever run (volumes and sandbox were ready). */
export function anyContainerStarted(pod: V1Pod): boolean {
  return containersOf(pod).some(
    c =>
      c.status.state?.running ||
      c.status.state?.terminated ||
      c.status.lastState?.terminated,
  );
}

function stuck(s: PodScope, events: CoreV1Event[]): boolean {
  if (events.length === 0 || anyContainerStarted(s.pod)) return false;
  const phase = s.pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const created = timeOf(
    s.pod.metadata?.creationTimestamp as Date | string | undefined,
  );
  const count = events.reduce((n, e) => n + (e.count ?? 1), 0);
  return count >= 3 || (!!created && nowOf(s.ctx) - created >= GRACE_MS);
}

const strip = (m: string | undefined) =>
  (m ?? '').replace(/^\(combined from similar events\): /, '');

function latest(events: CoreV1Event[]): CoreV1Event {
  return [...events].sort((a, b) => eventLastSeen(b) - eventLastSeen(a))[0];
}

function forSince(s: PodScope): string {
  const created = timeOf(
    s.pod.metadata?.creationTimestamp as Date | string | undefined,
  );
  return created ? ` for ${ago(nowOf(s.ctx) - created)}` : '';
}

/** The node cannot create the pod's sandbox (its network namespace, CNI). */
export function sandboxFailed(s: PodScope): Finding | undefined {
  const events = s.events.filter(e => e.reason === 'FailedCreatePodSandBox');
  if (!stuck(s, events)) return undefined;
  const last = latest(events);
  const message = strip(last.message);
  const node = s.pod.spec?.nodeName ?? 'its node';
  const cni = /network|cni|plugin type=|calico|cilium|flannel|weave/i.test(
    message,
  );
  const count = events.reduce((n, e) => n + (e.count ?? 1), 0);
  return makeFinding(NAME, s.ctx, {
    code: 'PodSandboxFailed',
    severity: 'error',
    resource: refOf('Pod', s.pod),
    message: `${describePod(
      s.pod,
      s.owner,
    )} has waited in ContainerCreating${forSince(
      s,
    )}: node ${node} cannot create its sandbox (${count} failed attempts)${
      cni ? ', because the network (CNI) plugin fails' : ''
    }: ${truncate(message, 300)}`,
    evidence: compact([
      ...s.base,
      field('spec.nodeName', node),
      ...latestEvents(events, 2).map(eventEvidence),
    ]),
    proposedFix: {
      description: cni
        ? `The pod is not the problem: the CNI plugin on node ${node} cannot set up pod networking. Check the network plugin's pods on that node (e.g. calico-node, cilium, aws-node in kube-system) and their logs and credentials; the kubelet retries by itself once the plugin works. Until then, cordon the node so new pods avoid it.`
        : `Node ${node} cannot create the pod sandbox: check its container runtime and the kubelet's log there; the kubelet retries by itself.`,
      note: 'A restart alone will not help: a new pod on the same node fails the same way.',
    },
  });
}

const MULTI_ATTACH_USERS =
  /Volume is already used by pod\(s\) ([^\s,]+(?:, [^\s,]+)*)/;
const UNMOUNTED = /unmounted volumes=\[([^\]]*)\]/;
const CSI_NOT_REGISTERED =
  /driver name (\S+) not found in the list of registered CSI drivers/;

/** The node cannot attach or mount the pod's volumes (not a missing ConfigMap/Secret). */
export function volumeMountFailed(s: PodScope): Finding | undefined {
  const events = s.events.filter(
    e =>
      (e.reason === 'FailedAttachVolume' || e.reason === 'FailedMount') &&
      !isMissingConfigMessage(e.message ?? ''),
  );
  if (!stuck(s, events)) return undefined;
  const attach = events.filter(e => e.reason === 'FailedAttachVolume');
  const mount = events.filter(e => e.reason === 'FailedMount');
  // The attach error names the cause; the kubelet's mount timeout only its effect.
  const cause = attach.length ? latest(attach) : latest(mount);
  const text = strip(cause.message);
  const multi = /Multi-Attach error/i.test(text);
  const users = MULTI_ATTACH_USERS.exec(text)?.[1];
  const volumes = (
    UNMOUNTED.exec(mount.map(e => e.message).join(' '))?.[1] ?? ''
  )
    .split(/\s+/)
    .filter(Boolean);
  const claims = (s.pod.spec?.volumes ?? []).filter(
    v =>
      v.persistentVolumeClaim && (!volumes.length || volumes.includes(v.name)),
  );
  const rolling =
    s.owner?.ref.kind === 'Deployment' &&
    s.ctx.deployments.find(
      d =>
        d.metadata?.name === s.owner?.ref.name &&
        d.metadata?.namespace === s.owner?.ref.namespace,
    )?.spec?.strategy?.type !== 'Recreate';
  const claimNames = claims
    .map(v => v.persistentVolumeClaim!.claimName)
    .join(', ');
  let description = `Find out why the volume cannot be attached or mounted (the events name the driver's error) and fix the volume, its StorageClass or the node; the kubelet retries by itself.`;
  const driver = CSI_NOT_REGISTERED.exec(
    events.map(e => e.message).join(' '),
  )?.[1];
  if (driver) {
    description = `The CSI driver ${driver} is not running on node ${
      s.pod.spec?.nodeName ?? 'of the pod'
    }: check its node plugin (usually a DaemonSet in kube-system or the driver's namespace) on that node; the kubelet mounts the volume once the driver registers.`;
  } else if (multi) {
    description = `A ReadWriteOnce volume${
      claimNames ? ` (PersistentVolumeClaim ${claimNames})` : ''
    } is still attached to another node${
      users ? ` for pod(s) ${users}` : ''
    }, and can be attached to one node at a time. ${
      rolling
        ? `A RollingUpdate starts the new pod before the old one stops: give ${s.owner?.ref.kind} ${s.owner?.ref.name} strategy Recreate (or a ReadWriteMany volume), or let the new pod run on the old pod's node.`
        : 'Once the other pod is gone (or its node is confirmed down and the VolumeAttachment released), the attach proceeds.'
    }`;
  }
  return makeFinding(NAME, s.ctx, {
    code: 'VolumeMountFailed',
    severity: 'error',
    resource: refOf('Pod', s.pod),
    message: `${describePod(
      s.pod,
      s.owner,
    )} has waited in ContainerCreating${forSince(s)}: its volume${
      volumes.length > 1 ? 's' : ''
    }${volumes.length ? ` ${volumes.join(', ')}` : ''} cannot be ${
      attach.length ? 'attached' : 'mounted'
    }: ${truncate(text, 300)}`,
    evidence: compact([
      ...s.base,
      ...claims.map(v =>
        field(
          `spec.volumes[${v.name}].persistentVolumeClaim.claimName`,
          v.persistentVolumeClaim!.claimName,
        ),
      ),
      ...latestEvents(attach, 1).map(eventEvidence),
      ...latestEvents(mount, 1).map(eventEvidence),
    ]),
    proposedFix: {
      description,
      note: 'A restart alone will not help: a new pod needs the same volume and waits the same way.',
    },
  });
}
