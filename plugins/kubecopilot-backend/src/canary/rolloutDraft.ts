import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import { forStorage } from '../changes/forStorage';
import { PlanDrafter } from '../plans/PlanDrafter';
import { pickTarget } from '../plans/resolveRequest';
import { MetricsClient } from '../prometheus/PrometheusClient';

/** What canary and blue-green requests have in common. */
type RolloutRequest = {
  entityRef: string;
  target: { name: string; namespace?: string; cluster?: string };
  maxErrorRate?: number;
  maxP99LatencyMs?: number;
};

/** The request checked against its schema; an InputError naming each problem. */
export function parseRolloutRequest<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InputError(
      `Invalid ${what} request: ${parsed.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * The preamble every progressive rollout shares with any other plan: the
 * caller and the entity, the one Deployment it names, Prometheus when gates
 * are asked for, and the live object with its HPAs and PDBs (read as the
 * user, through the drafter like every plan).
 */
export async function beginRollout(
  options: { drafter: PlanDrafter; metrics: MetricsClient },
  request: RolloutRequest,
  action: 'canary' | 'blue-green',
  credentials: BackstageCredentials,
) {
  const { drafter } = options;
  const { actor, entityRef, ownerRef, targets, unreadable } =
    await drafter.begin(request.entityRef, credentials);
  const target = pickTarget(
    targets,
    { ...request.target, kind: 'Deployment' },
    entityRef,
    unreadable.length
      ? ` (clusters ${unreadable.join(', ')} could not be read)`
      : '',
  );
  if (
    gateConditions(request).length > 0 &&
    !options.metrics.isConfigured(target.cluster)
  ) {
    throw new InputError(
      `The ${action} gates need Prometheus, and none is configured for cluster ${target.cluster}; set kubecopilot.prometheus.baseUrl or kubecopilot.prometheus.clusters`,
    );
  }
  const read = await drafter.readTarget(action, target, credentials);
  return { actor, entityRef, ownerRef, target, ...read };
}

/** The gates asked for, in words ("error rate above 1%"). */
export function gateConditions(request: {
  maxErrorRate?: number;
  maxP99LatencyMs?: number;
}): string[] {
  return [
    request.maxErrorRate !== undefined
      ? `error rate above ${+(request.maxErrorRate * 100).toFixed(3)}%`
      : undefined,
    request.maxP99LatencyMs !== undefined
      ? `p99 latency above ${request.maxP99LatencyMs} ms`
      : undefined,
  ].filter((c): c is string => c !== undefined);
}

/** Generated steps as a plan stores them: their diffs redacted. */
export function storedSteps(
  steps: NonNullable<OperationPlan['steps']>,
): NonNullable<OperationPlan['steps']> {
  return steps.map(step => ({
    ...step,
    ...(step.diff
      ? {
          diff: {
            before: step.diff.before ? forStorage(step.diff.before) : null,
            after: step.diff.after ? forStorage(step.diff.after) : null,
          },
        }
      : {}),
  }));
}
