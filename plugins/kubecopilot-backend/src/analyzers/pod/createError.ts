import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  compact,
  describePod,
  eventConcernsContainer,
  eventEvidence,
  field,
  latestEvents,
  makeFinding,
  refOf,
} from '../common';
import { isMissingConfigMessage } from './config';
import { ContainerView, NAME, ownerName, PodScope, truncate } from './scope';

// Containers the kubelet cannot create or start: the runtime or the
// kubelet refuses the container before its process runs, so there is no
// exit code and no log, only the waiting reason and its message.

const CREATE_REASONS = new Set([
  'CreateContainerError',
  'CreateContainerConfigError',
  'RunContainerError',
]);

const NOT_EXECUTABLE =
  /exec: "?([^":]+)"?: (?:executable file not found|no such file or directory|permission denied)/i;

/** What to do about the runtime's (or the kubelet's) refusal, by its words. */
function advice(s: PodScope, c: ContainerView, message: string): string {
  const where = ownerName(s);
  if (/runAsNonRoot and image will run as root/i.test(message)) {
    return `The pod requires runAsNonRoot, but image ${
      c.spec?.image ?? c.status.image
    } runs as root (UID 0). Set securityContext.runAsUser of container "${
      c.name
    }" in ${where} to a non-zero UID the image supports, or use an image built to run unprivileged (a non-root USER).`;
  }
  if (/runAsNonRoot and image has non-numeric user/i.test(message)) {
    return `The pod requires runAsNonRoot, but the image names its user by name, which the kubelet cannot verify: set a numeric securityContext.runAsUser for container "${c.name}" in ${where}.`;
  }
  const exec = NOT_EXECUTABLE.exec(message);
  if (exec) {
    return /permission denied/i.test(message)
      ? `The runtime cannot execute "${exec[1]}" (permission denied): make it executable in the image, or fix the command of container "${c.name}" in ${where}.`
      : `The image has no executable "${exec[1]}": fix the command/args of container "${c.name}" in ${where} (or the image's entrypoint) so it names a program the image contains.`;
  }
  if (/subPath/i.test(message)) {
    return `The kubelet cannot prepare a volumeMount subPath of container "${c.name}": check that the subPath exists in the volume (and the volume is mounted read-write if the kubelet must create it) in ${where}.`;
  }
  if (
    /failed to reserve container name|context deadline exceeded/i.test(message)
  ) {
    return `The container runtime on the node is slow or stuck (${truncate(
      message,
      80,
    )}): the kubelet retries by itself; if it persists, check the runtime (containerd/CRI-O) and the load of node ${
      s.pod.spec?.nodeName ?? 'the node'
    }.`;
  }
  return `The runtime refuses to create container "${c.name}": the message in the evidence says why; fix the pod template of ${where} accordingly.`;
}

/**
 * A container the kubelet cannot create or start (CreateContainerError,
 * RunContainerError, or a CreateContainerConfigError that is not a missing
 * ConfigMap/Secret, which ./config reports).
 */
export function createError(
  s: PodScope,
  c: ContainerView,
): Finding | undefined {
  const waiting = c.status.state?.waiting;
  if (!waiting?.reason || !CREATE_REASONS.has(waiting.reason)) return undefined;
  const last = c.status.lastState?.terminated;
  const message =
    waiting.message ?? (last?.reason === 'StartError' ? last.message : '');
  if (!message) return undefined;
  if (
    waiting.reason === 'CreateContainerConfigError' &&
    isMissingConfigMessage(message)
  ) {
    return undefined;
  }
  const failed = s.events.filter(
    e =>
      e.reason === 'Failed' &&
      eventConcernsContainer(e, s.pod, c.name) &&
      /^Error: /.test(e.message ?? ''),
  );
  return makeFinding(NAME, s.ctx, {
    code: 'ContainerCreateError',
    severity: 'error',
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: `Container "${c.name}" of ${describePod(
      s.pod,
      s.owner,
    )} cannot be ${
      waiting.reason === 'RunContainerError' ? 'started' : 'created'
    } (${waiting.reason}): ${truncate(message, 300)}`,
    evidence: compact([
      ...s.base,
      field(`${c.statusPath}.state.waiting.reason`, waiting.reason),
      field(`${c.statusPath}.state.waiting.message`, message),
      last?.reason === 'StartError'
        ? field(`${c.statusPath}.lastState.terminated.reason`, last.reason)
        : undefined,
      c.spec?.command
        ? field(`${c.specPath}.command`, c.spec.command.join(' '))
        : undefined,
      ...latestEvents(failed, 1).map(eventEvidence),
    ]),
    proposedFix: {
      description: advice(s, c, message),
      note: 'A restart alone will not help: the kubelet already retries, and the same pod template is refused the same way.',
    },
  });
}
