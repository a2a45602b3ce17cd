import type { ManifestExplanation } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { replicasOf } from '../changes/change';
import type { KubeObject } from '../kubernetes/types';
import {
  containersOf,
  isReplicated,
  LocatedContainer,
  podSpecOf,
  podSpecPath,
} from './manifest';
import { CheckContext } from './types';

/** `25%` of 4 → 1 (rounded as the controller rounds); `2` → 2. */
function scaled(
  value: unknown,
  replicas: number,
  round: 'up' | 'down',
): number {
  if (typeof value === 'number') return value;
  const m = /^([0-9]+)%$/.exec(String(value ?? ''));
  if (!m) return 0;
  const exact = (Number(m[1]) / 100) * replicas;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

function handlerText(probe: any): string {
  if (probe.httpGet) {
    return `an HTTP GET of ${probe.httpGet.path ?? '/'} on port ${
      probe.httpGet.port
    }`;
  }
  if (probe.tcpSocket)
    return `a TCP connection to port ${probe.tcpSocket.port}`;
  if (probe.grpc) return `a gRPC health check on port ${probe.grpc.port}`;
  if (probe.exec) return `running \`${(probe.exec.command ?? []).join(' ')}\``;
  return 'a check';
}

function probeTiming(probe: any) {
  const period = probe.periodSeconds ?? 10;
  const failures = probe.failureThreshold ?? 3;
  return { period, failures, window: period * failures };
}

function qosClass(containers: any[]): string {
  const all = containers.map(c => c.resources ?? {});
  const none = all.every(
    r =>
      Object.keys(r.requests ?? {}).length === 0 &&
      Object.keys(r.limits ?? {}).length === 0,
  );
  if (none) return 'BestEffort';
  const guaranteed = all.every(r =>
    ['cpu', 'memory'].every(
      k =>
        r.limits?.[k] !== undefined &&
        String(r.requests?.[k] ?? r.limits[k]) === String(r.limits[k]),
    ),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const QOS_MEANING: Record<string, string> = {
  BestEffort: 'the first to be evicted when the node runs short of memory',
  Burstable:
    'evicted after BestEffort pods and before Guaranteed ones when the node runs short of memory',
  Guaranteed: 'the last to be evicted when the node runs short of memory',
};

function resourcesText(name: string, resources: any): string {
  const requests = resources?.requests ?? {};
  const limits = resources?.limits ?? {};
  const parts: string[] = [];
  if (requests.cpu !== undefined || requests.memory !== undefined) {
    parts.push(
      `${name} requests ${[
        requests.cpu !== undefined ? `${requests.cpu} CPU` : undefined,
        requests.memory !== undefined ? `${requests.memory} memory` : undefined,
      ]
        .filter(Boolean)
        .join(
          ' and ',
        )}: the scheduler only places the pod on a node with that much left unreserved.`,
    );
  } else {
    parts.push(
      `${name} requests nothing, so the scheduler reserves nothing for it.`,
    );
  }
  parts.push(
    limits.memory !== undefined
      ? `Above ${limits.memory} of memory the kernel kills it (OOMKilled) and the kubelet restarts it.`
      : 'It has no memory limit: it can grow until the node itself runs out of memory.',
  );
  parts.push(
    limits.cpu !== undefined
      ? `Above ${limits.cpu} CPU it is throttled, not killed — it gets slower.`
      : 'It has no CPU limit: it may use idle CPU on the node beyond its request.',
  );
  return parts.join(' ');
}

function rolloutText(object: KubeObject): string | undefined {
  const spec = object.spec ?? {};
  const replicas = replicasOf(object);
  if (object.kind === 'Deployment') {
    if (spec.strategy?.type === 'Recreate') {
      return 'Rollouts use Recreate: every old pod is stopped before any new one starts, so each rollout is a short outage.';
    }
    const rolling = spec.strategy?.rollingUpdate ?? {};
    const surge = scaled(rolling.maxSurge ?? '25%', replicas, 'up');
    const unavailable = scaled(
      rolling.maxUnavailable ?? '25%',
      replicas,
      'down',
    );
    return `Rollouts replace pods gradually (RollingUpdate): with ${replicas} replica${
      replicas === 1 ? '' : 's'
    }, up to ${surge} extra pod${surge === 1 ? '' : 's'} start${
      surge === 1 ? 's' : ''
    } alongside the old ones and at most ${unavailable} may be unavailable at a time${
      unavailable === 0
        ? ' — a new pod must be ready before an old one is stopped'
        : ''
    }. A rollout that makes no progress for ${
      spec.progressDeadlineSeconds ?? 600
    } s is reported as failed (ProgressDeadlineExceeded); it is not rolled back automatically.`;
  }
  if (object.kind === 'StatefulSet') {
    if (spec.updateStrategy?.type === 'OnDelete') {
      return 'Updates use OnDelete: a new pod template only takes effect when someone deletes each pod.';
    }
    const partition = spec.updateStrategy?.rollingUpdate?.partition;
    return `Updates replace pods one at a time, from the highest ordinal down, each waiting for the previous to be ready${
      partition
        ? `; pods below ordinal ${partition} keep the old template (partition)`
        : ''
    }.`;
  }
  if (object.kind === 'DaemonSet') {
    const max = spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
    return spec.updateStrategy?.type === 'OnDelete'
      ? 'Updates use OnDelete: a new pod template only takes effect when each pod is deleted.'
      : `Updates go node by node: at most ${max} node${
          max === 1 ? '' : 's'
        } at a time run${
          max === 1 ? 's' : ''
        } without this pod while it is replaced.`;
  }
  return undefined;
}

/**
 * The important parts of a manifest in plain words, from rules: what the
 * resources mean for scheduling and OOM kills, what the probes do, how a
 * rollout proceeds, who owns the replica count and when a job runs.
 */
export function explainManifest(
  object: KubeObject,
  context: Pick<CheckContext, 'hpas'> = {},
): ManifestExplanation[] {
  const containers = containersOf(object);
  return [
    ...workloadExplanations(object, containers),
    ...scheduleExplanations(object),
    ...resourceExplanations(containers),
    ...containers.flatMap(probeExplanations),
    ...rolloutExplanations(object),
    ...scalingExplanations(object, context.hpas),
    ...gracePeriodExplanations(object),
  ];
}

/** What the workload runs: its replicas and images, or one pod per node. */
function workloadExplanations(
  object: KubeObject,
  containers: LocatedContainer[],
): ManifestExplanation[] {
  const what = `${object.kind} ${object.metadata?.name}`;
  if (isReplicated(object.kind)) {
    return [
      {
        topic: 'workload',
        path: 'spec.replicas',
        text: `${what} runs ${replicasOf(object)} cop${
          replicasOf(object) === 1 ? 'y' : 'ies'
        } of a pod with ${containers.length} container${
          containers.length === 1 ? '' : 's'
        } (${containers
          .map(c => `${c.container.name}: ${c.container.image}`)
          .join('; ')}).`,
      },
    ];
  }
  if (object.kind === 'DaemonSet') {
    return [
      {
        topic: 'workload',
        path: 'spec.template',
        text: `${what} runs one pod on every node its selectors and tolerations allow.`,
      },
    ];
  }
  return [];
}

/** When a CronJob starts its Jobs, and how often a Job retries. */
function scheduleExplanations(object: KubeObject): ManifestExplanation[] {
  const spec = object.spec ?? {};
  if (object.kind === 'CronJob') {
    return [
      {
        topic: 'schedule',
        path: 'spec.schedule',
        text: `A Job starts on the cron schedule "${spec.schedule}"${
          spec.timeZone
            ? ` in ${spec.timeZone}`
            : ' in the controller’s time zone'
        }. ${
          spec.concurrencyPolicy === 'Forbid'
            ? 'A run is skipped while the previous one still runs.'
            : ''
        }${
          spec.concurrencyPolicy === 'Replace'
            ? 'A new run replaces one still running.'
            : ''
        }${
          !spec.concurrencyPolicy || spec.concurrencyPolicy === 'Allow'
            ? 'Runs may overlap if one takes longer than the interval.'
            : ''
        }${spec.suspend ? ' It is suspended: no new runs start.' : ''}`.trim(),
      },
    ];
  }
  if (object.kind === 'Job') {
    return [
      {
        topic: 'schedule',
        path: 'spec.backoffLimit',
        text: `The Job runs ${spec.completions ?? 1} completion${
          (spec.completions ?? 1) === 1 ? '' : 's'
        }, ${spec.parallelism ?? 1} at a time, and is marked failed after ${
          spec.backoffLimit ?? 6
        } retries${
          spec.activeDeadlineSeconds
            ? ` or ${spec.activeDeadlineSeconds} s, whichever comes first`
            : ''
        }.`,
      },
    ];
  }
  return [];
}

/** Each container's requests and limits, then the pods' QoS class. */
function resourceExplanations(
  containers: LocatedContainer[],
): ManifestExplanation[] {
  const out: ManifestExplanation[] = containers.map(({ container, path }) => ({
    topic: 'resources',
    path: `${path}.resources`,
    text: resourcesText(container.name, container.resources),
  }));
  if (containers.length > 0) {
    const qos = qosClass(containers.map(c => c.container));
    out.push({
      topic: 'resources',
      path: `${containers[0].path}.resources`,
      text: `Its pods are in QoS class ${qos}: ${QOS_MEANING[qos]}.`,
    });
  }
  return out;
}

/** A container's startup, readiness and liveness probes, in that order. */
function probeExplanations({
  container,
  path,
}: LocatedContainer): ManifestExplanation[] {
  const out: ManifestExplanation[] = [];
  const { readinessProbe, livenessProbe, startupProbe } = container;
  if (startupProbe) {
    const t = probeTiming(startupProbe);
    out.push({
      topic: 'probes',
      path: `${path}.startupProbe`,
      text: `${container.name}'s startup probe (${handlerText(
        startupProbe,
      )}) holds the other probes back for up to ${t.window} s while it starts.`,
    });
  }
  if (readinessProbe) {
    const t = probeTiming(readinessProbe);
    out.push({
      topic: 'probes',
      path: `${path}.readinessProbe`,
      text: `${
        container.name
      } gets traffic only while its readiness probe (${handlerText(
        readinessProbe,
      )}, every ${t.period} s) passes; after ${
        t.failures
      } failures in a row (~${
        t.window
      } s) it is taken out of its Services, without a restart.`,
    });
  }
  if (livenessProbe) {
    const t = probeTiming(livenessProbe);
    out.push({
      topic: 'probes',
      path: `${path}.livenessProbe`,
      text: `${
        container.name
      } is restarted when its liveness probe (${handlerText(
        livenessProbe,
      )}, every ${t.period} s) fails ${t.failures} times in a row (~${
        t.window
      } s).`,
    });
  }
  return out;
}

/** How a rollout of the workload proceeds, when its kind rolls out. */
function rolloutExplanations(object: KubeObject): ManifestExplanation[] {
  const rollout = rolloutText(object);
  if (!rollout) return [];
  return [
    {
      topic: 'rollout',
      path:
        object.kind === 'Deployment' ? 'spec.strategy' : 'spec.updateStrategy',
      text: rollout,
    },
  ];
}

/** The HorizontalPodAutoscaler that owns the replica count, if one targets it. */
function scalingExplanations(
  object: KubeObject,
  hpas: CheckContext['hpas'],
): ManifestExplanation[] {
  const hpa = hpas?.find(
    h =>
      h.spec?.scaleTargetRef?.kind === object.kind &&
      h.spec?.scaleTargetRef?.name === object.metadata?.name,
  );
  if (!hpa) return [];
  return [
    {
      topic: 'scaling',
      path: 'spec.replicas',
      text: `The HorizontalPodAutoscaler ${
        hpa.metadata?.name
      } owns the replica count: it keeps it between ${
        hpa.spec?.minReplicas ?? 1
      } and ${hpa.spec?.maxReplicas}, whatever spec.replicas says.`,
    },
  ];
}

/** How long a stopping pod of a replicated workload gets after SIGTERM. */
function gracePeriodExplanations(object: KubeObject): ManifestExplanation[] {
  const pod = podSpecOf(object);
  if (
    pod?.terminationGracePeriodSeconds === undefined ||
    !isReplicated(object.kind)
  ) {
    return [];
  }
  return [
    {
      topic: 'rollout',
      path: `${podSpecPath(object.kind)}.terminationGracePeriodSeconds`,
      text: `A stopping pod gets ${pod.terminationGracePeriodSeconds} s after SIGTERM to finish in-flight work before it is killed.`,
    },
  ];
}
