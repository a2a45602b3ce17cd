import type {
  CoreV1Event,
  V1ContainerState,
  V1ContainerStatus,
  V1ObjectMeta,
  V1Pod,
} from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, ContainerLog } from '../../analyzers';
import { workloadOf } from '../../analyzers';
import { eventLastSeen } from '../../analyzers/common';

/** One event, flattened to what a reader of the prompt needs. */
export interface PromptEvent {
  /** `Pod shop/web-5d9-abc [app]`, `Node ip-10-0-1-2`. */
  object: string;
  type?: string;
  reason?: string;
  message?: string;
  count: number;
  /** ISO time of the last occurrence, when known. */
  lastSeen?: string;
}

export interface PromptLog extends ContainerLog {
  /** Lines left out by compression and cutting, so the reader knows the log is partial. */
  omittedLines?: number;
}

/**
 * What the LLM is shown about one cluster besides the findings: one summary
 * line per object, the events and the container logs. Built from the redacted
 * AnalysisContext by {@link toPromptContext} and shrunk by `fitToBudget`.
 */
export interface PromptContext {
  cluster: string;
  /** The analyzers' findings: never cut (sent in their own prompt section). */
  findings: Finding[];
  objects: string[];
  events: PromptEvent[];
  logs: PromptLog[];
  /**
   * What backend modules' context providers added (a GitOps sync status, a
   * cloud provider's events), one line per item, already bounded and
   * redacted by the modules runner.
   */
  provided?: string[];
}

function iso(t: Date | string | undefined | null): string | undefined {
  if (!t) return undefined;
  return t instanceof Date ? t.toISOString() : t;
}

function id(kind: string, meta: V1ObjectMeta | undefined): string {
  return `${kind} ${meta?.namespace ? `${meta.namespace}/` : ''}${meta?.name}`;
}

type Condition = { type: string; status: string; reason?: string };

/** `Ready=False(ContainersNotReady)`; conditions in their healthy state are left out. */
function conditions(
  conds: Condition[] | undefined,
  healthy: Record<string, string>,
): string {
  const shown = (conds ?? [])
    .filter(c => (healthy[c.type] ?? 'True') !== c.status)
    .map(c => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ''}`);
  return shown.length ? ` conditions: ${shown.join(' ')}` : '';
}

function state(s: V1ContainerState | undefined): string {
  if (s?.waiting) return `waiting(${s.waiting.reason ?? ''})`;
  if (s?.terminated) {
    return `terminated(${s.terminated.reason ?? ''}, exit ${
      s.terminated.exitCode
    })`;
  }
  if (s?.running) return 'running';
  return 'unknown';
}

function podLine(ctx: AnalysisContext, pod: V1Pod): string {
  const owner = workloadOf(ctx, pod);
  const specs = [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
  ];
  const statuses: V1ContainerStatus[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const containers = specs.map(c => {
    const st = statuses.find(s => s.name === c.name);
    const limits = Object.entries(c.resources?.limits ?? {})
      .map(([k, v]) => `${k}:${v}`)
      .join(',');
    const last = st?.lastState?.terminated
      ? `, last=${state(st.lastState)}`
      : '';
    return `${c.name}: image=${c.image}${
      st
        ? `, ready=${st.ready}, restarts=${st.restartCount}, state=${state(
            st.state,
          )}${last}`
        : ''
    }${limits ? `, limits=${limits}` : ''}`;
  });
  return `${id('Pod', pod.metadata)}${
    owner ? ` owner=${owner.ref.kind}/${owner.ref.name}` : ''
  } phase=${pod.status?.phase}${
    pod.spec?.nodeName ? ` node=${pod.spec.nodeName}` : ''
  }${conditions(pod.status?.conditions as Condition[], {})}${
    containers.length ? ` | ${containers.join(' | ')}` : ''
  }`;
}

/**
 * PodDisruptionBudgets, NetworkPolicies and the governing Services the
 * StatefulSets name but that do not exist, and selector-less Services that
 * nothing backs.
 */
function policyLines(ctx: AnalysisContext): string[] {
  const lines: string[] = [];
  for (const p of ctx.networkpolicies ?? []) {
    const ports = (p.spec?.ingress ?? [])
      .flatMap(r => r.ports ?? [])
      .map(x => `${x.port ?? 'any'}/${x.protocol ?? 'TCP'}`);
    lines.push(
      `${id('NetworkPolicy', p.metadata)} podSelector=${JSON.stringify(
        p.spec?.podSelector?.matchLabels ?? {},
      )} policyTypes=${(p.spec?.policyTypes ?? ['Ingress']).join(
        ',',
      )} ingressRules=${p.spec?.ingress?.length ?? 0}${
        ports.length ? ` ports=${ports.join(',')}` : ''
      }`,
    );
  }
  for (const p of ctx.pdbs ?? []) {
    lines.push(
      `${id('PodDisruptionBudget', p.metadata)} ${
        p.spec?.minAvailable !== undefined
          ? `minAvailable=${p.spec.minAvailable}`
          : `maxUnavailable=${p.spec?.maxUnavailable}`
      } expectedPods=${p.status?.expectedPods ?? 0} currentHealthy=${
        p.status?.currentHealthy ?? 0
      } disruptionsAllowed=${p.status?.disruptionsAllowed ?? 0}`,
    );
  }
  for (const m of ctx.missingServices ?? [])
    lines.push(`Service ${m.namespace}/${m.name} does not exist`);
  for (const m of ctx.missingEndpoints ?? [])
    lines.push(
      `Service ${m.namespace}/${m.name} has no selector and neither Endpoints nor EndpointSlices`,
    );
  return lines;
}

/**
 * One line per object: the state a reader needs (replicas, phases, the
 * conditions that are not in their healthy state), not the full manifests,
 * which would cost many times the tokens and say little more.
 */
function objectLines(ctx: AnalysisContext): string[] {
  const lines: string[] = [];
  lines.push(...ctx.pods.map(p => podLine(ctx, p)));
  for (const d of ctx.deployments) {
    const s = d.status ?? {};
    lines.push(
      `${id('Deployment', d.metadata)} replicas=${
        d.spec?.replicas ?? 1
      } ready=${s.readyReplicas ?? 0} available=${
        s.availableReplicas ?? 0
      } updated=${s.updatedReplicas ?? 0}${conditions(s.conditions, {})}`,
    );
  }
  for (const s of ctx.statefulsets) {
    lines.push(
      `${id('StatefulSet', s.metadata)} replicas=${
        s.spec?.replicas ?? 1
      } ready=${s.status?.readyReplicas ?? 0} available=${
        s.status?.availableReplicas ?? 0
      }`,
    );
  }
  for (const d of ctx.daemonsets) {
    lines.push(
      `${id('DaemonSet', d.metadata)} desired=${
        d.status?.desiredNumberScheduled ?? 0
      } ready=${d.status?.numberReady ?? 0} available=${
        d.status?.numberAvailable ?? 0
      }`,
    );
  }
  for (const svc of ctx.services) {
    const sel = Object.entries(svc.spec?.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const ports = (svc.spec?.ports ?? [])
      .map(p => `${p.port}->${p.targetPort ?? p.port}`)
      .join(',');
    lines.push(
      `${id('Service', svc.metadata)} type=${svc.spec?.type ?? 'ClusterIP'}${
        sel ? ` selector=${sel}` : ''
      }${ports ? ` ports=${ports}` : ''}`,
    );
  }
  for (const ing of ctx.ingresses) {
    const backends = (ing.spec?.rules ?? []).flatMap(r =>
      (r.http?.paths ?? []).map(
        p =>
          `${r.host ?? '*'}${p.path ?? '/'}->${
            p.backend?.service?.name ?? '?'
          }`,
      ),
    );
    lines.push(`${id('Ingress', ing.metadata)} ${backends.join(' ')}`);
  }
  for (const h of ctx.hpas) {
    lines.push(
      `${id('HorizontalPodAutoscaler', h.metadata)} target=${
        h.spec?.scaleTargetRef?.kind
      }/${h.spec?.scaleTargetRef?.name} min=${h.spec?.minReplicas ?? 1} max=${
        h.spec?.maxReplicas
      } current=${h.status?.currentReplicas ?? 0} desired=${
        h.status?.desiredReplicas ?? 0
      }${conditions(h.status?.conditions, { ScalingLimited: 'False' })}`,
    );
  }
  lines.push(...policyLines(ctx));

  for (const p of ctx.pvcs) {
    lines.push(
      `${id('PersistentVolumeClaim', p.metadata)} phase=${
        p.status?.phase
      } storageClass=${p.spec?.storageClassName ?? ''}`,
    );
  }
  for (const n of ctx.nodes) {
    lines.push(
      `${id('Node', n.metadata)}${
        n.spec?.unschedulable ? ' unschedulable' : ''
      }${conditions(n.status?.conditions, {
        MemoryPressure: 'False',
        DiskPressure: 'False',
        PIDPressure: 'False',
        NetworkUnavailable: 'False',
      })}`,
    );
  }
  for (const j of ctx.jobs) {
    lines.push(
      `${id('Job', j.metadata)} succeeded=${j.status?.succeeded ?? 0} failed=${
        j.status?.failed ?? 0
      }${conditions(j.status?.conditions, {
        Failed: 'False',
        FailureTarget: 'False',
        Suspended: 'False',
      })}`,
    );
  }
  for (const c of ctx.cronjobs) {
    lines.push(
      `${id('CronJob', c.metadata)} schedule="${c.spec?.schedule}" suspend=${
        c.spec?.suspend ?? false
      }`,
    );
  }
  for (const m of ctx.missing)
    lines.push(`${m.kind} ${m.namespace}/${m.name} does not exist`);
  return lines;
}

function promptEvent(e: CoreV1Event): PromptEvent {
  const inv = e.involvedObject;
  const container = /\{([^}]+)\}/.exec(inv?.fieldPath ?? '')?.[1];
  return {
    object: `${inv?.kind} ${inv?.namespace ? `${inv.namespace}/` : ''}${
      inv?.name
    }${container ? ` [${container}]` : ''}`,
    ...(e.type ? { type: e.type } : {}),
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.message ? { message: e.message } : {}),
    count: e.count ?? e.series?.count ?? 1,
    ...(iso(e.lastTimestamp ?? e.firstTimestamp)
      ? { lastSeen: iso(e.lastTimestamp ?? e.firstTimestamp) }
      : {}),
  };
}

/** Builds the prompt context of one cluster from its redacted AnalysisContext. */
export function toPromptContext(
  ctx: AnalysisContext,
  findings: Finding[],
): PromptContext {
  const events = [...ctx.events].sort(
    (a, b) => eventLastSeen(a) - eventLastSeen(b),
  );
  return {
    cluster: ctx.cluster,
    findings,
    objects: objectLines(ctx),
    events: events.map(promptEvent),
    logs: ctx.logs.map(l => ({ ...l, lines: [...l.lines] })),
  };
}

/** `Warning BackOff Pod shop/web-5d9-abc [app] ×28 (last …): Back-off restarting …` */
export function renderEvent(e: PromptEvent): string {
  return `${e.type ?? ''} ${e.reason ?? ''} ${e.object}${
    e.count > 1 ? ` ×${e.count}` : ''
  }${e.lastSeen ? ` (last ${e.lastSeen})` : ''}: ${e.message ?? ''}`.trim();
}

/**
 * The text that goes into the prompt's context section. Findings are not in
 * it: the diagnoser sends them in their own section, with ids.
 */
export function renderPromptContext(ctx: PromptContext): string {
  const out: string[] = [`# Cluster ${ctx.cluster}`];
  if (ctx.objects.length) out.push('## Objects', ...ctx.objects);
  if (ctx.events.length) {
    out.push('## Events (oldest first)');
    out.push(...ctx.events.map(renderEvent));
  }
  if (ctx.provided?.length) {
    out.push('## From KubeCopilot modules', ...ctx.provided);
  }
  if (ctx.logs.length) {
    out.push('## Logs');
    for (const l of ctx.logs) {
      out.push(
        `### Pod ${l.namespace}/${l.pod} container ${l.container}${
          l.previous ? ' (previous instance)' : ''
        }${l.omittedLines ? ` — ${l.omittedLines} lines omitted` : ''}`,
        ...l.lines,
      );
    }
  }
  return out.join('\n');
}
