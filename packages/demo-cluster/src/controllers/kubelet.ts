/**
 * The simulated kubelet (with the scheduler in front of it). It runs only pods created through
 * the API after start; seeded pods stay exactly as the scenario wrote them.
 *
 * A pod goes: scheduled (or Unschedulable) -> ContainerCreating -> after `podStartupMs` the
 * final state given by its spec (missing ConfigMap/Secret -> CreateContainerConfigError or
 * FailedMount) and, for each container, by the image behaviour rules.
 */
import { KubeObject } from '../types';
import { T, typeFor } from '../api/resources';
import { SimContext, isPodActive, setCondition } from './context';
import { allocatePodIp, nodeInternalIp, schedule } from './scheduler';
import { rfc3339 } from '../util';
import {
  assembleStatus,
  backoffMessage,
  ContainerPlan,
  containerId,
  imageId,
  orderConditions,
  terminationReason,
} from './podStatus';

const CRASH_BACKOFF_START = 10;
const CRASH_BACKOFF_MAX = 300;
const PROBE_PERIOD_MS = 10_000;
const SCHEDULE_RETRY_MS = 30_000;

export class Kubelet {
  /** Crash-loop state per pod uid + container. */
  private readonly restarts = new Map<string, { count: number; backoff: number; lastStart: string; lastFinish: string }>();

  constructor(private readonly ctx: SimContext) {}

  private get store() {
    return this.ctx.store;
  }

  onPodAdded(pod: KubeObject) {
    const uid = pod.metadata.uid!;
    this.ctx.managedPods.add(uid);
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    this.ctx.enqueue(`schedule:${uid}`, () => this.schedule(ns, name, uid));
  }

  onPodDeleted(pod: KubeObject) {
    const uid = pod.metadata.uid!;
    this.ctx.managedPods.delete(uid);
    this.ctx.cancelPrefix(`pod:${uid}`);
    for (const k of [...this.restarts.keys()]) if (k.startsWith(`${uid}/`)) this.restarts.delete(k);
  }

  /** A ConfigMap or Secret appeared: pods waiting for it get another try. */
  onConfigAdded(namespace: string) {
    for (const pod of this.store.list(T.pods, namespace)) {
      if (!this.ctx.managedPods.has(pod.metadata.uid!) || !pod.spec?.nodeName) continue;
      const waiting = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].some(
        (cs: any) => cs?.state?.waiting?.reason === 'CreateContainerConfigError' || cs?.state?.waiting?.reason === 'ContainerCreating',
      );
      if (waiting) {
        const uid = pod.metadata.uid!;
        this.ctx.enqueue(`start:${uid}`, () => this.start(namespace, pod.metadata.name!, uid));
      }
    }
  }

  private current(ns: string, name: string, uid: string): KubeObject | undefined {
    const pod = this.store.get(T.pods, ns, name);
    if (!pod || pod.metadata.uid !== uid || !this.ctx.managedPods.has(uid) || !isPodActive(pod)) return undefined;
    return pod;
  }

  private schedule(ns: string, name: string, uid: string) {
    const pod = this.current(ns, name, uid);
    if (!pod) return;
    if (pod.spec?.nodeName) {
      this.accept(ns, name, uid);
      return;
    }
    const result = schedule(this.store, pod);
    if (!result.node) {
      const updated = this.ctx.mutate(T.pods, ns, name, p => {
        p.status = {
          ...(p.status ?? {}),
          phase: 'Pending',
          conditions: setCondition(p.status?.conditions ?? [], {
            type: 'PodScheduled',
            status: 'False',
            lastProbeTime: null,
            reason: 'Unschedulable',
            message: result.message,
          }),
        };
      });
      if (updated) {
        this.ctx.event(updated, 'Warning', 'FailedScheduling', result.message!, { component: 'default-scheduler' });
      }
      this.ctx.after(`pod:${uid}:schedule`, SCHEDULE_RETRY_MS, () => this.schedule(ns, name, uid));
      return;
    }
    const nodeName = result.node.metadata.name!;
    const bound = this.ctx.mutate(T.pods, ns, name, p => {
      p.spec.nodeName = nodeName;
      p.status = {
        ...(p.status ?? {}),
        conditions: setCondition(p.status?.conditions ?? [], {
          type: 'PodScheduled',
          status: 'True',
          lastProbeTime: null,
        }),
      };
      for (const c of p.status.conditions) if (c.type === 'PodScheduled') {
        delete c.reason;
        delete c.message;
      }
    });
    if (bound) {
      this.ctx.event(bound, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${nodeName}`, {
        component: 'default-scheduler',
      });
    }
    this.accept(ns, name, uid);
  }

  /** The kubelet takes the pod: IPs, start time, containers ContainerCreating. */
  private accept(ns: string, name: string, uid: string) {
    const pod = this.current(ns, name, uid);
    if (!pod) return;
    const node = this.store.get(T.nodes, undefined, pod.spec.nodeName);
    const hostIP = node ? nodeInternalIp(node) : '10.0.0.10';
    let podIP = '10.244.0.2';
    if (pod.spec?.hostNetwork) podIP = hostIP;
    else if (node) podIP = allocatePodIp(this.store, node);
    const now = rfc3339();
    const hasInit = (pod.spec?.initContainers ?? []).length > 0;
    this.ctx.mutate(T.pods, ns, name, p => {
      const names = (p.spec?.containers ?? []).map((c: any) => c.name);
      let conds = p.status?.conditions ?? [];
      conds = setCondition(conds, { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null }, now);
      conds = setCondition(conds, hasInit
        ? { type: 'Initialized', status: 'False', lastProbeTime: null, reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${(p.spec.initContainers ?? []).map((c: any) => c.name).join(' ')}]` }
        : { type: 'Initialized', status: 'True', lastProbeTime: null }, now);
      conds = setCondition(conds, { type: 'Ready', status: 'False', lastProbeTime: null, reason: 'ContainersNotReady', message: `containers with unready status: [${names.join(' ')}]` }, now);
      conds = setCondition(conds, { type: 'ContainersReady', status: 'False', lastProbeTime: null, reason: 'ContainersNotReady', message: `containers with unready status: [${names.join(' ')}]` }, now);
      p.status = {
        ...(p.status ?? {}),
        phase: 'Pending',
        conditions: orderConditions(conds),
        hostIP,
        hostIPs: [{ ip: hostIP }],
        podIP,
        podIPs: [{ ip: podIP }],
        startTime: now,
        containerStatuses: (p.spec?.containers ?? []).map((c: any) => ({
          name: c.name,
          image: c.image,
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } },
          lastState: {},
        })),
        ...(hasInit
          ? {
              initContainerStatuses: (p.spec.initContainers ?? []).map((c: any) => ({
                name: c.name,
                image: c.image,
                imageID: '',
                ready: false,
                restartCount: 0,
                started: false,
                state: { waiting: { reason: 'PodInitializing' } },
                lastState: {},
              })),
            }
          : {}),
      };
    });
    this.ctx.after(`pod:${uid}:start`, this.ctx.options.podStartupMs, () => this.start(ns, name, uid));
  }

  /** Which ConfigMap/Secret the container needs that does not exist, as the kubelet words it. */
  private missingConfig(ns: string, c: any): string | undefined {
    const cm = (n: string) => this.store.get(T.configmaps, ns, n);
    const secret = (n: string) => this.store.get(T.secrets, ns, n);
    for (const e of c?.envFrom ?? []) {
      if (e?.configMapRef?.name && !e.configMapRef.optional && !cm(e.configMapRef.name)) {
        return `configmap "${e.configMapRef.name}" not found`;
      }
      if (e?.secretRef?.name && !e.secretRef.optional && !secret(e.secretRef.name)) {
        return `secret "${e.secretRef.name}" not found`;
      }
    }
    for (const e of c?.env ?? []) {
      const cmRef = e?.valueFrom?.configMapKeyRef;
      if (cmRef?.name && !cmRef.optional) {
        const o = cm(cmRef.name);
        if (!o) return `configmap "${cmRef.name}" not found`;
        if (cmRef.key && !(cmRef.key in (o.data ?? {})) && !(cmRef.key in (o.binaryData ?? {}))) {
          return `couldn't find key ${cmRef.key} in ConfigMap ${ns}/${cmRef.name}`;
        }
      }
      const sRef = e?.valueFrom?.secretKeyRef;
      if (sRef?.name && !sRef.optional) {
        const o = secret(sRef.name);
        if (!o) return `secret "${sRef.name}" not found`;
        if (sRef.key && !(sRef.key in (o.data ?? {}))) return `couldn't find key ${sRef.key} in Secret ${ns}/${sRef.name}`;
      }
    }
    return undefined;
  }

  private missingVolume(ns: string, pod: KubeObject): string | undefined {
    for (const v of pod.spec?.volumes ?? []) {
      if (v?.configMap?.name && !v.configMap.optional && !this.store.get(T.configmaps, ns, v.configMap.name)) {
        return `MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found`;
      }
      if (v?.secret?.secretName && !v.secret.optional && !this.store.get(T.secrets, ns, v.secret.secretName)) {
        return `MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found`;
      }
      if (v?.persistentVolumeClaim?.claimName) {
        const pvc = this.store.get(typeFor('', 'persistentvolumeclaims'), ns, v.persistentVolumeClaim.claimName);
        if (!pvc) return `MountVolume.SetUp failed for volume "${v.name}" : persistentvolumeclaim "${v.persistentVolumeClaim.claimName}" not found`;
      }
    }
    return undefined;
  }

  private plan(ns: string, c: any): ContainerPlan {
    const image = String(c?.image ?? '');
    const missing = this.missingConfig(ns, c);
    if (missing) return { name: c.name, image, behavior: 'ConfigError', message: missing, exitCode: 0 };
    const rule = this.ctx.behaviors.match(image, c);
    const behavior = rule?.behavior ?? 'Running';
    let defaultExit = 1;
    if (behavior === 'OOMKilled') defaultExit = 137;
    else if (behavior === 'Completed') defaultExit = 0;
    return { name: c.name, image, behavior, rule, message: rule?.message, exitCode: rule?.exitCode ?? defaultExit };
  }

  /** Containers reach the state their image/spec dictates. */
  private start(ns: string, name: string, uid: string) {
    const pod = this.current(ns, name, uid);
    if (!pod || !pod.spec?.nodeName) return;
    const host = pod.spec.nodeName;
    const src = { component: 'kubelet', host };
    const volumeProblem = this.missingVolume(ns, pod);
    if (volumeProblem) {
      this.ctx.event(pod, 'Warning', 'FailedMount', volumeProblem, src);
      this.ctx.after(`pod:${uid}:start`, 2 * PROBE_PERIOD_MS, () => this.start(ns, name, uid));
      return;
    }
    const now = rfc3339();
    const restartPolicy = pod.spec.restartPolicy ?? 'Always';

    // init containers run in order; the first failing one blocks the pod
    const initSpecs: any[] = pod.spec.initContainers ?? [];
    const initStatuses: any[] = [];
    let initBlocked = false;
    for (const c of initSpecs) {
      if (initBlocked) {
        initStatuses.push(this.waitingStatus(c, 'PodInitializing'));
        continue;
      }
      const plan = this.plan(ns, c);
      if (plan.behavior === 'Running' || plan.behavior === 'Completed') {
        this.normalStartEvents(pod, c, src, 'initContainers');
        initStatuses.push({
          name: c.name,
          image: c.image,
          imageID: imageId(c.image),
          containerID: containerId(uid, c.name, 0),
          ready: true,
          restartCount: 0,
          started: false,
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now, containerID: containerId(uid, c.name, 0) } },
          lastState: {},
        });
        continue;
      }
      initBlocked = true;
      initStatuses.push(this.failingStatus(pod, c, plan, src, 'initContainers', restartPolicy));
    }

    const statuses = (pod.spec.containers ?? []).map((c: any) => {
      if (initBlocked) return this.waitingStatus(c, 'PodInitializing');
      const plan = this.plan(ns, c);
      if (plan.behavior === 'Running' || plan.behavior === 'NotReady') {
        this.normalStartEvents(pod, c, src, 'containers');
        if (plan.behavior === 'NotReady') this.scheduleProbeFailures(pod, c, plan);
        return {
          name: c.name,
          image: c.image,
          imageID: imageId(c.image),
          containerID: containerId(uid, c.name, 0),
          ready: plan.behavior === 'Running',
          restartCount: 0,
          started: true,
          state: { running: { startedAt: now } },
          lastState: {},
        };
      }
      return this.failingStatus(pod, c, plan, src, 'containers', restartPolicy);
    });

    this.ctx.mutate(T.pods, ns, name, p => {
      p.status = assembleStatus(p, statuses, initSpecs.length ? initStatuses : undefined, !initBlocked);
    });
  }

  private waitingStatus(c: any, reason: string) {
    return {
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason } },
      lastState: {},
    };
  }

  private normalStartEvents(pod: KubeObject, c: any, src: { component: string; host: string }, list: string) {
    const fieldPath = `spec.${list}{${c.name}}`;
    if (c.imagePullPolicy === 'Always') {
      this.ctx.event(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, src, fieldPath);
      this.ctx.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in 1.042s (1.042s including waiting). Image size: 48213702 bytes.`, src, fieldPath);
    } else {
      this.ctx.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, src, fieldPath);
    }
    this.ctx.event(pod, 'Normal', 'Created', `Created container: ${c.name}`, src, fieldPath);
    this.ctx.event(pod, 'Normal', 'Started', `Started container ${c.name}`, src, fieldPath);
  }

  private scheduleProbeFailures(pod: KubeObject, c: any, plan: ContainerPlan) {
    const uid = pod.metadata.uid!;
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    const message = plan.message ?? 'HTTP probe failed with statuscode: 503';
    const fire = () => {
      const p = this.current(ns, name, uid);
      if (!p) return;
      this.ctx.event(p, 'Warning', 'Unhealthy', `Readiness probe failed: ${message}`, { component: 'kubelet', host: p.spec.nodeName }, `spec.containers{${c.name}}`);
      this.ctx.after(`pod:${uid}:probe:${c.name}`, PROBE_PERIOD_MS, fire);
    };
    fire();
  }

  private failingStatus(pod: KubeObject, c: any, plan: ContainerPlan, src: { component: string; host: string }, list: string, restartPolicy: string) {
    const uid = pod.metadata.uid!;
    const fieldPath = `spec.${list}{${c.name}}`;
    const now = rfc3339();
    const base = { name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, lastState: {} };
    switch (plan.behavior) {
      case 'ConfigError':
        this.ctx.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, src, fieldPath);
        this.ctx.event(pod, 'Warning', 'Failed', `Error: ${plan.message}`, src, fieldPath);
        return { ...base, state: { waiting: { reason: 'CreateContainerConfigError', message: plan.message } } };
      case 'ImagePullBackOff': {
        const detail =
          plan.message ??
          `rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": failed to resolve reference "${c.image}": ${c.image}: not found`;
        this.ctx.event(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, src, fieldPath);
        this.ctx.event(pod, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${detail}`, src, fieldPath);
        this.ctx.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', src, fieldPath);
        this.ctx.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, src, fieldPath);
        this.ctx.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', src, fieldPath);
        this.schedulePullBackOff(pod, c, fieldPath);
        return {
          ...base,
          state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}": ErrImagePull: ${detail}` } },
        };
      }
      case 'CrashLoopBackOff':
      case 'OOMKilled':
      case 'Completed':
      default: {
        this.normalStartEvents(pod, c, src, list);
        const reason = terminationReason(plan);
        const terminated = {
          exitCode: plan.exitCode,
          reason,
          ...(plan.message ? { message: plan.message } : {}),
          startedAt: now,
          finishedAt: now,
          containerID: containerId(uid, c.name, 0),
        };
        const restarts = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && plan.exitCode !== 0);
        if (!restarts) {
          return { ...base, imageID: imageId(c.image), containerID: terminated.containerID, state: { terminated } };
        }
        const key = `${uid}/${c.name}`;
        const st = { count: 1, backoff: CRASH_BACKOFF_START, lastStart: now, lastFinish: now };
        this.restarts.set(key, st);
        this.ctx.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${uid})`, src, fieldPath);
        this.scheduleCrash(pod, c, plan, fieldPath, list);
        return {
          ...base,
          imageID: imageId(c.image),
          containerID: containerId(uid, c.name, 1),
          restartCount: 1,
          state: { waiting: { reason: 'CrashLoopBackOff', message: backoffMessage(st.backoff, c.name, pod) } },
          lastState: { terminated },
        };
      }
    }
  }

  private schedulePullBackOff(pod: KubeObject, c: any, fieldPath: string) {
    const uid = pod.metadata.uid!;
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    let backoff = CRASH_BACKOFF_START;
    const fire = () => {
      const p = this.current(ns, name, uid);
      if (!p) return;
      const src = { component: 'kubelet', host: p.spec.nodeName };
      this.ctx.event(p, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, src, fieldPath);
      this.ctx.event(p, 'Warning', 'Failed', 'Error: ImagePullBackOff', src, fieldPath);
      backoff = Math.min(backoff * 2, CRASH_BACKOFF_MAX);
      this.ctx.after(`pod:${uid}:pull:${c.name}`, backoff * 1000, fire);
    };
    this.ctx.after(`pod:${uid}:pull:${c.name}`, backoff * 1000, fire);
  }

  /** Each back-off period the container restarts and crashes again. */
  private scheduleCrash(pod: KubeObject, c: any, plan: ContainerPlan, fieldPath: string, list: string) {
    const uid = pod.metadata.uid!;
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    const key = `${uid}/${c.name}`;
    const st = this.restarts.get(key);
    if (!st) return;
    this.ctx.after(`pod:${uid}:crash:${c.name}`, st.backoff * 1000, () => {
      const p = this.current(ns, name, uid);
      if (!p) return;
      st.count += 1;
      st.backoff = Math.min(st.backoff * 2, CRASH_BACKOFF_MAX);
      const now = rfc3339();
      const statusKey = list === 'initContainers' ? 'initContainerStatuses' : 'containerStatuses';
      const updated = this.ctx.mutate(T.pods, ns, name, q => {
        const cs = (q.status?.[statusKey] ?? []).find((s: any) => s?.name === c.name);
        if (!cs) return;
        cs.restartCount = st.count;
        cs.containerID = containerId(uid, c.name, st.count);
        cs.lastState = {
          terminated: {
            ...(cs.lastState?.terminated ?? {}),
            exitCode: plan.exitCode,
            reason: terminationReason(plan),
            startedAt: now,
            finishedAt: now,
            containerID: containerId(uid, c.name, st.count - 1),
          },
        };
        cs.state = { waiting: { reason: 'CrashLoopBackOff', message: backoffMessage(st.backoff, c.name, q) } };
      });
      if (updated) {
        this.ctx.event(updated, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${name}_${ns}(${uid})`, { component: 'kubelet', host: updated.spec.nodeName }, fieldPath);
      }
      this.scheduleCrash(p, c, plan, fieldPath, list);
    });
  }

  /** Log lines for a pod the kubelet runs (from its image's behaviour rule). */
  logsFor(_pod: KubeObject, container: any, previous: boolean): string[] | undefined {
    const rule = this.ctx.behaviors.match(container?.image, container);
    if (previous) {
      if (rule?.previousLogs) return rule.previousLogs;
      if (rule?.behavior === 'OOMKilled') return [`Starting ${container.name}...`, 'Processing batch...'];
      if (rule?.behavior === 'CrashLoopBackOff') return [`Starting ${container.name}...`, `Fatal error, exiting with code ${rule.exitCode ?? 1}`];
      return undefined;
    }
    if (rule?.logs) return rule.logs;
    if (rule?.behavior === 'CrashLoopBackOff' || rule?.behavior === 'OOMKilled') return rule.previousLogs ?? [];
    const port = container?.ports?.[0]?.containerPort;
    return [
      `Starting ${container?.name} (${container?.image})`,
      port ? `Listening on :${port}` : 'Ready',
    ];
  }

  isManaged(pod: KubeObject): boolean {
    return this.ctx.managedPods.has(pod.metadata.uid!);
  }

  /** Whether the container ever ran (has a previous instance) in the simulation. */
  hasPreviousInstance(pod: KubeObject, container: string): boolean {
    return (this.restarts.get(`${pod.metadata.uid}/${container}`)?.count ?? 0) > 0;
  }
}
