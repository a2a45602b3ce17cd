/**
 * The YAML copilot through the real HTTP API on the demo cluster: the
 * checkout Deployment's manifest, its checks, and edits that become update
 * plans — or 400s that name every field a plan may not change.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { parseDocument } from 'yaml';
import { CHECKOUT, shopStack } from '../__testUtils__/demoBackend';

jest.setTimeout(120_000);

const alice = mockCredentials.user.header('user:default/alice');
const CHECKOUT_DEPLOYMENT = { kind: 'Deployment', name: 'checkout' };
const C = ['spec', 'template', 'spec', 'containers', 0];

describe('the YAML copilot through the HTTP API', () => {
  const stack = shopStack();
  const { writes, createPlan } = stack;

  async function shownManifest(): Promise<string> {
    const res = await request(stack.server())
      .get('/api/kubecopilot/yaml/manifests')
      .query({ entityRef: CHECKOUT })
      .set('authorization', alice);
    expect(res.status).toBe(200);
    const item = res.body.items.find(
      (i: any) =>
        i.resource.kind === 'Deployment' && i.resource.name === 'checkout',
    );
    return item.manifest;
  }

  /** The manifest as the view shows it, edited as a person would. */
  async function edited(...edits: Array<[Array<string | number>, unknown]>) {
    const doc = parseDocument(await shownManifest());
    for (const [path, value] of edits) doc.setIn(path, value);
    return doc.toString();
  }

  const check = (body: object) =>
    request(stack.server())
      .post('/api/kubecopilot/yaml/check')
      .set('authorization', alice)
      .send({ entityRef: CHECKOUT, resource: CHECKOUT_DEPLOYMENT, ...body });

  it('shows the entity’s workloads as manifests without status, managed fields or server metadata', async () => {
    const res = await request(stack.server())
      .get('/api/kubecopilot/yaml/manifests')
      .query({ entityRef: CHECKOUT })
      .set('authorization', alice);
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((i: any) => `${i.resource.kind} ${i.resource.name}`),
    ).toEqual(['Deployment checkout']);
    const text: string = res.body.items[0].manifest;
    expect(text).toMatch(
      /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: checkout\n/,
    );
    expect(text).toContain('image: ghcr.io/kubecopilot-demo/checkout:2.3.1');
    expect(text).not.toMatch(
      /status:|managedFields|resourceVersion|uid:|creationTimestamp|deployment\.kubernetes\.io\/revision/,
    );
  });

  it('checks the live checkout Deployment and explains it', async () => {
    const res = await check({});
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.checks.map((c: any) => [c.id, c]));
    expect(byId['resources-cpu-limit-missing']).toMatchObject({
      severity: 'info',
      path: 'spec.template.spec.containers[0].resources.limits.cpu',
      suggestion: {
        path: 'spec.template.spec.containers[0].resources.limits.cpu',
        value: '200m',
      },
      source: expect.stringContaining('kube-score'),
    });
    expect(byId['probe-liveness-missing']).toMatchObject({
      path: 'spec.template.spec.containers[0].livenessProbe',
    });
    expect(byId['resources-memory-limit-missing']).toBeUndefined();
    expect(byId['probe-readiness-missing']).toBeUndefined();
    expect(res.body.explanation.map((e: any) => e.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Above 256Mi of memory the kernel kills it/),
        expect.stringMatching(/readiness probe \(an HTTP GET of \/healthz/),
      ]),
    );
  });

  it('checks an edited manifest: the added CPU limit is no longer flagged', async () => {
    const manifest = await edited([
      [...C, 'resources', 'limits', 'cpu'],
      '200m',
    ]);
    const res = await check({ manifest });
    expect(res.status).toBe(200);
    expect(res.body.checks.map((c: any) => c.id)).not.toContain(
      'resources-cpu-limit-missing',
    );
  });

  it('refuses to check a workload of another entity, or a manifest of another object', async () => {
    const other = await check({ resource: { name: 'storefront' } });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(
      /not a workload of component:default\/checkout/,
    );
    const renamed = await check({
      manifest: await edited([['metadata', 'name'], 'storefront']),
    });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.message).toMatch(
      /not the workload it was opened from/,
    );
  });

  it('turns the edit into an update plan with exactly that diff, and writes nothing', async () => {
    const manifest = await edited([
      [...C, 'resources', 'limits', 'cpu'],
      '200m',
    ]);
    const res = await createPlan(alice, {
      entityRef: CHECKOUT,
      resource: CHECKOUT_DEPLOYMENT,
      manifest,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      action: 'update',
      status: 'pending',
      resource: {
        cluster: 'demo',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
      },
      params: {
        containers: {
          checkout: {
            resources: {
              limits: { cpu: '200m', memory: '256Mi' },
              requests: { cpu: '100m', memory: '128Mi' },
            },
          },
        },
        previous: {
          containers: {
            checkout: {
              resources: {
                limits: { memory: '256Mi' },
                requests: { cpu: '100m', memory: '128Mi' },
              },
            },
          },
        },
      },
    });
    expect(res.body.aiRationale).toMatch(
      /It changes spec\.template\.spec\.containers\[0\]\.resources\.limits\.cpu\.$/,
    );
    const before = res.body.diff.before.spec.template.spec.containers[0];
    const after = res.body.diff.after.spec.template.spec.containers[0];
    expect(before.resources.limits).toEqual({ memory: '256Mi' });
    expect(after.resources.limits).toEqual({ cpu: '200m', memory: '256Mi' });
    expect({ ...after, resources: before.resources }).toEqual(before);
    expect(writes).toEqual([]);
  });

  it.each([
    ['a label', [['metadata', 'labels', 'team'], 'shop']],
    [
      'a command',
      [
        [...C, 'command'],
        ['sh', '-c', 'sleep 1000'],
      ],
    ],
    [
      'a volume',
      [
        ['spec', 'template', 'spec', 'volumes'],
        [{ name: 'tmp', emptyDir: {} }],
      ],
    ],
  ] as Array<[string, [Array<string | number>, unknown]]>)(
    'refuses %s change with a 400 naming the path, and writes nothing',
    async (_what, edit) => {
      const manifest = await edited(
        [[...C, 'image'], 'ghcr.io/kubecopilot-demo/checkout:2.3.2'],
        edit,
      );
      const res = await createPlan(alice, {
        entityRef: CHECKOUT,
        resource: CHECKOUT_DEPLOYMENT,
        manifest,
      });
      expect(res.status).toBe(400);
      const path = edit[0]
        .map((p, i) =>
          typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`,
        )
        .join('');
      expect(res.body.error.message).toContain(
        `a plan cannot change: ${path}.`,
      );
      expect(writes).toEqual([]);
    },
  );

  it('refuses a credential-looking env literal, pointing to secretKeyRef', async () => {
    const manifest = await edited([
      [...C, 'env', 1, 'value'],
      'postgres://checkout:hunter2@db.shop:5432/cart',
    ]);
    const res = await createPlan(alice, {
      entityRef: CHECKOUT,
      resource: CHECKOUT_DEPLOYMENT,
      manifest,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /looks like a credential.*secretKeyRef/,
    );
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('refuses YAML that does not parse, with where', async () => {
    const res = await createPlan(alice, {
      entityRef: CHECKOUT,
      resource: CHECKOUT_DEPLOYMENT,
      manifest: 'kind: Deployment\nmetadata: [name: checkout',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not valid YAML/);
  });
});
