/**
 * The eval harness: the demo cluster serving each of the corpus' scenario
 * files as a static snapshot, one after the other; this plugin and the real
 * Kubernetes backend in a Backstage test backend, one catalog Component per
 * scenario; and the real HTTP API — `POST /api/kubecopilot/diagnoses` — for
 * every scenario.
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
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
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

/**
 * One scenario at a time on a fixed port: each is loaded just before it is
 * diagnosed, so ages computed from its `timeAnchor` (a pod "6 s old", a
 * rollout "40 s in") are what the scenario says when the rules read them,
 * however long the run. The CA is kept in a directory, so the backends'
 * cluster configuration stays valid across restarts.
 */
class ScenarioCluster {
  private current?: DemoCluster;
  private constructor(
    private readonly dir: string,
    readonly access: Pick<DemoCluster, 'url' | 'token' | 'caData'>,
    private readonly port: number,
  ) {}

  static async create(): Promise<ScenarioCluster> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecopilot-eval-'));
    const probe = await startDemoCluster({ port: 0, certDir: dir });
    const access = { url: probe.url, token: probe.token, caData: probe.caData };
    await probe.stop();
    return new ScenarioCluster(dir, access, probe.port);
  }

  async serve(scenario: EvalScenario) {
    await this.current?.stop();
    this.current = undefined;
    this.current = await startDemoCluster({
      port: this.port,
      certDir: this.dir,
      scenarios: [scenario.file],
    });
  }

  async stop() {
    await this.current?.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
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
  const cluster = await ScenarioCluster.create();
  const entities = options.scenarios.map(scenarioEntity);
  const refOf = (s: EvalScenario) => `component:default/${s.id}`;
  const stops: Array<() => Promise<void>> = [];
  try {
    const rulesBackend = await startBackend(cluster.access, entities);
    stops.push(rulesBackend.stop);
    const modelBackend = options.model
      ? await startBackend(cluster.access, entities, options.model)
      : undefined;
    if (modelBackend) stops.push(modelBackend.stop);

    const rules: ScenarioResult[] = [];
    const modelResults: ModelScenarioResult[] = [];
    for (const s of options.scenarios) {
      await cluster.serve(s);
      const { diagnosis, ms } = await diagnose(rulesBackend.url, refOf(s));
      const result = scoreDiagnosis(s, diagnosis, ms);
      rules.push(result);
      options.onResult?.(result);
      if (modelBackend && options.model) {
        const runs = [];
        for (let i = 0; i < options.model.k; i++) {
          const answer = await diagnose(modelBackend.url, refOf(s));
          runs.push(
            scoreModelRun(s, answer.diagnosis, diagnosis.findings, answer.ms),
          );
        }
        modelResults.push(
          scoreModelScenario(s.id, runs, options.model.pricing),
        );
      }
    }
    const model: EvalRun['model'] = options.model
      ? {
          summary: summarizeModel(
            options.model.model,
            options.model.k,
            modelResults,
          ),
          scenarios: modelResults,
        }
      : undefined;
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
