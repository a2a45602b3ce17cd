import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import type { KubernetesBackendClient } from '../kubernetes/types';
import {
  MAX_READS_PER_CLUSTER,
  readRelations,
  workloadKey,
} from './readRelations';

const deployment = (name: string, spec: object) => ({
  metadata: { name, namespace: 'shop' },
  spec: { template: { spec } },
});

function objects(
  resources: Array<{ type: string; resources: object[] }>,
): ObjectsByEntityResponse {
  return {
    items: [
      { cluster: { name: 'demo' }, resources, podMetrics: [], errors: [] },
    ],
  } as unknown as ObjectsByEntityResponse;
}

function fakeKubernetes(objectsByPath: Record<string, object | Error>) {
  const read = jest.fn(async ({ path }: { path: string }) => {
    const found = objectsByPath[path];
    if (!found) throw new NotFoundError(path);
    if (found instanceof Error) throw found;
    return found;
  });
  const readMetadata = jest.fn(async ({ path }: { path: string }) => {
    const found = objectsByPath[path];
    if (!found) throw new NotFoundError(path);
    if (found instanceof Error) throw found;
    return { kind: 'PartialObjectMetadata', metadata: (found as any).metadata };
  });
  return {
    client: { read, readMetadata } as unknown as KubernetesBackendClient,
    read,
    readMetadata,
  };
}

const credentials = mockCredentials.user();

describe('readRelations', () => {
  it('reads a used Secret for its key names, a TLS Secret and an IngressClass by metadata only', async () => {
    const k8s = fakeKubernetes({
      '/api/v1/namespaces/shop/secrets/db': {
        metadata: { name: 'db' },
        data: { password: 'czNjcjN0' },
      },
      '/api/v1/namespaces/shop/secrets/tls': {
        metadata: { name: 'tls' },
        data: { 'tls.key': 'LS0tLS1CRUdJTi' },
      },
      '/apis/networking.k8s.io/v1/ingressclasses/nginx': {
        metadata: { name: 'nginx' },
      },
    });
    const relations = await readRelations({
      credentials,
      kubernetes: k8s.client,
      objects: objects([
        {
          type: 'deployments',
          resources: [
            deployment('web', {
              containers: [
                {
                  name: 'web',
                  image: 'w:1',
                  env: [
                    {
                      name: 'P',
                      valueFrom: {
                        secretKeyRef: { name: 'db', key: 'password' },
                      },
                    },
                  ],
                },
              ],
            }),
          ],
        },
        {
          type: 'services',
          resources: [
            {
              metadata: { name: 'web', namespace: 'shop' },
              spec: { ports: [{ name: 'http', port: 80 }] },
            },
          ],
        },
        {
          type: 'ingresses',
          resources: [
            {
              metadata: { name: 'web', namespace: 'shop' },
              spec: {
                ingressClassName: 'nginx',
                tls: [{ secretName: 'tls', hosts: ['a.example.com'] }],
                rules: [
                  {
                    http: {
                      paths: [
                        {
                          path: '/',
                          backend: {
                            service: { name: 'web', port: { name: 'http' } },
                          },
                        },
                      ],
                    },
                  },
                ],
              },
            },
          ],
        },
      ]),
    });
    expect(
      relations.config.get(workloadKey('demo', 'Deployment', 'shop', 'web')),
    ).toEqual([
      {
        kind: 'Secret',
        name: 'db',
        via: ['env'],
        containers: ['web'],
        optional: false,
        exists: true,
        keys: [{ name: 'password', exists: true }],
        objectKeys: ['password'],
      },
    ]);
    expect(relations.ingresses[0]).toMatchObject({
      classExists: true,
      tls: [{ secretName: 'tls', exists: true }],
      routes: [
        { service: 'web', port: 'http', serviceExists: true, portExists: true },
      ],
    });
    expect(k8s.read.mock.calls.map(([r]) => r.path)).toEqual([
      '/api/v1/namespaces/shop/secrets/db',
    ]);
    expect(k8s.readMetadata.mock.calls.map(([r]) => r.path).sort()).toEqual([
      '/api/v1/namespaces/shop/secrets/tls',
      '/apis/networking.k8s.io/v1/ingressclasses/nginx',
    ]);
    expect(JSON.stringify(relations.ingresses)).not.toContain('LS0tLS1CRUdJTi');
    expect(JSON.stringify([...relations.config.values()])).not.toContain(
      'czNjcjN0',
    );
  });

  it('says unknown, with why, when a read is refused, and stops reading past the bound', async () => {
    const refs = Array.from({ length: MAX_READS_PER_CLUSTER + 2 }, (_, i) => ({
      configMapRef: { name: `cm-${i}` },
    }));
    const k8s = fakeKubernetes({
      '/api/v1/namespaces/shop/secrets/hidden': new NotAllowedError(
        'forbidden',
      ),
    });
    const relations = await readRelations({
      credentials,
      kubernetes: k8s.client,
      objects: objects([
        {
          type: 'deployments',
          resources: [
            deployment('web', {
              containers: [
                {
                  name: 'web',
                  image: 'w:1',
                  envFrom: [{ secretRef: { name: 'hidden' } }, ...refs],
                },
              ],
            }),
          ],
        },
      ]),
    });
    const config = relations.config.get(
      workloadKey('demo', 'Deployment', 'shop', 'web'),
    )!;
    expect(config.find(r => r.name === 'hidden')).toMatchObject({
      exists: null,
      message: 'no permission to read it',
    });
    expect(config.filter(r => r.exists === false)).toHaveLength(
      MAX_READS_PER_CLUSTER - 1,
    );
    expect(
      config.filter(
        r => r.exists === null && /more than 40/.test(r.message ?? ''),
      ),
    ).toHaveLength(3); // 43 references: the Secret, then 39 of the 42 ConfigMaps
    expect(k8s.read).toHaveBeenCalledTimes(MAX_READS_PER_CLUSTER);
  });
});
