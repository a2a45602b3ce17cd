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
import { ContainerView, NAME, ownerName, PodScope } from './scope';
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
  // The kubelet says when an imagePullSecret the pod names does not exist
  // (pod-level, no fieldPath): it then pulls without those credentials.
  const noSecret = latestEvents(
    s.events.filter(e => e.reason === 'FailedToRetrieveImagePullSecret'),
    1,
  );
  const events = [
    ...(failedPull ? [failedPull, ...others] : others),
    ...noSecret,
  ];
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
    proposedFix: imageFix(
      s,
      c,
      waiting.reason,
      detail,
      image,
      missingPullSecrets(noSecret[0]?.message),
    ),
  });
}

const NOT_FOUND = /not found|manifest unknown|does not exist|no such (?!host)/i;
/**
 * Docker Hub's (and some registries') answer for a repository that does not
 * exist OR that the pull may not read: only a private repository needs
 * credentials, and Docker Hub's official images (`docker.io/library/…`) are
 * all public, so there it means a wrong name.
 */
const DENIED_OR_MISSING = /pull access denied|may require authorization/i;
const OFFICIAL_IMAGE = /"docker\.io\/library\//;
/** The image exists, but not for the node's OS/architecture. */
const NO_PLATFORM = /no match for platform in manifest/i;
/** The node does not trust the registry's TLS certificate. */
const UNTRUSTED = /x509: certificate|tls: failed to verify certificate/i;
/** The registry throttles pulls: the image exists, pulling it again later works. */
const RATE_LIMITED = /toomanyrequests|429 Too Many Requests|pull rate limit/i;
const REFUSED =
  /unauthori[sz]ed|denied|authentication required|forbidden|no basic auth/i;
const UNREACHABLE =
  /timeout|i\/o timeout|connection refused|no such host|dial tcp/i;

const RATE_LIMIT_NOTE =
  'A restart alone will not help, and neither will another tag: the kubelet retries the pull by itself, and it succeeds once the registry lets this node pull again.';

const PULL_NOTE =
  'A restart alone will not help: the kubelet already retries the pull, and the same reference fails the same way. What helps is an image that exists and may be pulled: push the tag, set the image to a tag that exists, or add an imagePullSecret.';

/**
 * Only a person knows the right tag: when another reference can help (a
 * malformed or missing image), an update plan for the one they type;
 * otherwise (credentials, network) advice only.
 */
/** The Secrets of "Unable to retrieve some image pull secrets (a, b); …". */
function missingPullSecrets(message: string | undefined): string[] {
  const names = /image pull secrets \(([^)]*)\)/i.exec(message ?? '')?.[1];
  return names ? names.split(/,\s*/).filter(Boolean) : [];
}

function imageFix(
  s: PodScope,
  c: ContainerView,
  reason: string,
  detail: string,
  image: string,
  absentSecrets: string[],
): ProposedFix {
  const kind = pullFailureKind(reason, detail);
  if (kind === 'refused' && absentSecrets.length > 0) {
    const names = absentSecrets.join(', ');
    const one = absentSecrets.length === 1;
    return {
      description: `The pod's imagePullSecret${one ? '' : 's'} ${names} ${
        one ? 'does' : 'do'
      } not exist in namespace ${
        s.pod.metadata?.namespace
      }, so the kubelet pulled "${image}" without ${
        one ? 'its' : 'their'
      } credentials and the registry refused. Create ${
        one ? 'that Secret' : 'those Secrets'
      } (type kubernetes.io/dockerconfigjson) in the namespace, or fix the name in ${ownerName(
        s,
      )}; the kubelet retries the pull by itself.`,
      note: PULL_NOTE,
    };
  }
  const problem = pullProblem(kind, image);
  return (
    (problem && setImageFix(s, c, image, problem, PULL_NOTE)) || {
      description: imageAdvice(
        kind,
        image,
        s.owner,
        (s.pod.spec?.imagePullSecrets ?? []).length > 0,
      ),
      note: kind === 'rate-limited' ? RATE_LIMIT_NOTE : PULL_NOTE,
    }
  );
}

type PullFailure =
  | 'malformed'
  | 'not-found'
  | 'refused'
  | 'rate-limited'
  | 'wrong-platform'
  | 'untrusted'
  | 'unreachable'
  | 'unknown';

/** What the registry's (or the runtime's) answer says went wrong. */
function pullFailureKind(reason: string, detail: string): PullFailure {
  if (reason === 'InvalidImageName') return 'malformed';
  if (RATE_LIMITED.test(detail)) return 'rate-limited';
  if (NO_PLATFORM.test(detail)) return 'wrong-platform';
  if (UNTRUSTED.test(detail)) return 'untrusted';
  if (DENIED_OR_MISSING.test(detail)) {
    return OFFICIAL_IMAGE.test(detail) ? 'not-found' : 'refused';
  }
  if (NOT_FOUND.test(detail)) return 'not-found';
  if (REFUSED.test(detail)) return 'refused';
  if (UNREACHABLE.test(detail)) return 'unreachable';
  return 'unknown';
}

/** Why the pull fails, when another reference can help; else undefined. */
function pullProblem(kind: PullFailure, image: string): string | undefined {
  if (kind === 'malformed') {
    return `The image reference "${image}" is malformed.`;
  }
  if (kind === 'not-found') {
    return `The registry has no image "${image}"; pushing that tag would also do.`;
  }
  if (kind === 'unknown') {
    return `Check that "${image}" exists and that the nodes may pull it.`;
  }
  // Credentials, throttling and the network are not fixed by another tag.
  return undefined;
}

function imageAdvice(
  kind: PullFailure,
  image: string,
  owner: WorkloadOwner | undefined,
  hasPullSecrets: boolean,
): string {
  const where = owner ? `${owner.ref.kind} ${owner.ref.name}` : 'the pod';
  switch (kind) {
    case 'malformed':
      return `The image reference "${image}" is malformed: correct it in ${where}.`;
    case 'not-found':
      return `The registry has no image "${image}": push that tag, or set the image of ${where} to a tag that exists.`;
    case 'refused':
      return hasPullSecrets
        ? `The registry refused the pull of "${image}": the credentials in the pod's imagePullSecrets have no access to the repository (or the repository name is wrong). Check the Secret's registry and account, or correct the repository name in ${where}.`
        : `The registry refused the pull of "${image}" and the pod has no imagePullSecrets: a private repository needs one. Create a docker-registry Secret with read access and add it to ${where} (spec.template.spec.imagePullSecrets) or to its ServiceAccount; if the repository is meant to be public, check its name.`;
    case 'rate-limited':
      return `The registry is rate-limiting pulls of "${image}" (429 Too Many Requests); the image exists. Pull with an authenticated account (an imagePullSecret on ${where} or its ServiceAccount), or through a registry mirror or pull-through cache; the kubelet pulls it once the limit allows.`;
    case 'wrong-platform':
      return `The image "${image}" exists, but has no variant for the node's OS/architecture ("no match for platform in manifest"): publish it for the nodes' platform (a multi-arch image, e.g. docker buildx build --platform linux/amd64,linux/arm64), or keep the pods on matching nodes with a nodeSelector on kubernetes.io/arch.`;
    case 'untrusted':
      return `The node does not trust the registry's TLS certificate for "${image}" (x509): give the nodes' container runtime the registry's CA (containerd: /etc/containerd/certs.d/<registry>/ca.crt), or use a certificate from a CA the nodes trust.`;
    case 'unreachable':
      return `The node cannot reach the registry for "${image}": check DNS, egress and registry availability from the nodes.`;
    default:
      return `Check that "${image}" exists and that the nodes may pull it, then correct the image of ${where}.`;
  }
}
