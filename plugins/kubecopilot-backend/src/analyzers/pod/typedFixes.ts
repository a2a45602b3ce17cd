import type {
  ObjectRef,
  ProposedFix,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { SECRET_ENV_NAME } from '../../diagnosis/redaction/redactObject';
import { ContainerView, PodScope } from './scope';
import { parseQuantity } from '../../kubernetes/quantity';

// Fixes whose plan needs a value only a person knows — the value of a
// missing variable, a tag that exists. The fix says what goes where
// (`asks`); the portal asks for the value and drafts an `update` plan, which
// the change model checks like any typed value. `params` never holds a
// guessed value, so a client that ignores `asks` gets a plan that is refused
// ("nothing to update"), not one that sets a variable to "".

/** Workloads an `update` plan may change. */
const UPDATABLE = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** The workload whose pod template holds container `c`, when an update can change it. */
function updatable(s: PodScope, c: ContainerView): ObjectRef | undefined {
  const ref = s.owner?.ref;
  // `update` changes `spec.containers`, not init containers.
  if (
    !ref ||
    !UPDATABLE.has(ref.kind) ||
    !c.specPath.startsWith('spec.containers[')
  ) {
    return undefined;
  }
  return { kind: ref.kind, namespace: ref.namespace, name: ref.name };
}

/**
 * "Set PAYMENT_GATEWAY_URL on Deployment checkout": an update plan for the
 * value the person types. Undefined when no update can carry it, or when the
 * name says it is a credential (plans never hold secrets): `secretAdvice`
 * then says what to do instead.
 */
export function setVariableFix(
  s: PodScope,
  c: ContainerView,
  variable: string,
  note: string,
): ProposedFix | undefined {
  const target = updatable(s, c);
  if (!target || SECRET_ENV_NAME.test(variable)) return undefined;
  return {
    description: `Set ${variable} on ${target.kind} ${target.name}. Container "${c.name}" exits because environment variable ${variable} is not set; you type the value it needs, and the plan shows it in its diff before anyone approves it.`,
    action: 'update',
    target,
    params: {},
    asks: [
      {
        kind: 'env',
        container: c.name,
        name: variable,
        path: ['containers', c.name, 'env', variable],
      },
    ],
    note,
  };
}

/** What to do about a missing variable whose name says it holds a credential. */
export function secretAdvice(variable: string): string {
  return SECRET_ENV_NAME.test(variable)
    ? ` ${variable} looks like a credential: put it in a Secret and reference it with env[].valueFrom.secretKeyRef — KubeCopilot never puts secret values in a plan.`
    : '';
}

/**
 * "Set the image of container checkout to a tag that exists": an update
 * plan for the reference the person types, starting from the one that
 * fails. Only when another reference can help (not for a refused login or
 * an unreachable registry).
 */
export function setImageFix(
  s: PodScope,
  c: ContainerView,
  image: string,
  problem: string,
  note: string,
): ProposedFix | undefined {
  const target = updatable(s, c);
  if (!target) return undefined;
  return {
    description: `Set the image of ${target.kind} ${target.name} (container "${c.name}") to one that exists. ${problem} You type the new reference; the plan shows it in its diff before anyone approves it.`,
    action: 'update',
    target,
    params: {},
    asks: [
      {
        kind: 'image',
        container: c.name,
        path: ['containers', c.name, 'image'],
        initial: image,
      },
    ],
    note,
  };
}

/** Resources whose request an update may lower when no node has enough. */
const LOWERABLE = ['cpu', 'memory'];

/**
 * "Lower the cpu request of Deployment api (container app)": for a pod no
 * node has room for, an update plan for the request a person types, on the
 * container asking for the most of each resource short. `params` carries
 * that container's resources as they are (an update replaces them whole),
 * and each ask the one value to change. Undefined when the owner cannot be
 * updated or no container requests the resource.
 */
export function lowerRequestsFix(
  s: PodScope,
  insufficient: string[],
  advice: string,
  note: string,
): ProposedFix | undefined {
  const ref = s.owner?.ref;
  if (!ref || !UPDATABLE.has(ref.kind)) return undefined;
  const containers = s.pod.spec?.containers ?? [];
  const asks: NonNullable<ProposedFix['asks']> = [];
  const resources: Record<string, unknown> = {};
  for (const resource of LOWERABLE.filter(r => insufficient.includes(r))) {
    const biggest = containers
      .filter(c => c.resources?.requests?.[resource] !== undefined)
      .sort(
        (a, b) =>
          quantity(b.resources!.requests![resource]) -
          quantity(a.resources!.requests![resource]),
      )[0];
    if (!biggest) continue;
    resources[biggest.name] = structuredClone(biggest.resources);
    asks.push({
      kind: 'resource',
      container: biggest.name,
      name: `requests.${resource}`,
      path: ['containers', biggest.name, 'resources', 'requests', resource],
      initial: String(biggest.resources!.requests![resource]),
    });
  }
  if (asks.length === 0) return undefined;
  const what = asks
    .map(a => `${a.name!.replace('requests.', '')} request (now ${a.initial})`)
    .join(' and ');
  return {
    description: `Lower the ${what} of ${ref.kind} ${ref.name}, if it needs less. ${advice} You type the new request; the plan shows it in its diff before anyone approves it.`,
    action: 'update',
    target: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
    params: {
      containers: Object.fromEntries(
        Object.entries(resources).map(([name, r]) => [name, { resources: r }]),
      ),
    },
    asks,
    note,
  };
}

/** A Kubernetes quantity as a number, for ordering only (`500m` < `2` < `1Gi`). */
function quantity(value: unknown): number {
  return parseQuantity(value) ?? 0;
}
