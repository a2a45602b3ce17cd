import { ConflictError, InputError } from '@backstage/errors';
import {
  PlanAction,
  ResourceRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { KubernetesWriteRequest } from '../kubernetes/types';
import { objectPath } from './kinds';
import { disallowedUpdateChanges } from './whitelist';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
export const MAX_REPLICAS = 1_000;
const SECRET_LIKE_ENV = /PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL|PRIVATE/i;

type KubeObject = Record<string, any>;

/** Parameters of an `update`: per container, the whitelisted fields. */
export interface UpdateParams {
  replicas?: number;
  containers?: Record<
    string,
    {
      image?: string;
      resources?: Record<string, unknown>;
      env?: Record<string, string>;
    }
  >;
}

/**
 * The desired object for an action on the live object: what `diff.after`
 * shows and what execution writes. Deterministic given its inputs.
 */
export function desiredObject(
  action: PlanAction,
  live: KubeObject,
  params: Record<string, unknown>,
  now: Date,
): { after: KubeObject | null; params: Record<string, unknown> } {
  const after = structuredClone(live);
  switch (action) {
    case 'restart': {
      if (live.spec?.paused) {
        throw new InputError(
          `${live.kind} ${live.metadata?.name} is paused; a restart would not roll out until it is resumed`,
        );
      }
      after.spec ??= {};
      after.spec.template ??= {};
      after.spec.template.metadata ??= {};
      after.spec.template.metadata.annotations = {
        ...(after.spec.template.metadata.annotations ?? {}),
        [RESTARTED_AT]: now.toISOString(),
      };
      return { after, params: { restartedAt: now.toISOString() } };
    }
    case 'scale': {
      const current =
        typeof live.spec?.replicas === 'number' ? live.spec.replicas : 1;
      let replicas: number | undefined;
      if (typeof params.replicas === 'number') replicas = params.replicas;
      else if (typeof params.delta === 'number')
        replicas = current + params.delta;
      if (replicas === undefined || !Number.isInteger(replicas)) {
        throw new InputError('scale needs an integer replicas or delta');
      }
      if (replicas < 0 || replicas > MAX_REPLICAS) {
        throw new InputError(
          `cannot scale to ${replicas} replicas; the allowed range is 0 to ${MAX_REPLICAS}`,
        );
      }
      if (replicas === current) {
        throw new InputError(
          `${live.kind} ${live.metadata?.name} already has ${current} replicas`,
        );
      }
      after.spec.replicas = replicas;
      return { after, params: { replicas, previousReplicas: current } };
    }
    case 'delete':
      return { after: null, params: {} };
    case 'update': {
      const update = params as UpdateParams;
      if (update.replicas !== undefined) after.spec.replicas = update.replicas;
      const containers: any[] = after.spec?.template?.spec?.containers ?? [];
      for (const [name, change] of Object.entries(update.containers ?? {})) {
        const container = containers.find(c => c.name === name);
        if (!container)
          throw new InputError(
            `${live.kind} ${live.metadata?.name} has no container ${name}`,
          );
        if (change.image !== undefined) container.image = change.image;
        if (change.resources !== undefined)
          container.resources = change.resources;
        for (const [env, value] of Object.entries(change.env ?? {})) {
          if (SECRET_LIKE_ENV.test(env)) {
            throw new InputError(
              `${env} looks like a secret; change it through a Secret, not a plan`,
            );
          }
          const entry = (container.env ?? []).find((e: any) => e.name === env);
          if (!entry)
            throw new InputError(
              `container ${name} has no env variable ${env}`,
            );
          entry.value = value;
        }
      }
      const problems = disallowedUpdateChanges(live, after);
      if (problems.length > 0)
        throw new InputError(
          `the update is not allowed: ${problems.join('; ')}`,
        );
      if (JSON.stringify(live.spec) === JSON.stringify(after.spec)) {
        throw new InputError('the update changes nothing');
      }
      return { after, params };
    }
    default:
      throw new InputError(`KubeCopilot cannot ${action} objects`);
  }
}

/**
 * The single write that moves the object from `from` to `to` — for
 * execution (before → after) and for revert (after → before). Patches carry
 * only the fields the action owns, plus the resourceVersion precondition.
 */
export function writeFor(
  action: PlanAction,
  resource: ResourceRef,
  from: KubeObject | null,
  to: KubeObject | null,
  live: KubeObject,
): Omit<KubernetesWriteRequest, 'dryRun'> {
  const path = objectPath(resource);
  const resourceVersion = live.metadata?.resourceVersion;
  switch (action) {
    case 'restart': {
      const value =
        to?.spec?.template?.metadata?.annotations?.[RESTARTED_AT] ?? null;
      return {
        cluster: resource.cluster,
        path,
        method: 'PATCH',
        patchType: 'strategic-merge',
        resourceVersion,
        body: {
          spec: {
            template: { metadata: { annotations: { [RESTARTED_AT]: value } } },
          },
        },
      };
    }
    case 'scale':
      return {
        cluster: resource.cluster,
        path: `${path}/scale`,
        method: 'PATCH',
        patchType: 'merge',
        resourceVersion,
        body: { spec: { replicas: to?.spec?.replicas } },
      };
    case 'delete':
      if (!to && from) {
        return {
          cluster: resource.cluster,
          path,
          method: 'DELETE',
          body: {
            kind: 'DeleteOptions',
            apiVersion: 'v1',
            preconditions: { uid: live.metadata?.uid, resourceVersion },
          },
        };
      }
      throw new ConflictError(
        'a deleted object cannot be restored by revert; its controller re-creates controlled pods',
      );
    case 'update': {
      const containers = (to?.spec?.template?.spec?.containers ?? [])
        .map((c: any) => {
          const old =
            (from?.spec?.template?.spec?.containers ?? []).find(
              (o: any) => o.name === c.name,
            ) ?? {};
          const patch: any = { name: c.name };
          if (JSON.stringify(old.image) !== JSON.stringify(c.image))
            patch.image = c.image;
          if (JSON.stringify(old.resources) !== JSON.stringify(c.resources))
            patch.resources = c.resources ?? null;
          const env = (c.env ?? []).filter((e: any) => {
            const o = (old.env ?? []).find((x: any) => x.name === e.name);
            return !e.valueFrom && o && o.value !== e.value;
          });
          if (env.length)
            patch.env = env.map((e: any) => ({ name: e.name, value: e.value }));
          return patch;
        })
        .filter((p: any) => Object.keys(p).length > 1);
      const body: any = { spec: {} };
      if (from?.spec?.replicas !== to?.spec?.replicas)
        body.spec.replicas = to?.spec?.replicas;
      if (containers.length) body.spec.template = { spec: { containers } };
      return {
        cluster: resource.cluster,
        path,
        method: 'PATCH',
        patchType: 'strategic-merge',
        resourceVersion,
        body,
      };
    }
    default:
      throw new InputError(`KubeCopilot cannot ${action} objects`);
  }
}
