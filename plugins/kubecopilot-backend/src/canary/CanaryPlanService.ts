import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CreateCanaryPlanRequest,
  createCanaryPlanRequestSchema,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { RuleBasedRiskEngine } from '../risk';
import { KubeObject } from '../risk/types';
import { forStorage } from '../changes/forStorage';
import { snapshotOf } from '../changes/snapshot';
import { PlanDrafter } from '../plans/PlanDrafter';
import { pickTarget } from '../plans/resolveRequest';
import { CanaryAnalysisDefaults, generateCanary } from './canaryPlan';
import { CanaryQueries } from '../prometheus/queries';
import { MetricsClient } from '../prometheus/PrometheusClient';
import { CanaryRationaleWriter } from './CanaryRationaleWriter';

export interface CanaryPlanServiceOptions {
  drafter: PlanDrafter;
  risk: RuleBasedRiskEngine;
  metrics: MetricsClient;
  queries: CanaryQueries;
  analysis?: Partial<CanaryAnalysisDefaults>;
  productionNamespaces: string[];
  secondApproverFor: string[];
  /** Writes the rationale with the LLM when one is configured. */
  rationale?: CanaryRationaleWriter;
  now?: () => Date;
}

/**
 * Drafts canary plans: the structure comes from the deterministic generator
 * (`generateCanary`), the snapshot and the risk from the live cluster, like
 * every other plan. The result waits for approval in the inbox.
 */
export class CanaryPlanService {
  private readonly now: () => Date;

  constructor(private readonly options: CanaryPlanServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async create(
    input: CreateCanaryPlanRequest,
    {
      credentials,
      intent,
    }: { credentials: BackstageCredentials; intent?: string },
  ): Promise<OperationPlan> {
    const parsed = createCanaryPlanRequestSchema.safeParse(input);
    if (!parsed.success) {
      throw new InputError(
        `Invalid canary request: ${parsed.error.issues
          .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    const request = parsed.data;
    const { drafter } = this.options;
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
    const wantsGates =
      request.maxErrorRate !== undefined ||
      request.maxP99LatencyMs !== undefined;
    if (wantsGates && !this.options.metrics.isConfigured(target.cluster)) {
      throw new InputError(
        `The canary's gates need Prometheus, and none is configured for cluster ${target.cluster}; set kubecopilot.prometheus.baseUrl or kubecopilot.prometheus.clusters`,
      );
    }
    const { live, hpas, pdbs, warnings } = await drafter.readTarget(
      'canary',
      target,
      credentials,
    );
    const now = this.now();
    const shell = drafter.newPlanShell({ entityRef, ownerRef, actor, now });
    const generated = generateCanary({
      request,
      stable: live as Record<string, any>,
      target: {
        cluster: target.cluster,
        namespace: target.namespace,
        name: target.name,
      },
      planId: shell.id,
      queries: this.options.queries,
      defaults: this.options.analysis,
      now,
    });
    const risk = this.options.risk.assess({
      action: 'canary',
      resource: target,
      params: generated.params,
      before: live,
      after: generated.promoted as KubeObject,
      hpas,
      pdbs,
      productionNamespaces: this.options.productionNamespaces,
    });
    risk.reasons.push(...warnings);

    const conditions = [
      request.maxErrorRate !== undefined
        ? `error rate above ${+(request.maxErrorRate * 100).toFixed(3)}%`
        : undefined,
      request.maxP99LatencyMs !== undefined
        ? `p99 latency above ${request.maxP99LatencyMs} ms`
        : undefined,
    ].filter(Boolean);
    const written = await this.options.rationale?.write({
      cluster: target.cluster,
      namespace: target.namespace,
      stable: target.name,
      canary: String(generated.params.canaryName),
      previousImage: String(generated.params.previousImage),
      image: String(generated.params.image),
      steps: generated.steps
        .filter(s => s.phase === 'rollout')
        .map(s => s.title),
      intent,
    });
    const rulesRationale = [
      request.rationale ??
        `Canary release of ${generated.params.image} to Deployment ${target.namespace}/${target.name} in cluster ${target.cluster}, planned by KubeCopilot's deterministic canary generator.`,
      conditions.length
        ? `It rolls back on ${conditions.join(' or ')}, measured on the canary's pods by Prometheus.`
        : 'No SLI gate was asked for: nothing stops a bad image between steps.',
      ...(written && !written.ok
        ? [`(The model's rationale was not used: ${written.reason}.)`]
        : []),
    ].join('\n');
    const plan: OperationPlan = {
      ...shell,
      action: 'canary',
      resource: {
        cluster: target.cluster,
        kind: target.kind,
        namespace: target.namespace,
        name: target.name,
      },
      params: generated.params,
      ...(intent ? { intent } : {}),
      diff: {
        before: forStorage(live),
        after: forStorage(generated.promoted),
      },
      snapshot: snapshotOf(live as Record<string, any>),
      risk,
      // The generator made every step; the model may only explain them.
      aiRationale: `${
        written?.ok ? written.rationale : rulesRationale
      }\nSteps:\n${generated.summary}`,
      ...(written?.ok
        ? {
            rationaleSource: 'llm' as const,
            model: written.model,
            promptVersion: written.promptVersion,
          }
        : { rationaleSource: 'rules' as const }),
      steps: generated.steps.map(step => ({
        ...step,
        ...(step.diff
          ? {
              diff: {
                before: step.diff.before ? forStorage(step.diff.before) : null,
                after: step.diff.after ? forStorage(step.diff.after) : null,
              },
            }
          : {}),
      })),
      requiresSecondApprover: this.options.secondApproverFor.includes(
        risk.level,
      ),
    };
    return drafter.saveNewPlan(plan, ownerRef, actor);
  }
}
