import type {
  Finding,
  ProposedFix,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  describePod,
  eventConcernsContainer,
  eventEvidence,
  field,
  latestEvents,
  makeFinding,
  refOf,
  WorkloadOwner,
} from '../common';
import { ContainerView, NAME, PodScope } from './scope';
import { setImageFix } from './typedFixes';

/** Waiting reasons of a container whose image cannot be pulled. */
const IMAGE_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

export function imagePull(s: PodScope, c: ContainerView): Finding | undefined {
  const waiting = c.status.state?.waiting;
  if (!waiting?.reason || !IMAGE_REASONS.has(waiting.reason)) return undefined;
  const image = c.spec?.image ?? c.status.image;
  const pullEvents = s.events.filter(
    e =>
      eventConcernsContainer(e, s.pod, c.name) &&
      ['Failed', 'BackOff', 'InspectFailed', 'ErrImageNeverPull'].includes(
        e.reason ?? '',
      ) &&
      /image|pull/i.test(e.message ?? ''),
  );
  // The kubelet's "Failed to pull image …" event carries the registry's
  // answer; the later "Error: ImagePullBackOff" events and the waiting
  // message only say that it is backing off. Keep the informative one.
  const failedPull = [...pullEvents]
    .reverse()
    .find(e => /Failed to pull image/i.test(e.message ?? ''));
  const others = latestEvents(
    pullEvents.filter(e => e !== failedPull),
    failedPull ? 2 : 3,
  );
  const events = failedPull ? [failedPull, ...others] : others;
  const detail = failedPull?.message ?? waiting.message ?? waiting.reason;
  return makeFinding(NAME, s.ctx, {
    code: 'ImagePullBackOff',
    severity: 'error',
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: `Container "${c.name}" of ${describePod(
      s.pod,
      s.owner,
    )} cannot pull image ${image} (${waiting.reason}): ${detail}`,
    evidence: [
      ...s.base,
      field(`${c.statusPath}.state.waiting.reason`, waiting.reason),
      ...(waiting.message
        ? [field(`${c.statusPath}.state.waiting.message`, waiting.message)]
        : []),
      field(`${c.specPath}.image`, image),
      ...events.map(eventEvidence),
    ],
    proposedFix: imageFix(s, c, waiting.reason, detail, image),
  });
}

const NOT_FOUND = /not found|manifest unknown|does not exist|no such (?!host)/i;
const REFUSED =
  /unauthori[sz]ed|denied|authentication required|forbidden|no basic auth/i;
const UNREACHABLE =
  /timeout|i\/o timeout|connection refused|no such host|dial tcp/i;

const PULL_NOTE =
  'A restart alone will not help: the kubelet already retries the pull, and the same reference fails the same way. What helps is an image that exists and may be pulled: push the tag, set the image to a tag that exists, or add an imagePullSecret.';

/**
 * Only a person knows the right tag: when another reference can help (a
 * malformed or missing image), an update plan for the one they type;
 * otherwise (credentials, network) advice only.
 */
function imageFix(
  s: PodScope,
  c: ContainerView,
  reason: string,
  detail: string,
  image: string,
): ProposedFix {
  const problem = pullProblem(reason, detail, image);
  return (
    (problem && setImageFix(s, c, image, problem, PULL_NOTE)) || {
      description: imageAdvice(reason, detail, image, s.owner),
      note: PULL_NOTE,
    }
  );
}

/** Why the pull fails, when another reference can help; else undefined. */
function pullProblem(
  reason: string,
  detail: string,
  image: string,
): string | undefined {
  if (reason === 'InvalidImageName') {
    return `The image reference "${image}" is malformed.`;
  }
  if (NOT_FOUND.test(detail)) {
    return `The registry has no image "${image}"; pushing that tag would also do.`;
  }
  if (REFUSED.test(detail) || UNREACHABLE.test(detail)) return undefined;
  return `Check that "${image}" exists and that the nodes may pull it.`;
}

function imageAdvice(
  reason: string,
  detail: string,
  image: string,
  owner: WorkloadOwner | undefined,
): string {
  const where = owner ? `${owner.ref.kind} ${owner.ref.name}` : 'the pod';
  if (reason === 'InvalidImageName') {
    return `The image reference "${image}" is malformed: correct it in ${where}.`;
  }
  if (NOT_FOUND.test(detail)) {
    return `The registry has no image "${image}": push that tag, or set the image of ${where} to a tag that exists.`;
  }
  if (REFUSED.test(detail)) {
    return `The registry refused the pull of "${image}": give ${where} an imagePullSecret with access to the repository, or check the repository name.`;
  }
  if (UNREACHABLE.test(detail)) {
    return `The node cannot reach the registry for "${image}": check DNS, egress and registry availability from the nodes.`;
  }
  return `Check that "${image}" exists and that the nodes may pull it, then correct the image of ${where}.`;
}
