/**
 * The eval harness: one demo cluster serving the corpus' scenario files as
 * static snapshots, this plugin and the real Kubernetes backend in a
 * Backstage test backend, one catalog Component per scenario, and the real
 * HTTP API — `POST /api/kubecopilot/diagnoses` — for every scenario.
 *
 * With a model, a second backend is configured with it (answers not cached,
 * so each of the k runs asks the model) and every scenario is diagnosed k
 * times.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import {
  Diagnosis,
  diagnosisSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import { AddressInfo } from 'node:net';
import { kubecopilotPlugin } from '../plugin';
import { EvalScenario } from './corpus';
import {
  ModelPricing,
  ModelScenarioResult,
  ModelSummary,
  ScenarioResult,
  scoreDiagnosis,
  scoreModelRun,
  scoreModelScenario,
  summarizeModel,
} from './score';

export interface EvalModel {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Runs per scenario (KUBECOPILOT_EVAL_K, default 3). */
  k: number;
  pricing?: ModelPricing;
  timeoutMs?: number;
}

export interface EvalRun {
  rules: ScenarioResult[];
  model?: { summary: ModelSummary; scenarios: ModelScenarioResult[] };
  /** Wall time of the whole run, cluster and backends included. */
  seconds: number;
}

/** The catalog Component a scenario's objects belong to. */
export function scenarioEntity(s: EvalScenario): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: s.id,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-label-selector': s.entity.labelSelector,
        'backstage.io/kubernetes-namespace': s.entity.namespace,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/sre',
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/sre' }],
  };
}

/** A cache that keeps nothing: each of the k runs reaches the model. */
const noCache = createServiceFactory({
  service: coreServices.cache,
  deps: {},
  factory: () => {
    const cache = {
      get: async () => undefined,
      set: async () => {},
      delete: async () => {},
      withOptions: () => cache,
    };
    return cache;
  },
});

async function startBackend(
  cluster: Pick<DemoCluster, 'url' | 'token' | 'caData'>,
  entities: Entity[],
  llm?: EvalModel,
) {
  const backend = await startTestBackend({
    features: [
      kubecopilotPlugin,
      kubernetesPlugin,
      catalogServiceMock.factory({ entities }),
      ...(llm ? [noCache] : []),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'eval',
                    url: cluster.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: cluster.token,
                    caData: cluster.caData,
                    skipMetricsLookup: true,
                  },
                ],
              },
            ],
          },
          kubecopilot: {
            risk: { productionNamespaces: [] },
            limits: { rateLimit: { enabled: false } },
            ...(llm
              ? {
                  llm: {
                    provider: 'openai-compatible',
                    baseUrl: llm.baseUrl,
                    model: llm.model,
                    ...(llm.apiKey ? { apiKey: llm.apiKey } : {}),
                    timeoutMs: llm.timeoutMs ?? 60_000,
                    maxRetries: 1,
                  },
                }
              : {}),
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => backend.stop() };
}

async function diagnose(
  baseUrl: string,
  entityRef: string,
): Promise<{ diagnosis: Diagnosis; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/kubecopilot/diagnoses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entityRef }),
    signal: AbortSignal.timeout(180_000),
  });
  const ms = performance.now() - started;
  const body = await response.json();
  if (!response.ok) {
    throw new Error(
      `POST /diagnoses ${entityRef}: ${response.status} ${JSON.stringify(
        body,
      )}`,
    );
  }
  return { diagnosis: diagnosisSchema.parse(body), ms };
}

export async function runEval(options: {
  scenarios: EvalScenario[];
  model?: EvalModel;
  /** Called after each scenario (progress). */
  onResult?: (r: ScenarioResult) => void;
}): Promise<EvalRun> {
  const started = performance.now();
  // client-node loads lazily; load it before the first request's deadline.
  await import('@kubernetes/client-node');
  const cluster = await startDemoCluster({
    port: 0,
    scenarios: options.scenarios.map(s => s.file),
  });
  const entities = options.scenarios.map(scenarioEntity);
  const refOf = (s: EvalScenario) => `component:default/${s.id}`;
  const stops: Array<() => Promise<void>> = [];
  try {
    const rulesBackend = await startBackend(cluster, entities);
    stops.push(rulesBackend.stop);
    const rules: ScenarioResult[] = [];
    const ruleDiagnoses = new Map<string, Diagnosis>();
    for (const s of options.scenarios) {
      const { diagnosis, ms } = await diagnose(rulesBackend.url, refOf(s));
      ruleDiagnoses.set(s.id, diagnosis);
      const result = scoreDiagnosis(s, diagnosis, ms);
      rules.push(result);
      options.onResult?.(result);
    }

    let model: EvalRun['model'];
    if (options.model) {
      const modelBackend = await startBackend(cluster, entities, options.model);
      stops.push(modelBackend.stop);
      const scenarios: ModelScenarioResult[] = [];
      for (const s of options.scenarios) {
        const runs = [];
        for (let i = 0; i < options.model.k; i++) {
          const { diagnosis, ms } = await diagnose(modelBackend.url, refOf(s));
          runs.push(
            scoreModelRun(s, diagnosis, ruleDiagnoses.get(s.id)!.findings, ms),
          );
        }
        scenarios.push(scoreModelScenario(s.id, runs, options.model.pricing));
      }
      model = {
        summary: summarizeModel(
          options.model.model,
          options.model.k,
          scenarios,
        ),
        scenarios,
      };
    }
    return {
      rules,
      ...(model ? { model } : {}),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await cluster.stop();
  }
}
