/**
 * One KubeCopilot backend as production runs it, for the resilience tests:
 * this plugin and the real @backstage/plugin-kubernetes-backend in a test
 * backend, pointed at a demo cluster, on a database the caller chooses (so
 * that two backends, or a backend and its successor, can share one).
 *
 * Used in-process by the tests and, for the crash tests, from a child
 * process (`childBackend.ts`), so it must not touch `jest`.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { Knex } from 'knex';
import { Server } from 'node:http';
import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { kubecopilotPlugin } from '../../plugin';
import { fakeLlmConfig } from './fakeLlm';

export {
  SCENARIOS,
  CHECKOUT,
  shopScenarios,
  component,
  backendConfig,
} from '../../__testUtils__/demoBackend';
export type { ClusterAccess } from '../../__testUtils__/demoBackend';
import type { ClusterAccess } from '../../__testUtils__/demoBackend';
import { backendConfig, component } from '../../__testUtils__/demoBackend';

export interface ResilienceBackendOptions {
  cluster: ClusterAccess;
  /** The database all of this backend's plugins use. */
  knex?: Knex;
  /** Merged over the defaults (deeply only for `kubecopilot`). */
  config?: Record<string, any>;
  /** Extra features or service factories (e.g. the real scheduler). */
  extra?: any[];
}

/** Starts the backend; `stop()` shuts it down (its database stays). */
export async function startResilienceBackend(
  options: ResilienceBackendOptions,
): Promise<{ server: Server; url: string; stop: () => Promise<void> }> {
  const backend = await startTestBackend({
    features: [
      kubecopilotPlugin,
      kubernetesPlugin,
      catalogServiceMock.factory({
        entities: [component('checkout'), component('storefront')],
      }),
      mockServices.rootConfig.factory({
        data: backendConfig(options.cluster, options.config),
      }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      ...(options.extra ?? []),
    ],
  });
  const { port } = backend.server.address() as { port: number };
  return {
    server: backend.server,
    url: `http://127.0.0.1:${port}`,
    stop: () => backend.stop(),
  };
}

/**
 * Two replicas sharing one Redis cache store (`backend.cache.store: redis`),
 * each with the model at `llmBaseUrl`; stop them before the Redis server.
 */
export async function startRedisReplicas(options: {
  cluster: ClusterAccess;
  redisUrl: string;
  llmBaseUrl: string;
  llmTimeoutMs: number;
}) {
  const replica = () =>
    startResilienceBackend({
      cluster: options.cluster,
      config: {
        backend: { cache: { store: 'redis', connection: options.redisUrl } },
        kubecopilot: {
          llm: fakeLlmConfig(options.llmBaseUrl, {
            timeoutMs: options.llmTimeoutMs,
          }),
        },
      },
      extra: [cacheServiceFactory],
    });
  return [await replica(), await replica()];
}
