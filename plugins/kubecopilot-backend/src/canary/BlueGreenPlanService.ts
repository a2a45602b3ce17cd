import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CreateBlueGreenPlanRequest,
  createBlueGreenPlanRequestSchema,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { collectionPath } from '../changes/kinds';
import { forStorage } from '../changes/forStorage';
import { snapshotOf } from '../changes/snapshot';
import type { KubeObject, KubernetesBackendClient } from '../kubernetes/types';
import { PlanDrafter } from '../plans/PlanDrafter';
import { MetricsClient } from '../prometheus/PrometheusClient';
import { CanaryQueries } from '../prometheus/queries';
import { RuleBasedRiskEngine } from '../risk';
import { generateBlueGreen } from './blueGreenPlan';
import {
  beginRollout,
  gateConditions,
  parseRolloutRequest,
  storedSteps,
} from './rolloutDraft';
import { CanaryAnalysisDefaults } from './canaryPlan';

export interface BlueGreenPlanServiceOptions {
  drafter: PlanDrafter;
  risk: RuleBasedRiskEngine;
  kubernetes: KubernetesBackendClient;
  metrics: MetricsClient;
  queries: CanaryQueries;
  analysis?: Partial<CanaryAnalysisDefaults>;
  productionNamespaces: string[];
  secondApproverFor: string[];
  now?: () => Date;
}

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * Drafts blue-green plans: the steps from the deterministic generator, the
 * Service and blue's pod-template-hash read as the user, the snapshot and
 * the risk like every other plan. Execution is the shared step runner's.
 */
export class BlueGreenPlanService {
  private readonly now: () => Date;

  constructor(private readonly options: BlueGreenPlanServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async create(
    input: CreateBlueGreenPlanRequest,
    {
      credentials,
      intent,
    }: { credentials: BackstageCredentials; intent?: string },
  ): Promise<OperationPlan> {
    const request = parseRolloutRequest(
      createBlueGreenPlanRequestSchema,
      input,
      'blue-green',
    );
    const { drafter } = this.options;
    const { actor, entityRef, ownerRef, target, live, hpas, pdbs, warnings } =
      await beginRollout(this.options, request, 'blue-green', credentials);
    const ref = {
      cluster: target.cluster,
      namespace: target.namespace,
      name: target.name,
    };
    const [service, blueHash] = await Promise.all([
      this.findService(ref, live, request.service, credentials),
      this.blueHash(ref, live, credentials),
    ]);
    const now = this.now();
    const shell = drafter.newPlanShell({ entityRef, ownerRef, actor, now });
    const generated = generateBlueGreen({
      request,
      stable: live,
      service,
      blueHash,
      target: ref,
      planId: shell.id,
      queries: this.options.queries,
      defaults: this.options.analysis,
    });
    const risk = this.options.risk.assess({
      action: 'blue-green',
      resource: target,
      params: generated.params,
      before: live,
      after: generated.green,
      hpas,
      pdbs,
      productionNamespaces: this.options.productionNamespaces,
    });
    risk.reasons.push(...warnings);
    const conditions = gateConditions(request);
    const rationale = [
      request.rationale ??
        `Blue-green release of ${generated.params.image} to Deployment ${target.namespace}/${target.name} in cluster ${target.cluster}, planned by KubeCopilot's deterministic blue-green generator.`,
      generated.traffic,
      conditions.length
        ? `Green is checked for ${conditions.join(
            ' or ',
          )} on its own pods (Prometheus, by its deployment label) before the switch and during the bake.`
        : 'No SLI gate was asked for: nothing but a person checks green.',
      `Steps:\n${generated.summary}`,
    ].join('\n');
    const plan: OperationPlan = {
      ...shell,
      action: 'blue-green',
      resource: { ...ref, kind: 'Deployment' },
      params: generated.params,
      ...(intent ? { intent } : {}),
      diff: { before: forStorage(live), after: forStorage(generated.green) },
      snapshot: snapshotOf(live as Record<string, any>),
      risk,
      aiRationale: rationale,
      rationaleSource: 'rules',
      steps: storedSteps(generated.steps),
      requiresSecondApprover: this.options.secondApproverFor.includes(
        risk.level,
      ),
    };
    return drafter.saveNewPlan(plan, ownerRef, actor);
  }

  /** The named Service, or the one Service whose selector picks the Deployment's pods. */
  private async findService(
    ref: { cluster: string; namespace: string; name: string },
    live: KubeObject,
    name: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<KubeObject> {
    const list = await this.options.kubernetes.read<{ items?: KubeObject[] }>({
      cluster: ref.cluster,
      path: collectionPath('Service', ref.namespace),
      credentials,
    });
    const labels: Record<string, string> =
      live.spec?.template?.metadata?.labels ?? {};
    const services = (list.items ?? []).filter(s => {
      const selector: Record<string, string> = s.spec?.selector ?? {};
      return (
        Object.keys(selector).length > 0 &&
        Object.entries(selector).every(
          ([k, v]) => k === 'pod-template-hash' || labels[k] === v,
        )
      );
    });
    if (name) {
      const named = (list.items ?? []).find(s => s.metadata?.name === name);
      if (!named)
        throw new InputError(`Service ${ref.namespace}/${name} not found`);
      return named;
    }
    if (services.length !== 1) {
      throw new InputError(
        services.length === 0
          ? `No Service in ${ref.namespace} selects the pods of Deployment ${ref.name}; a blue-green switches a Service`
          : `Several Services select the pods of Deployment ${
              ref.name
            } (${services
              .map(s => s.metadata?.name)
              .join(', ')}); name the one to switch`,
      );
    }
    return services[0];
  }

  /**
   * Blue's pod-template-hash: the Deployment's newest ReplicaSet, which must
   * hold all its pods (a rollout in progress has two sets of pods, and a
   * Service pinned to one would drop the other).
   */
  private async blueHash(
    ref: { cluster: string; namespace: string; name: string },
    live: KubeObject,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const matchLabels: Record<string, string> =
      live.spec?.selector?.matchLabels ?? {};
    const labelSelector = Object.entries(matchLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const list = await this.options.kubernetes.read<{ items?: KubeObject[] }>({
      cluster: ref.cluster,
      path: collectionPath('ReplicaSet', ref.namespace),
      ...(labelSelector ? { query: { labelSelector } } : {}),
      credentials,
    });
    const owned = (list.items ?? [])
      .filter(rs =>
        rs.metadata?.ownerReferences?.some(o => o.uid === live.metadata?.uid),
      )
      .sort(
        (a, b) =>
          Number(b.metadata?.annotations?.[REVISION] ?? 0) -
          Number(a.metadata?.annotations?.[REVISION] ?? 0),
      );
    const newest = owned[0];
    const hash = newest?.metadata?.labels?.['pod-template-hash'];
    if (!newest || !hash) {
      throw new InputError(
        `Deployment ${ref.name} has no ReplicaSet to pin the Service to`,
      );
    }
    const others = owned
      .slice(1)
      .filter(rs => (rs.status?.replicas ?? rs.spec?.replicas ?? 0) > 0);
    if (others.length > 0) {
      throw new InputError(
        `Deployment ${ref.name} is in the middle of a rollout (ReplicaSets ${[
          newest,
          ...others,
        ]
          .map(rs => rs.metadata?.name)
          .join(', ')} have pods); let it finish or roll it back first`,
      );
    }
    return hash;
  }
}
