import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import { workloadsResponseSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import twoClusters from './__fixtures__/two-clusters.json';
import failures from './__fixtures__/failures.json';
import { summarizeWorkloads } from './summarize';

const ENTITY = 'component:default/checkout';

describe('summarizeWorkloads', () => {
  it('lists workloads of every cluster, each labelled with its cluster', () => {
    const result = summarizeWorkloads(
      ENTITY,
      twoClusters as unknown as ObjectsByEntityResponse,
    );
    expect(workloadsResponseSchema.parse(result)).toEqual(result);
    expect(result).toEqual({
      entityRef: ENTITY,
      clusters: ['east', 'west'],
      workloads: [
        {
          cluster: 'east',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'checkout',
          ready: 2,
          desired: 2,
          podPhases: { Running: 2 },
          // The proxy's earlier clean exit counts as a restart, not a reason.
          restarts: 1,
          reasons: [],
          images: ['ghcr.io/acme/checkout:1.4.2', 'envoyproxy/envoy:v1.31.0'],
        },
        {
          cluster: 'east',
          kind: 'StatefulSet',
          namespace: 'shop',
          name: 'checkout-db',
          ready: 1,
          desired: 1,
          podPhases: { Running: 1 },
          restarts: 0,
          reasons: [],
          images: ['postgres:16'],
        },
        {
          // Its ReplicaSet is not listed: pods join by pod-template-hash.
          cluster: 'west',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'checkout',
          ready: 1,
          desired: 3,
          podPhases: { Running: 2, Pending: 1 },
          restarts: 7,
          reasons: ['CrashLoopBackOff', 'OOMKilled', 'Unschedulable'],
          images: ['ghcr.io/acme/checkout:1.5.0'],
        },
      ],
      // east's missing metrics API is not a failure to list workloads.
      errors: [],
    });
  });

  it('gives loose pods and replica sets their own rows and names failed clusters', () => {
    const result = summarizeWorkloads(
      ENTITY,
      failures as unknown as ObjectsByEntityResponse,
    );
    expect(workloadsResponseSchema.parse(result)).toEqual(result);
    expect(result).toEqual({
      entityRef: ENTITY,
      clusters: ['east', 'west', 'north'],
      workloads: [
        {
          cluster: 'east',
          kind: 'DaemonSet',
          namespace: 'ops',
          name: 'log-agent',
          ready: 2,
          desired: 3,
          podPhases: { Running: 2, Pending: 1 },
          restarts: 2,
          reasons: ['ContainerCreating'],
          images: ['fluent/fluent-bit:3.1'],
        },
        {
          cluster: 'east',
          kind: 'Job',
          namespace: 'shop',
          name: 'migrate-db',
          ready: 0,
          desired: 1,
          podPhases: { Failed: 2 },
          restarts: 0,
          reasons: ['Error'],
          images: ['ghcr.io/acme/migrate:2'],
        },
        {
          cluster: 'east',
          kind: 'Job',
          namespace: 'shop',
          name: 'nightly-report-29000000',
          ready: 1,
          desired: 1,
          podPhases: { Succeeded: 1 },
          restarts: 0,
          reasons: [],
          images: ['ghcr.io/acme/report:1'],
        },
        {
          cluster: 'east',
          kind: 'ReplicaSet',
          namespace: 'shop',
          name: 'legacy-web',
          ready: 1,
          desired: 1,
          podPhases: { Running: 1 },
          restarts: 0,
          reasons: [],
          images: ['nginx:1.27'],
        },
        {
          // Owned by a Rollout, which the Kubernetes backend does not list.
          cluster: 'east',
          kind: 'Pod',
          namespace: 'shop',
          name: 'canary-rollout-abc',
          ready: 0,
          desired: 1,
          podPhases: { Failed: 1 },
          restarts: 0,
          reasons: ['Evicted'],
          images: ['ghcr.io/acme/web:9'],
        },
        {
          cluster: 'east',
          kind: 'Pod',
          namespace: 'shop',
          name: 'debug-shell',
          ready: 1,
          desired: 2,
          podPhases: { Pending: 1 },
          restarts: 0,
          reasons: ['ImagePullBackOff'],
          images: ['busybox:1.36', 'ghcr.io/acme/tools:missing'],
        },
      ],
      errors: [
        {
          cluster: 'west',
          message:
            'Cluster unreachable: request to https://10.0.0.9:6443/api/v1/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dcheckout failed, reason: connect ECONNREFUSED 10.0.0.9:6443',
        },
        {
          cluster: 'north',
          message:
            'Reading /apis/apps/v1/deployments failed: UNAUTHORIZED_ERROR (HTTP 401)',
        },
        {
          cluster: 'north',
          message: 'Reading /api/v1/secrets failed: UNKNOWN_ERROR (HTTP 403)',
        },
      ],
    });
  });

  it('answers an entity without objects with an empty list', () => {
    expect(summarizeWorkloads(ENTITY, { items: [] })).toEqual({
      entityRef: ENTITY,
      clusters: [],
      workloads: [],
      errors: [],
    });
  });
});
