import type {
  Finding,
  ObjectRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AnalysisContext, missingVariableOf } from '../../analyzers';
import { workloadRefOf } from './workloadRef';

const refText = (r: ObjectRef) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

const sameRef = (
  o: { metadata?: { name?: string; namespace?: string } },
  r: ObjectRef,
) => o.metadata?.name === r.name && o.metadata?.namespace === r.namespace;

/** Ready and desired replicas of the workload (or pod) a headline is about. */
function readiness(
  ref: ObjectRef,
  ctx: AnalysisContext | undefined,
): { ready: number; desired: number } | undefined {
  if (!ctx) return undefined;
  if (ref.kind === 'Deployment' || ref.kind === 'StatefulSet') {
    const list = ref.kind === 'Deployment' ? ctx.deployments : ctx.statefulsets;
    const w = list.find(x => sameRef(x, ref));
    if (!w) return undefined;
    return {
      ready: w.status?.readyReplicas ?? 0,
      desired: w.spec?.replicas ?? 1,
    };
  }
  if (ref.kind === 'DaemonSet') {
    const w = ctx.daemonsets.find(x => sameRef(x, ref));
    if (!w) return undefined;
    return {
      ready: w.status?.numberReady ?? 0,
      desired: w.status?.desiredNumberScheduled ?? 0,
    };
  }
  if (ref.kind === 'Pod') {
    const pod = ctx.pods.find(x => sameRef(x, ref));
    if (!pod) return undefined;
    const ready = pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    );
    return { ready: ready ? 1 : 0, desired: 1 };
  }
  return undefined;
}

/**
 * The version a person calls a build by: the image's tag ("2.3.1"), else
 * its short name ("checkout@sha256:…" stays long, so the name only).
 */
function versionOf(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const last = image.split('/').pop() ?? image;
  const [name] = last.split('@');
  const colon = name.lastIndexOf(':');
  return colon > 0 ? name.slice(colon + 1) : undefined;
}

function imageOf(f: Finding, ctx: AnalysisContext | undefined) {
  const pod = ctx?.pods.find(p => sameRef(p, f.resource));
  const all = [
    ...(pod?.spec?.initContainers ?? []),
    ...(pod?.spec?.containers ?? []),
  ];
  return all.find(c => c.name === f.container)?.image;
}

function logLinesOf(f: Finding): string[] {
  return f.evidence.flatMap(e => (e.type === 'log' ? e.lines ?? [] : []));
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function firstSentence(text: string): string {
  const m = /^(.+?)[.!?](?:\s|$)/.exec(text.trim());
  return m ? m[1] : text.trim();
}

/** What the cause finding says went wrong, as the half after the colon. */
function causePhrase(f: Finding, ctx: AnalysisContext | undefined): string {
  const version = versionOf(imageOf(f, ctx));
  const who = version ?? `container "${f.container}"`;
  switch (f.code) {
    case 'CrashLoopBackOff': {
      const variable = missingVariableOf(logLinesOf(f));
      if (variable) return `${who} exits because ${variable} is not set`;
      if (/liveness probe fails/.test(f.message)) {
        return `${who} is killed by its failing liveness probe`;
      }
      const exit = /exited with code (\d+)/.exec(f.message)?.[1];
      // The log line without the timestamp the logger put before it.
      const says = /Its log says: (.*)$/
        .exec(f.message)?.[1]
        ?.replace(
          /^\[?\d{4}-\d{2}-\d{2}[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?\]?\s*/,
          '',
        );
      return truncate(
        `${who} exits${exit ? ` with code ${exit}` : ''}${
          says ? `: ${says}` : ''
        }`,
        160,
      );
    }
    case 'OOMKilled': {
      const limit = /memory limit of ([0-9.]+[A-Za-z]*)/.exec(f.message)?.[1];
      return `${who} runs out of memory${
        limit ? ` at its ${limit} limit` : ''
      }`;
    }
    case 'ImagePullBackOff': {
      const image = imageOf(f, ctx);
      const short = image?.split('/').pop();
      return `image ${short ?? 'of the container'} cannot be pulled`;
    }
    case 'MissingConfigMap':
    case 'MissingSecret': {
      const m =
        /(ConfigMap|Secret) "([^"]+)" (does not exist|has no key "[^"]+")/.exec(
          f.message,
        );
      return m ? `${m[1]} ${m[2]} ${m[3]}` : firstSentence(f.message);
    }
    case 'ContainerExited': {
      const m = /exited with code (\d+)(?: \([^)]*\))?: ([^.]*)/.exec(
        f.message,
      );
      return m
        ? truncate(`${who} exited with code ${m[1]}: ${m[2]}`, 160)
        : firstSentence(f.message);
    }
    case 'ReplicaSetFailedCreate': {
      const why = /cannot create pods \([^)]*\): (.*)$/.exec(f.message)?.[1];
      return truncate(`its pods are refused${why ? `: ${why}` : ''}`, 200);
    }
    case 'PvcPending':
      return `PersistentVolumeClaim ${f.resource.name} is not bound, so its pods cannot be scheduled`;
    case 'Unschedulable': {
      // The scheduler's own reasons, without its preemption postscript.
      const why =
        /nodes are available: (.+?)(?:\. preemption:|\.(?:\s|$)|$)/.exec(
          f.message,
        )?.[1];
      return truncate(
        `its pods cannot be scheduled${why ? `: ${why}` : ''}`,
        160,
      );
    }
    case 'ProbeFailure': {
      const killer =
        /restarted over and over by its failing (liveness|startup) probe/.exec(
          f.message,
        )?.[1];
      if (killer) return `${who} is killed by its failing ${killer} probe`;
      const kind = /its (\w+) probe fails/.exec(f.message)?.[1] ?? 'readiness';
      return `${who} runs but its ${kind} probe fails`;
    }
    default:
      return podPhrase(f, who) ?? firstSentence(f.message);
  }
}

/** The pod findings that stop a container before it runs (#19). */
function podPhrase(f: Finding, who: string): string | undefined {
  switch (f.code) {
    case 'ContainerCreateError': {
      const why = /\((?:Create|Run)Container\w*Error\): (.*)$/.exec(
        f.message,
      )?.[1];
      const missing = /exec: "([^"]+)": executable file not found/.exec(
        why ?? '',
      )?.[1];
      let reason = why?.replace(/ \(pod: .*\)$/, '');
      if (/runAsNonRoot and image will run as root/.test(why ?? '')) {
        reason = 'its image runs as root but the pod requires runAsNonRoot';
      } else if (missing) {
        reason = `its image has no executable "${missing}"`;
      }
      return truncate(
        `${who} cannot be ${
          /cannot be started/.test(f.message) ? 'started' : 'created'
        }${reason ? `: ${reason}` : ''}`,
        160,
      );
    }
    case 'InitContainerStuck': {
      const ran = /has been running for ([^(]+?) without finishing/.exec(
        f.message,
      )?.[1];
      const repeats = /Its log repeats: (.*?)(?: It also says:|$)/.exec(
        f.message,
      )?.[1];
      return truncate(
        `init container "${f.container}" has not finished${
          ran ? ` after ${ran}` : ''
        }${repeats ? `: ${repeats}` : ''}`,
        160,
      );
    }
    case 'PodSandboxFailed': {
      const node = /node (\S+) cannot create its sandbox/.exec(f.message)?.[1];
      return /network \(CNI\) plugin fails/.test(f.message)
        ? `the network (CNI) plugin on node ${node} cannot set up its pod`
        : `node ${node} cannot create its pod sandbox`;
    }
    case 'VolumeMountFailed': {
      const volume = /its volumes? ([^:]+?) cannot be/.exec(f.message)?.[1];
      const what = volume ? `volume ${volume}` : 'its volume';
      return /Multi-Attach error/.test(f.message)
        ? `${what} is still attached to another node (Multi-Attach)`
        : `${what} cannot be ${
            /cannot be attached/.test(f.message) ? 'attached' : 'mounted'
          }`;
    }
    default:
      return undefined;
  }
}

/**
 * One sentence naming the cause of the worst problem: "checkout is down:
 * 2.3.1 exits because PAYMENT_GATEWAY_URL is not set". "Down" only when no
 * replica is ready, "degraded" when some are. `linked` comes from
 * `linkFindings`, so its first finding is the worst tree's cause.
 */
export function headlineOf(
  linked: Finding[],
  contexts: AnalysisContext[],
): string | undefined {
  const cause = linked[0];
  // Notes (a recovered container, a rollout at work) are not problems: no
  // headline names them as a cause.
  if (!cause || !linked.some(f => f.severity !== 'info')) return undefined;
  const ctx = contexts.find(c => c.cluster === cause.cluster);
  const tree = linked.filter(
    f => f === cause || (f.causedBy && rootIdOf(f, linked) === cause.id),
  );
  const workload =
    tree.find(f => WORKLOAD_KINDS.has(f.resource.kind))?.resource ??
    workloadRefOf(tree.find(f => f.resource.kind === 'Pod') ?? cause, contexts);
  const state = readiness(workload, ctx);
  let subject =
    WORKLOAD_KINDS.has(workload.kind) || workload.kind === 'Pod'
      ? workload.name
      : `${workload.kind} ${workload.name}`;
  if (state && state.ready === 0 && state.desired > 0) subject += ' is down';
  else if (state && state.ready < state.desired) subject += ' is degraded';
  // The same failure in several replicas is one problem, not several.
  const problems = new Set(
    linked
      .filter(f => !f.causedBy)
      .map(f =>
        [
          f.cluster,
          f.code,
          f.container ?? '',
          refText(workloadRefOf(f, contexts)),
        ].join('|'),
      ),
  );
  const others = problems.size - 1;
  const more =
    others > 0
      ? ` (${others} other ${others === 1 ? 'problem' : 'problems'} below)`
      : '';
  // One sentence to read at a glance; the finding below has it whole.
  const phrase = truncate(
    withoutNamespace(causePhrase(cause, ctx), cause),
    200,
  );
  // "HorizontalPodAutoscaler gateway runs …", not "HorizontalPodAutoscaler
  // gateway: HorizontalPodAutoscaler gateway runs …".
  if (!state && phrase.startsWith(`${subject} `)) return `${phrase}${more}`;
  return `${subject}: ${phrase}${more}`;
}

/**
 * The cause's namespace is the entity's: "Service orders", not "Service
 * shop/orders", in a one-line headline.
 */
function withoutNamespace(phrase: string, cause: Finding): string {
  const ns = cause.resource.namespace;
  if (!ns) return phrase;
  return phrase.replace(
    new RegExp(
      `\\b([A-Z][A-Za-z]+) ${ns.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`,
      'g',
    ),
    '$1 ',
  );
}

function rootIdOf(f: Finding, all: Finding[]): string | undefined {
  const byId = new Map(all.map(x => [x.id, x]));
  let current: Finding | undefined = f;
  for (let i = 0; current?.causedBy && i < all.length; i++) {
    const next = byId.get(current.causedBy);
    if (!next) break;
    current = next;
  }
  return current?.id;
}
