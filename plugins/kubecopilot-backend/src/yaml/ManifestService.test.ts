import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { KubernetesBackendClient } from '../kubernetes/types';
import {
  AuthorizedManifestService,
  ManifestService,
  workloadsIn,
} from './ManifestService';

const credentials = mockCredentials.user('user:default/alice');

const deployment = {
  metadata: { name: 'checkout', namespace: 'shop', uid: 'u1' },
  spec: {
    template: {
      spec: { containers: [{ name: 'checkout', image: 'checkout:2.3.1' }] },
    },
  },
  status: { readyReplicas: 1 },
};
// As the Kubernetes plugin answers `POST /resources/workloads/query`.
const objects = {
  items: [
    {
      cluster: { name: 'demo' },
      errors: [],
      podMetrics: [],
      resources: [
        { type: 'deployments', resources: [deployment] },
        {
          type: 'secrets',
          resources: [
            {
              metadata: { name: 'db', namespace: 'shop' },
              data: { password: 'aHVudGVyMg==' },
            },
          ],
        },
        {
          type: 'cronjobs',
          resources: [
            { metadata: { name: 'report', namespace: 'shop' }, spec: {} },
          ],
        },
        {
          type: 'jobs',
          resources: [
            {
              metadata: {
                name: 'report-29000',
                namespace: 'shop',
                ownerReferences: [{ kind: 'CronJob', name: 'report' }],
              },
            },
            { metadata: { name: 'migrate', namespace: 'shop' } },
          ],
        },
      ],
    },
  ],
};

function service(options: { entity?: boolean } = {}) {
  const kubernetes = {
    getObjectsByEntity: jest.fn(async () => objects),
    read: jest.fn(async () => ({ items: [] })),
  } as unknown as KubernetesBackendClient;
  const catalog = {
    getEntityByRef: jest.fn(async () =>
      options.entity === false
        ? undefined
        : { kind: 'Component', metadata: { name: 'checkout' } },
    ),
  } as any;
  return {
    kubernetes,
    inner: new ManifestService({
      kubernetes,
      catalog,
      productionNamespaces: [],
    }),
  };
}

describe('ManifestService', () => {
  it('lists the workload kinds only — never a Secret, and a CronJob’s runs as the CronJob', () => {
    expect(
      workloadsIn(objects as any).map(
        w => `${w.resource.kind} ${w.resource.name}`,
      ),
    ).toEqual(['Deployment checkout', 'CronJob report', 'Job migrate']);
  });

  it('shows manifests without status or server metadata', async () => {
    const { inner } = service();
    const { items } = await inner.listManifests('component:default/checkout', {
      credentials,
    });
    expect(items[0].manifest).toMatch(
      /^apiVersion: apps\/v1\nkind: Deployment\n/,
    );
    expect(items.map(i => i.manifest).join('\n')).not.toMatch(
      /status:|uid:|aHVudGVyMg/,
    );
  });

  it('answers 404 for an entity the user cannot see', async () => {
    const { inner } = service({ entity: false });
    await expect(
      inner.listManifests('component:default/checkout', { credentials }),
    ).rejects.toThrow(NotFoundError);
  });

  it('requires kubecopilot.diagnose before reading anything', async () => {
    const { inner, kubernetes } = service();
    const denied = new AuthorizedManifestService(
      inner,
      mockServices.permissions({ result: AuthorizeResult.DENY }),
    );
    await expect(
      denied.listManifests('component:default/checkout', { credentials }),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      denied.check(
        {
          entityRef: 'component:default/checkout',
          resource: { name: 'checkout' },
        },
        { credentials },
      ),
    ).rejects.toThrow(NotAllowedError);
    expect(kubernetes.getObjectsByEntity).not.toHaveBeenCalled();
  });

  it('checks with the namespace’s PDBs and HPAs read as the user, and says when they could not be read', async () => {
    const { inner, kubernetes } = service();
    (kubernetes.read as jest.Mock).mockRejectedValueOnce(
      new Error('forbidden'),
    );
    const result = await inner.check(
      {
        entityRef: 'component:default/checkout',
        resource: { name: 'checkout' },
      },
      { credentials },
    );
    expect(
      (kubernetes.read as jest.Mock).mock.calls.map(c => c[0].path),
    ).toEqual([
      '/apis/policy/v1/namespaces/shop/poddisruptionbudgets',
      '/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers',
    ]);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /could not read PodDisruptionBudgets in shop.*forbidden/,
      ),
    ]);
    expect(result.checks.map(c => c.id)).toContain(
      'resources-memory-limit-missing',
    );
  });
});

describe('ManifestService explanations', () => {
  it('never quotes a credential from an exec probe', async () => {
    const { inner } = service();
    deployment.spec.template.spec.containers[0] = {
      name: 'checkout',
      image: 'checkout:2.3.1',
      livenessProbe: {
        exec: {
          command: [
            'sh',
            '-c',
            'curl -f http://admin:s3cr3t-pass@localhost/healthz',
          ],
        },
      },
    } as any;
    const result = await inner.check(
      {
        entityRef: 'component:default/checkout',
        resource: { name: 'checkout' },
      },
      { credentials },
    );
    const texts = result.explanation.map(e => e.text).join('\n');
    expect(texts).toMatch(
      /is restarted when its liveness probe \(running `sh -c curl/,
    );
    expect(texts).not.toContain('s3cr3t-pass');
  });
});
