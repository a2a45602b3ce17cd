import type {
  V1Container,
  V1Pod,
  V1Probe,
  V1Service,
  V1ServicePort,
} from '@kubernetes/client-node';
import type { FindingEvidence } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { field } from './common';

// Whether a Service's targetPorts reach its pods. A named targetPort must be
// the name of a container port (the endpoints controller skips a pod that
// has none: no endpoint for that port); a numeric one is used as-is, and a
// container may listen on a port it does not declare, so a number only
// counts as wrong when every container declares ports and none of them
// (nor any probe) uses it.

/** One Service port whose targetPort the selected pods do not serve. */
export interface PortProblem {
  /** `spec.ports[i]`. */
  path: string;
  /** The Service port's name or number, for messages. */
  label: string;
  target: string | number;
  /** A name no container port has (no endpoints), or an undeclared number (likely wrong). */
  kind: 'name' | 'number';
  protocol: string;
}

/** What the selected pods declare, e.g. `http=8080/TCP`. */
export interface DeclaredPort {
  name?: string;
  port: number;
  protocol: string;
}

/** targetPort as the API means it: a number, else a port name; unset means `port`. */
function targetOf(p: V1ServicePort): string | number {
  const t = p.targetPort as unknown;
  if (t === undefined || t === null || t === '') return p.port;
  if (typeof t === 'number') return t;
  return /^\d+$/.test(String(t)) ? Number(t) : String(t);
}

function probePorts(c: V1Container): Array<string | number> {
  const probes: Array<V1Probe | undefined> = [
    c.readinessProbe,
    c.livenessProbe,
    c.startupProbe,
  ];
  return probes.flatMap(p => {
    const port = (p?.httpGet?.port ?? p?.tcpSocket?.port ?? p?.grpc?.port) as
      | string
      | number
      | undefined;
    return port === undefined ? [] : [port];
  });
}

export function declaredPorts(pod: V1Pod): DeclaredPort[] {
  return (pod.spec?.containers ?? []).flatMap(c =>
    (c.ports ?? []).map(p => ({
      ...(p.name ? { name: p.name } : {}),
      port: p.containerPort,
      protocol: p.protocol ?? 'TCP',
    })),
  );
}

export function formatPorts(ports: DeclaredPort[]): string {
  const seen = new Set<string>();
  return ports
    .map(p => `${p.name ? `${p.name}=` : ''}${p.port}/${p.protocol}`)
    .filter(s => !seen.has(s) && !!seen.add(s))
    .join(', ');
}

function resolves(pod: V1Pod, target: string | number, protocol: string) {
  const containers = pod.spec?.containers ?? [];
  if (typeof target === 'string') {
    return containers.some(c =>
      (c.ports ?? []).some(
        p => p.name === target && (p.protocol ?? 'TCP') === protocol,
      ),
    );
  }
  // Undeclared ports are legal: a container that declares none may serve
  // any (an app beside a sidecar that declares its own, as with a mesh
  // proxy), and a probe on the number shows it is served.
  if (containers.some(c => (c.ports ?? []).length === 0)) return true;
  return containers.some(
    c =>
      (c.ports ?? []).some(p => p.containerPort === target) ||
      probePorts(c).includes(target),
  );
}

/**
 * The ports of `svc` that none of `pods` (the pods its selector matches)
 * serves; empty when there are no pods to judge by.
 */
export function portProblems(svc: V1Service, pods: V1Pod[]): PortProblem[] {
  if (pods.length === 0) return [];
  return (svc.spec?.ports ?? []).flatMap((p, i) => {
    const target = targetOf(p);
    const protocol = p.protocol ?? 'TCP';
    if (pods.some(pod => resolves(pod, target, protocol))) return [];
    return [
      {
        path: `spec.ports[${i}]`,
        label: p.name ? `"${p.name}" (${p.port})` : String(p.port),
        target,
        kind: typeof target === 'string' ? 'name' : 'number',
        protocol,
      },
    ];
  });
}

export function portEvidence(
  problems: PortProblem[],
  pods: V1Pod[],
): FindingEvidence[] {
  const declared = pods.flatMap(declaredPorts);
  return [
    ...problems.map(p => field(`${p.path}.targetPort`, p.target)),
    field(
      `ports of the selected pods' containers`,
      formatPorts(declared) || 'none declared',
    ),
  ];
}

/** "targetPort "http" of port 80, which no container port is named", one clause per problem. */
/** `"http"`, `80/TCP`: the targetPorts in trouble, for a headline-sized first sentence. */
export function targetsText(problems: PortProblem[]): string {
  return [
    ...new Set(
      problems.map(p =>
        p.kind === 'name' ? `"${p.target}"` : `${p.target}/${p.protocol}`,
      ),
    ),
  ].join(', ');
}

export function describeProblems(
  problems: PortProblem[],
  pods: V1Pod[],
): string {
  const declared = formatPorts(pods.flatMap(declaredPorts));
  return `${problems
    .map(p =>
      p.kind === 'name'
        ? `port ${p.label} targets "${p.target}", a name no container port of its pods has`
        : `port ${p.label} targets ${p.target}/${p.protocol}, which no container of its pods declares or probes`,
    )
    .join('; ')} (they declare ${declared || 'no ports'})`;
}

/**
 * The targetPort to set, when the pods leave one obvious choice: the only
 * port they declare for the protocol.
 */
export function suggestedTarget(
  problem: PortProblem,
  pods: V1Pod[],
): DeclaredPort | undefined {
  const ports = pods
    .flatMap(declaredPorts)
    .filter(p => p.protocol === problem.protocol);
  const distinct = new Map(ports.map(p => [`${p.name ?? ''}|${p.port}`, p]));
  return distinct.size === 1 ? [...distinct.values()][0] : undefined;
}

export function portAdvice(
  id: string,
  problems: PortProblem[],
  pods: V1Pod[],
): string {
  const steps = problems.map(p => {
    const s = suggestedTarget(p, pods);
    let to = 'a port the containers serve';
    if (s) to = s.name ? `"${s.name}" (or ${s.port})` : `${s.port}`;
    return `set ${p.path}.targetPort to ${to}`;
  });
  return `In ${id}, ${steps.join(
    '; ',
  )} — or declare the port in the pod template if the container does serve it. Editing a Service is not a plan KubeCopilot offers: apply the change through the Service's manifest (a restart of the pods will not help).`;
}
