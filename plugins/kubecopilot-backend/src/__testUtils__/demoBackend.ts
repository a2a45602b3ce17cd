/**
 * The shared set-up of tests and benchmarks that run this plugin with the
 * real Kubernetes backend against the demo cluster: the scenario files, the
 * shop's catalog components and the backend config pointing at a cluster.
 */
import { Entity } from '@backstage/catalog-model';
import type { DemoCluster } from '@kubecopilot/demo-cluster';
import { resolve } from 'node:path';

export const SCENARIOS = resolve(
  __dirname,
  '../../../../examples/scenarios',
);
export const CHECKOUT = 'component:default/checkout';

/** The demo cluster's files for the shop's checkout and storefront. */
export const shopScenarios = () => [
  `${SCENARIOS}/cluster.yaml`,
  `${SCENARIOS}/checkout.yaml`,
  `${SCENARIOS}/storefront.yaml`,
];

/**
 * A Component of the shop as the catalog serves it once processed: its
 * `spec.owner` also as the `ownedBy` relation, which ownership rules read.
 */
export const component = (
  name: string,
  owner = 'group:default/team-shop',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': 'shop',
    },
  },
  spec: {
    type: 'service',
    owner,
    lifecycle: 'production',
  },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

export type ClusterAccess = Pick<DemoCluster, 'url' | 'token' | 'caData'>;

export function backendConfig(
  cluster: ClusterAccess,
  config: Record<string, any> = {},
): Record<string, any> {
  const { kubecopilot, ...rest } = config;
  return {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'demo',
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
    ...rest,
    kubecopilot: {
      risk: { productionNamespaces: [] },
      ...kubecopilot,
    },
  };
}

