import { BackstageCredentials } from '@backstage/backend-plugin-api';
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
import { CanaryAnalysisDefaults, generateCanary } from './canaryPlan';
import { CanaryQueries } from '../prometheus/queries';
import { MetricsClient } from '../prometheus/PrometheusClient';
import { CanaryRationaleWriter } from './CanaryRationaleWriter';
import {
  beginRollout,
  gateConditions,
  parseRolloutRequest,
  storedSteps,
} from './rolloutDraft';

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
    const request = parseRolloutRequest(
      createCanaryPlanRequestSchema,
      input,
      'canary',
    );
    const { drafter } = this.options;
    const { actor, entityRef, ownerRef, target, live, hpas, pdbs, warnings } =
      await beginRollout(this.options, request, 'canary', credentials);
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

    const conditions = gateConditions(request);
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
        ? `It rolls back on ${conditions.join(
            ' or ',
          )}, measured on the canary's pods by Prometheus.`
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
      steps: storedSteps(generated.steps),
      requiresSecondApprover: this.options.secondApproverFor.includes(
        risk.level,
      ),
    };
    return drafter.saveNewPlan(plan, ownerRef, actor);
  }
}
