/** The objects every cluster has: the four system namespaces and the kubernetes Service and Endpoints. */
import { KubeObject } from '../types';
import { rfc3339, stableUid } from '../util';

/** Built-in objects every cluster has, added unless the scenario declares them. */
export function builtins(now: number): KubeObject[] {
  const created = rfc3339(now - 24 * 3600 * 1000);
  const ns = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: stableUid(`Namespace//${name}`),
      creationTimestamp: created,
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  return [
    ns('default'),
    ns('kube-system'),
    ns('kube-public'),
    ns('kube-node-lease'),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        uid: stableUid('Service/default/kubernetes'),
        creationTimestamp: created,
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 },
        ],
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        uid: stableUid('Endpoints/default/kubernetes'),
        creationTimestamp: created,
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [
        {
          addresses: [{ ip: '10.0.0.10' }],
          ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
        },
      ],
    },
  ];
}
