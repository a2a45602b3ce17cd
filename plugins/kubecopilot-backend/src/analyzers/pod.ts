import type {
  CoreV1Event,
  V1Container,
  V1ContainerStateTerminated,
  V1ContainerStatus,
  V1Pod,
  V1Probe,
} from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
  ProposedFix,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import {
  compact,
  conditionEvidence,
  containerOfEvent,
  describePod,
  eventEvidence,
  eventsFor,
  field,
  findLog,
  importantLogLines,
  isErrorLine,
  isRestartable,
  latestEvents,
  logEvidence,
  makeFinding,
  ownerEvidence,
  refOf,
  refString,
  WorkloadOwner,
  workloadOf,
} from './common';

const NAME = 'pod';

/** Waiting reasons of a container whose image cannot be pulled. */
const IMAGE_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

/** One container with its spec, status and where both live in the Pod. */
interface ContainerView {
  name: string;
  spec?: V1Container;
  status: V1ContainerStatus;
  /** `spec.containers[app]` or `spec.initContainers[init]`. */
  specPath: string;
  /** `status.containerStatuses[app]` or `status.initContainerStatuses[init]`. */
  statusPath: string;
}

function containersOf(pod: V1Pod): ContainerView[] {
  const views = (
    statuses: V1ContainerStatus[] | undefined,
    specs: V1Container[] | undefined,
    specKey: string,
    statusKey: string,
  ): ContainerView[] =>
    (statuses ?? []).map(status => ({
      name: status.name,
      spec: specs?.find(s => s.name === status.name),
      status,
      specPath: `spec.${specKey}[${status.name}]`,
      statusPath: `status.${statusKey}[${status.name}]`,
    }));
  return [
    ...views(
      pod.status?.initContainerStatuses,
      pod.spec?.initContainers,
      'initContainers',
      'initContainerStatuses',
    ),
    ...views(
      pod.status?.containerStatuses,
      pod.spec?.containers,
      'containers',
      'containerStatuses',
    ),
  ];
}

/** Everything the per-container rules share about one pod. */
interface PodScope {
  ctx: AnalysisContext;
  pod: V1Pod;
  owner?: WorkloadOwner;
  events: CoreV1Event[];
  /** The owner evidence every pod finding starts with (empty for bare pods). */
  base: FindingEvidence[];
}

export const podAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['Pod'],
  analyze(ctx) {
    return ctx.pods.flatMap(pod => analyzePod(ctx, pod));
  },
};

function analyzePod(ctx: AnalysisContext, pod: V1Pod): Finding[] {
  // A completed pod (a finished Job's) has nothing left to go wrong.
  if (pod.status?.phase === 'Succeeded') return [];
  const owner = workloadOf(ctx, pod);
  const scope: PodScope = {
    ctx,
    pod,
    owner,
    events: eventsFor(
      ctx,
      'Pod',
      pod.metadata?.namespace,
      pod.metadata?.name ?? '',
    ),
    base: owner ? [ownerEvidence(owner)] : [],
  };
  const findings = compact([unschedulable(scope)]);
  for (const c of containersOf(pod)) {
    findings.push(
      ...compact([imagePull(scope, c), crash(scope, c), probe(scope, c)]),
    );
  }
  findings.push(...missingConfig(scope));
  return findings;
}

function unschedulable(s: PodScope): Finding | undefined {
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
  return makeFinding(NAME, s.ctx, {
    code: 'Unschedulable',
    severity: 'error',
    resource: refOf('Pod', pod),
    message: `${describePod(pod, s.owner)} cannot be scheduled: ${reason}`,
    evidence: [
      ...s.base,
      ...(cond ? conditionEvidence('status.conditions', cond) : []),
      ...latestEvents(events, 2).map(eventEvidence),
    ],
    proposedFix: { description: schedulingAdvice(reason) },
  });
}

/** Maps the scheduler's reasons (`0/3 nodes are available: …`) to advice. */
function schedulingAdvice(message: string): string {
  const advice: string[] = [];
  // `nvidia.com/gpu` has dots; the sentence's final period is not part of the name.
  const insufficient = [
    ...message.matchAll(/Insufficient ([\w./-]*[\w/-])/g),
  ].map(m => m[1]);
  if (insufficient.length > 0) {
    const res = [...new Set(insufficient)].join(' and ');
    advice.push(
      `No node has enough free ${res} for the pod's requests: lower resources.requests (${res}) or add node capacity.`,
    );
  }
  if (/untolerated taint|had taint|didn't tolerate/i.test(message)) {
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

function imagePull(s: PodScope, c: ContainerView): Finding | undefined {
  const waiting = c.status.state?.waiting;
  if (!waiting?.reason || !IMAGE_REASONS.has(waiting.reason)) return undefined;
  const image = c.spec?.image ?? c.status.image;
  const pullEvents = s.events.filter(
    e =>
      containerOfEvent(e) === c.name &&
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
    // Only a human knows the right tag or credentials, so there is no action.
    proposedFix: {
      description: imageAdvice(waiting.reason, detail, image, s.owner),
    },
  });
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
  if (/not found|manifest unknown|does not exist|no such/i.test(detail)) {
    return `The registry has no image "${image}": push that tag, or set the image of ${where} to a tag that exists.`;
  }
  if (
    /unauthori[sz]ed|denied|authentication required|forbidden|no basic auth/i.test(
      detail,
    )
  ) {
    return `The registry refused the pull of "${image}": give ${where} an imagePullSecret with access to the repository, or check the repository name.`;
  }
  if (
    /timeout|i\/o timeout|connection refused|no such host|dial tcp/i.test(
      detail,
    )
  ) {
    return `The node cannot reach the registry for "${image}": check DNS, egress and registry availability from the nodes.`;
  }
  return `Check that "${image}" exists and that the nodes may pull it, then correct the image of ${where}.`;
}

/** The last termination that looks like the OOM killer, if any. */
function oomTermination(
  c: ContainerView,
  livenessFailing: boolean,
): { t: V1ContainerStateTerminated; path: string } | undefined {
  const candidates = [
    { t: c.status.state?.terminated, path: `${c.statusPath}.state.terminated` },
    {
      t: c.status.lastState?.terminated,
      path: `${c.statusPath}.lastState.terminated`,
    },
  ];
  for (const { t, path } of candidates) {
    if (!t) continue;
    // Exit code 137 is SIGKILL: the OOM killer, unless the kubelet killed the
    // container for a failing liveness probe, which also ends in SIGKILL.
    if (t.reason === 'OOMKilled' || (t.exitCode === 137 && !livenessFailing)) {
      return { t, path };
    }
  }
  return undefined;
}

interface LoopState {
  looping: boolean;
  liveness: CoreV1Event[];
  backOff: CoreV1Event[];
}

function loopState(s: PodScope, c: ContainerView): LoopState {
  const cEvents = s.events.filter(e => containerOfEvent(e) === c.name);
  const liveness = cEvents.filter(
    e => e.reason === 'Unhealthy' && /^Liveness probe/i.test(e.message ?? ''),
  );
  const backOff = cEvents.filter(
    e =>
      e.reason === 'BackOff' &&
      /restarting failed container/i.test(e.message ?? ''),
  );
  const last = c.status.lastState?.terminated;
  // A crash-looping container alternates between waiting (CrashLoopBackOff)
  // and running; the BackOff event catches the loop when the snapshot
  // happened to land on a running phase.
  const looping =
    c.status.state?.waiting?.reason === 'CrashLoopBackOff' ||
    (!!last && last.exitCode !== 0 && backOff.length > 0);
  return { looping, liveness, backOff };
}

function crash(s: PodScope, c: ContainerView): Finding | undefined {
  const { status } = c;
  const { looping, liveness, backOff } = loopState(s, c);
  const waiting = status.state?.waiting;
  const last = status.lastState?.terminated;
  const oom = oomTermination(c, liveness.length > 0);
  if (!oom && !looping) return undefined;

  const log =
    findLog(
      s.ctx,
      s.pod.metadata?.namespace,
      s.pod.metadata?.name,
      c.name,
      true,
    ) ??
    findLog(
      s.ctx,
      s.pod.metadata?.namespace,
      s.pod.metadata?.name,
      c.name,
      false,
    );
  const logEv = logEvidence(log);
  const where = describePod(s.pod, s.owner);
  const restarts = field(`${c.statusPath}.restartCount`, status.restartCount);
  const waitingEv =
    waiting?.reason === 'CrashLoopBackOff'
      ? [field(`${c.statusPath}.state.waiting.reason`, waiting.reason)]
      : [];

  if (oom) {
    // One root cause, one finding: an OOM crash loop is reported as OOMKilled
    // with the loop as evidence, not twice.
    const limit = c.spec?.resources?.limits?.memory;
    const how =
      oom.t.reason === 'OOMKilled'
        ? 'was OOMKilled (exit code 137)'
        : `was killed with SIGKILL (exit code 137, reason ${
            oom.t.reason ?? 'unknown'
          }), most likely by the kernel OOM killer`;
    // An OOM kill the container has recovered from is a warning; one that
    // keeps it down (crash loop, or terminated now) is an error.
    const down = looping || !!status.state?.terminated;
    return makeFinding(NAME, s.ctx, {
      code: 'OOMKilled',
      severity: down ? 'error' : 'warning',
      resource: refOf('Pod', s.pod),
      container: c.name,
      message: `Container "${c.name}" of ${where} ${how}${
        limit ? ` at its memory limit of ${limit}` : ''
      }; it has restarted ${status.restartCount} times${
        down ? '' : ' and is running again'
      }.`,
      evidence: compact([
        ...s.base,
        ...waitingEv,
        field(`${oom.path}.reason`, oom.t.reason ?? ''),
        field(`${oom.path}.exitCode`, oom.t.exitCode),
        restarts,
        limit
          ? field(`${c.specPath}.resources.limits.memory`, limit)
          : undefined,
        logEv,
      ]),
      // The right memory size is a judgement call, so no structured action.
      proposedFix: {
        description: limit
          ? `Raise resources.limits.memory of container "${
              c.name
            }" (now ${limit}) in ${ownerName(
              s,
            )}, or bound the application's memory use (heap size, caches, concurrency) below it.`
          : `Container "${
              c.name
            }" has no memory limit, so the node ran out of memory: set resources.requests.memory and limits.memory in ${ownerName(
              s,
            )} to what the application really uses.`,
      },
    });
  }

  const exit = last?.exitCode;
  const headline = log ? headlineError(log.lines) : undefined;
  const parts = [
    `Container "${c.name}" of ${where} is crash-looping`,
    last
      ? `: it exited with code ${exit}${
          last.reason ? ` (${last.reason})` : ''
        } and has restarted ${status.restartCount} times.`
      : `: it has restarted ${status.restartCount} times.`,
  ];
  if (liveness.length > 0) {
    parts.push(
      ` Its liveness probe fails: ${liveness[liveness.length - 1].message}`,
    );
  } else if (headline) {
    parts.push(` Its log says: ${truncate(headline.trim(), 240)}`);
  }
  return makeFinding(NAME, s.ctx, {
    code: 'CrashLoopBackOff',
    severity: 'error',
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: parts.join(''),
    evidence: compact([
      ...s.base,
      ...waitingEv,
      restarts,
      last?.reason
        ? field(`${c.statusPath}.lastState.terminated.reason`, last.reason)
        : undefined,
      last
        ? field(`${c.statusPath}.lastState.terminated.exitCode`, last.exitCode)
        : undefined,
      last?.message
        ? field(`${c.statusPath}.lastState.terminated.message`, last.message)
        : undefined,
      ...latestEvents(liveness, 2).map(eventEvidence),
      ...latestEvents(backOff, 1).map(eventEvidence),
      logEv,
    ]),
    proposedFix: crashFix(s, c, exit, liveness.length > 0),
  });
}

/**
 * The log line that best names the failure: the innermost `Caused by:` of a
 * Java trace, else the last exception/panic line, else the last error line.
 * The last line of a crash log is often a generic "Application run failed".
 */
function headlineError(lines: string[]): string | undefined {
  const important = importantLogLines(lines).reverse();
  return (
    important.find(l => /^\s*Caused by: /.test(l)) ??
    important.find(l =>
      /^panic: |^\s*[\w.$]+(?:Exception|Error)(?::|$)|^\w+(?:\.\w+)*\.\w+: /.test(
        l,
      ),
    ) ??
    important.find(isErrorLine)
  );
}

function crashFix(
  s: PodScope,
  c: ContainerView,
  exit: number | undefined,
  livenessFailing: boolean,
): ProposedFix {
  if (livenessFailing) {
    // The kubelet already restarts the container; another restart changes nothing.
    return {
      description: `The kubelet kills container "${
        c.name
      }" because its liveness probe (${describeProbe(
        c.spec?.livenessProbe,
      )}) fails: make the probe match the application (path, port, timeoutSeconds), and give slow starters a startupProbe or a longer initialDelaySeconds.`,
    };
  }
  const cause =
    exit === 0
      ? `The main process of container "${c.name}" exits successfully, but a long-running workload must keep running: fix its command/args so it does not return.`
      : `The application in container "${c.name}" exits on its own; the log lines in the evidence show why. Fix the cause (code, configuration, or a dependency it needs at startup).`;
  if (!isRestartable(s.owner?.ref)) return { description: cause };
  // After the fix, a rollout restart saves waiting out the crash back-off (up to 5 minutes).
  return {
    description: `${cause} Then restart ${refString(
      s.owner!.ref,
    )} so its pods pick the fix up without waiting out the crash back-off.`,
    action: 'restart',
    target: s.owner!.ref,
  };
}

function probe(s: PodScope, c: ContainerView): Finding | undefined {
  const { status } = c;
  if (!status.state?.running || status.ready !== false) return undefined;
  const ready = s.pod.status?.conditions?.find(x => x.type === 'Ready');
  if (ready?.status !== 'False') return undefined;
  // A crash loop already reports a failing liveness probe as its cause.
  if (loopState(s, c).looping) return undefined;
  const unhealthy = s.events.filter(
    e => e.reason === 'Unhealthy' && containerOfEvent(e) === c.name,
  );
  if (unhealthy.length === 0) return undefined;
  const kinds = new Set(
    unhealthy.map(
      e =>
        /^(Readiness|Liveness|Startup) probe/i
          .exec(e.message ?? '')?.[1]
          ?.toLowerCase() ?? 'readiness',
    ),
  );
  // The most severe kind wins: a failing liveness probe restarts the container.
  const kind =
    (['liveness', 'startup', 'readiness'] as const).find(k => kinds.has(k)) ??
    'readiness';
  const probeSpec = {
    liveness: c.spec?.livenessProbe,
    startup: c.spec?.startupProbe,
    readiness: c.spec?.readinessProbe,
  }[kind];
  const latest = unhealthy[unhealthy.length - 1];
  const log = findLog(
    s.ctx,
    s.pod.metadata?.namespace,
    s.pod.metadata?.name,
    c.name,
    false,
  );
  const target = isRestartable(s.owner?.ref) ? s.owner!.ref : undefined;
  const description =
    kind === 'readiness'
      ? `The readiness probe (${describeProbe(
          probeSpec,
        )}) keeps failing, so the pod receives no Service traffic. Fix what the endpoint checks or the probe itself (path, port, timeoutSeconds);${
          target
            ? ` if it failed on a dependency that has since recovered and the pod stays stuck, restart ${refString(
                target,
              )}.`
            : ' if it failed on a dependency that has since recovered, recreate the pod.'
        }`
      : `The ${kind} probe (${describeProbe(
          probeSpec,
        )}) keeps failing and the kubelet will restart the container: make the probe match the application (path, port, timing) or fix the endpoint.`;
  return makeFinding(NAME, s.ctx, {
    code: 'ProbeFailure',
    // A failing liveness probe kills the container; readiness only takes it out of rotation.
    severity: kind === 'readiness' ? 'warning' : 'error',
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: `Container "${c.name}" of ${describePod(
      s.pod,
      s.owner,
    )} is running but not ready: its ${kind} probe fails (${latest.message}).`,
    evidence: compact([
      ...s.base,
      field(`${c.statusPath}.ready`, false),
      ...conditionEvidence('status.conditions', ready),
      probeSpec
        ? field(`${c.specPath}.${kind}Probe`, describeProbe(probeSpec))
        : undefined,
      ...latestEvents(unhealthy).map(eventEvidence),
      logEvidence(log),
    ]),
    // Restart is offered only for readiness: it is the one case where pods
    // can stay stuck after the cause went away.
    proposedFix:
      kind === 'readiness' && target
        ? { description, action: 'restart', target }
        : { description },
  });
}

function describeProbe(p: V1Probe | undefined): string {
  if (!p) return 'not configured';
  let what = 'probe';
  if (p.httpGet)
    what = `httpGet ${p.httpGet.path ?? '/'} on port ${p.httpGet.port}`;
  else if (p.tcpSocket) what = `tcpSocket on port ${p.tcpSocket.port}`;
  else if (p.grpc) what = `grpc on port ${p.grpc.port}`;
  else if (p.exec) what = `exec ${(p.exec.command ?? []).join(' ')}`;
  return `${what}, periodSeconds ${p.periodSeconds ?? 10}, timeoutSeconds ${
    p.timeoutSeconds ?? 1
  }, failureThreshold ${p.failureThreshold ?? 3}`;
}

// ---- Missing ConfigMaps and Secrets -------------------------------------

type RefKind = 'ConfigMap' | 'Secret';

export interface ConfigReference {
  kind: RefKind;
  name: string;
  /** Set for env/envFrom references; volumes belong to the pod. */
  container?: string;
  path: string;
}

/**
 * Every non-optional ConfigMap/Secret the pod spec references (env, envFrom,
 * volumes, projected volumes). The gatherer checks exactly these for
 * existence (metadata only) to fill `AnalysisContext.missing`.
 */
export function configReferencesOf(pod: V1Pod): ConfigReference[] {
  const refs: ConfigReference[] = [];
  const containers = [
    ...(pod.spec?.initContainers ?? []).map(c => ({
      c,
      key: 'initContainers',
    })),
    ...(pod.spec?.containers ?? []).map(c => ({ c, key: 'containers' })),
  ];
  for (const { c, key } of containers) {
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const sec = e.valueFrom?.secretKeyRef;
      const p = `spec.${key}[${c.name}].env[${e.name}].valueFrom`;
      if (cm?.name && !cm.optional)
        refs.push({
          kind: 'ConfigMap',
          name: cm.name,
          container: c.name,
          path: `${p}.configMapKeyRef.name`,
        });
      if (sec?.name && !sec.optional)
        refs.push({
          kind: 'Secret',
          name: sec.name,
          container: c.name,
          path: `${p}.secretKeyRef.name`,
        });
    }
    (c.envFrom ?? []).forEach((e, i) => {
      const p = `spec.${key}[${c.name}].envFrom[${i}]`;
      if (e.configMapRef?.name && !e.configMapRef.optional)
        refs.push({
          kind: 'ConfigMap',
          name: e.configMapRef.name,
          container: c.name,
          path: `${p}.configMapRef.name`,
        });
      if (e.secretRef?.name && !e.secretRef.optional)
        refs.push({
          kind: 'Secret',
          name: e.secretRef.name,
          container: c.name,
          path: `${p}.secretRef.name`,
        });
    });
  }
  for (const v of pod.spec?.volumes ?? []) {
    const p = `spec.volumes[${v.name}]`;
    if (v.configMap?.name && !v.configMap.optional)
      refs.push({
        kind: 'ConfigMap',
        name: v.configMap.name,
        path: `${p}.configMap.name`,
      });
    if (v.secret?.secretName && !v.secret.optional)
      refs.push({
        kind: 'Secret',
        name: v.secret.secretName,
        path: `${p}.secret.secretName`,
      });
    (v.projected?.sources ?? []).forEach((src, i) => {
      if (src.configMap?.name && !src.configMap.optional)
        refs.push({
          kind: 'ConfigMap',
          name: src.configMap.name,
          path: `${p}.projected.sources[${i}].configMap.name`,
        });
      if (src.secret?.name && !src.secret.optional)
        refs.push({
          kind: 'Secret',
          name: src.secret.name,
          path: `${p}.projected.sources[${i}].secret.name`,
        });
    });
  }
  return refs;
}

interface MissingItem {
  kind: RefKind;
  name: string;
  /** Set when the object exists but lacks the referenced key. */
  key?: string;
  container?: string;
  /** The pod cannot start because of it (a kubelet error was observed). */
  blocking: boolean;
  evidence: FindingEvidence[];
}

const NOT_FOUND = /\b(configmap|secret)s? "([^"]+)" not found/gi;
const MISSING_KEY =
  /couldn't find key (\S+) in (ConfigMap|Secret) [^/\s]+\/([^\s,;]+)/gi;

function kindOf(word: string): RefKind {
  return word.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
}

/**
 * Collects what the kubelet reported missing (CreateContainerConfigError,
 * FailedMount) and what the gatherer's metadata-only checks found absent,
 * then reports one finding per code and container.
 */
function missingConfig(s: PodScope): Finding[] {
  const { pod, ctx } = s;
  const namespace = pod.metadata?.namespace ?? '';
  const refs = configReferencesOf(pod);
  const items: MissingItem[] = [];

  for (const c of containersOf(pod)) {
    const w = c.status.state?.waiting;
    if (w?.reason !== 'CreateContainerConfigError' || !w.message) continue;
    const ev = [
      field(`${c.statusPath}.state.waiting.reason`, w.reason),
      field(`${c.statusPath}.state.waiting.message`, w.message),
    ];
    for (const m of w.message.matchAll(NOT_FOUND)) {
      items.push({
        kind: kindOf(m[1]),
        name: m[2],
        container: c.name,
        blocking: true,
        evidence: ev,
      });
    }
    for (const m of w.message.matchAll(MISSING_KEY)) {
      items.push({
        kind: kindOf(m[2]),
        name: m[3],
        key: m[1],
        container: c.name,
        blocking: true,
        evidence: ev,
      });
    }
  }
  for (const e of s.events.filter(x => x.reason === 'FailedMount')) {
    for (const m of (e.message ?? '').matchAll(NOT_FOUND)) {
      const kind = kindOf(m[1]);
      items.push({
        kind,
        name: m[2],
        container: soleContainer(refs, kind, m[2]),
        blocking: true,
        evidence: [eventEvidence(e)],
      });
    }
  }
  for (const miss of ctx.missing.filter(m => m.namespace === namespace)) {
    if (!refs.some(r => r.kind === miss.kind && r.name === miss.name)) continue;
    items.push({
      kind: miss.kind,
      name: miss.name,
      container: soleContainer(refs, miss.kind, miss.name),
      blocking: false,
      evidence: [
        field(
          `${miss.kind}/${miss.name}`,
          'not found (metadata-only existence check)',
        ),
      ],
    });
  }
  if (items.length === 0) return [];

  // Group by code and container: one finding per container (or the pod) per code.
  const groups = new Map<string, MissingItem[]>();
  for (const item of items) {
    const key = `${item.kind}|${item.container ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()].map(group => {
    const { kind, container } = group[0];
    const objects = uniqueBy(group, i => `${i.name}|${i.key ?? ''}`);
    const what = objects.map(i =>
      i.key
        ? `${kind} "${i.name}" has no key "${i.key}"`
        : `${kind} "${i.name}" does not exist in namespace ${namespace}`,
    );
    const blocking = group.some(i => i.blocking);
    let effect = ' (the pod still runs, but a new pod would not start)';
    if (blocking) {
      effect = container
        ? `, so container "${container}" cannot start`
        : ', so its volumes cannot be mounted and the pod cannot start';
    }
    const refEvidence = refs
      .filter(
        r =>
          r.kind === kind &&
          objects.some(o => o.name === r.name) &&
          (container === undefined ||
            r.container === container ||
            r.container === undefined),
      )
      .map(r => field(r.path, r.name));
    const evidence = uniqueBy(
      [...s.base, ...group.flatMap(i => i.evidence), ...refEvidence],
      e => JSON.stringify(e),
    );
    const fixes = objects.map(i =>
      i.key
        ? `add key "${i.key}" to ${kind} "${i.name}" or fix the key name in the reference`
        : `create ${kind} "${
            i.name
          }" in namespace ${namespace} or fix the reference in ${ownerName(s)}`,
    );
    return makeFinding(NAME, ctx, {
      code: kind === 'Secret' ? 'MissingSecret' : 'MissingConfigMap',
      severity: blocking ? 'error' : 'warning',
      resource: refOf('Pod', pod),
      container,
      message: `${describePod(pod, s.owner)}: ${what.join('; ')}${effect}.`,
      evidence,
      // The kubelet retries on its own once the object exists: no restart needed.
      proposedFix: {
        description: `${capitalize(
          fixes.join('; '),
        )}. The kubelet retries by itself once it exists; no restart is needed.`,
      },
    });
  });
}

/** The one container whose env references the object, if exactly one does and no volume does. */
function soleContainer(
  refs: ConfigReference[],
  kind: RefKind,
  name: string,
): string | undefined {
  const matching = refs.filter(r => r.kind === kind && r.name === name);
  const containers = new Set(matching.map(r => r.container));
  if (containers.size !== 1) return undefined;
  return [...containers][0];
}

function ownerName(s: PodScope): string {
  return s.owner
    ? `${s.owner.ref.kind} ${s.owner.ref.name}`
    : `pod ${s.pod.metadata?.name}`;
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter(i => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
