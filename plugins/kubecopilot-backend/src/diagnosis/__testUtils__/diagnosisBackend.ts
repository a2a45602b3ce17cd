import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import type { DemoCluster } from '@kubecopilot/demo-cluster';
import fs from 'node:fs';
import { Server } from 'node:http';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DatabaseAuditStore } from '../../audit';
import { HttpKubernetesBackendClient } from '../../kubernetes/HttpKubernetesBackendClient';
import { createDiagnosisRouter } from '../../service/diagnosisRouter';
import { createDiagnosisService } from '../createDiagnosisService';
import { scenarioFile } from './checkoutFixture';

/** The Components of `examples/entities.yaml`, as the catalog holds them. */
export function exampleEntities(): Entity[] {
  const file = path.resolve(
    path.dirname(scenarioFile('demo')),
    '../entities.yaml',
  );
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS() as Entity)
    .filter(e => e?.kind === 'Component')
    .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }));
}

/**
 * The diagnosis routes as plugin.ts mounts them, built from this package's
 * pieces, under the `kubecopilot` plugin id.
 */
export const diagnosisTestPlugin = createBackendPlugin({
  pluginId: 'kubecopilot',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        cache: coreServices.cache,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const kubernetes = HttpKubernetesBackendClient.fromConfig(
          deps.config,
          deps,
        );
        const diagnoses = await createDiagnosisService({
          ...deps,
          kubernetes,
          audit: await DatabaseAuditStore.create({ database: deps.database }),
        });
        deps.httpRouter.use(
          await createDiagnosisRouter({ httpAuth: deps.httpAuth, diagnoses }),
        );
      },
    });
  },
});

/**
 * A test backend with the real Kubernetes backend (one cluster per demo
 * cluster) and the diagnosis routes, over the given catalog entities.
 */
export async function startDiagnosisBackend(options: {
  clusters: Record<string, Pick<DemoCluster, 'url' | 'token' | 'caData'>>;
  entities: Entity[];
  config?: Record<string, unknown>;
}): Promise<{ server: Server; port: number }> {
  const backend = await startTestBackend({
    features: [
      diagnosisTestPlugin,
      kubernetesPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: Object.entries(options.clusters).map(
                  ([name, demo]) => ({
                    name,
                    url: demo.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: demo.token,
                    caData: demo.caData,
                    skipMetricsLookup: true,
                  }),
                ),
              },
            ],
          },
        },
      }),
    ],
  });
  const server = backend.server;
  return { server, port: (server.address() as { port: number }).port };
}
