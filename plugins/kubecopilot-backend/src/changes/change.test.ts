import { desiredObject, writeFor, RESTARTED_AT } from './operations';
import { snapshotDrift, specDrift } from './drift';

const now = new Date('2026-11-26T02:00:00.000Z');
const resource = {
  cluster: 'demo',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'checkout',
};
const live = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'checkout',
    namespace: 'shop',
    uid: 'u1',
    resourceVersion: '41',
    generation: 3,
  },
  spec: {
    replicas: 2,
    template: {
      metadata: { labels: { app: 'checkout' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'shop/checkout:1.0',
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'DB_PASSWORD', value: 'x' },
            ],
          },
        ],
      },
    },
  },
  status: { replicas: 2, readyReplicas: 0 },
});

describe('desiredObject and writeFor', () => {
  it('restart sets the restartedAt template annotation, revert restores the old one', () => {
    const { after, params } = desiredObject('restart', live(), {}, now);
    expect(after!.spec.template.metadata.annotations).toEqual({
      [RESTARTED_AT]: now.toISOString(),
    });
    expect(params).toEqual({ restartedAt: now.toISOString() });
    expect(writeFor('restart', resource, live(), after, live())).toEqual({
      cluster: 'demo',
      path: '/apis/apps/v1/namespaces/shop/deployments/checkout',
      method: 'PATCH',
      patchType: 'strategic-merge',
      resourceVersion: '41',
      body: {
        spec: {
          template: {
            metadata: { annotations: { [RESTARTED_AT]: now.toISOString() } },
          },
        },
      },
    });
    // Reverting to a template without the annotation removes it (null).
    expect(writeFor('restart', resource, after, live(), after!).body).toEqual({
      spec: {
        template: { metadata: { annotations: { [RESTARTED_AT]: null } } },
      },
    });
  });

  it('refuses to restart a paused deployment', () => {
    const paused = live() as any;
    paused.spec.paused = true;
    expect(() => desiredObject('restart', paused, {}, now)).toThrow(/paused/);
  });

  it('scale goes through the scale subresource, absolute or relative', () => {
    const { after, params } = desiredObject('scale', live(), { delta: 3 }, now);
    expect(after!.spec.replicas).toBe(5);
    expect(params).toEqual({ replicas: 5, previousReplicas: 2 });
    expect(writeFor('scale', resource, live(), after, live())).toMatchObject({
      path: '/apis/apps/v1/namespaces/shop/deployments/checkout/scale',
      method: 'PATCH',
      patchType: 'merge',
      resourceVersion: '41',
      body: { spec: { replicas: 5 } },
    });
    expect(() => desiredObject('scale', live(), { replicas: 2 }, now)).toThrow(
      /already has 2/,
    );
    expect(() => desiredObject('scale', live(), { replicas: -1 }, now)).toThrow(
      /allowed range/,
    );
    expect(() =>
      desiredObject('scale', live(), { replicas: 5000 }, now),
    ).toThrow(/allowed range/);
  });

  it('delete carries uid and resourceVersion preconditions and cannot be reverted', () => {
    const pod = {
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: 'shop',
        uid: 'pu',
        resourceVersion: '7',
      },
    };
    const podRef = {
      cluster: 'demo',
      kind: 'Pod',
      namespace: 'shop',
      name: 'p',
    };
    expect(desiredObject('delete', pod, {}, now).after).toBeNull();
    expect(writeFor('delete', podRef, pod, null, pod)).toEqual({
      cluster: 'demo',
      path: '/api/v1/namespaces/shop/pods/p',
      method: 'DELETE',
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        preconditions: { uid: 'pu', resourceVersion: '7' },
      },
    });
    expect(() => writeFor('delete', podRef, null, pod, pod)).toThrow(
      /cannot be restored/,
    );
  });

  it('update patches only whitelisted fields and refuses secret-looking env names', () => {
    const { after } = desiredObject(
      'update',
      live(),
      {
        containers: {
          app: { image: 'shop/checkout:1.1', env: { LOG_LEVEL: 'debug' } },
        },
      },
      now,
    );
    expect(writeFor('update', resource, live(), after, live()).body).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                image: 'shop/checkout:1.1',
                env: [{ name: 'LOG_LEVEL', value: 'debug' }],
              },
            ],
          },
        },
      },
    });
    expect(() =>
      desiredObject(
        'update',
        live(),
        { containers: { app: { env: { DB_PASSWORD: 'y' } } } },
        now,
      ),
    ).toThrow(/looks like a secret/);
    expect(() =>
      desiredObject(
        'update',
        live(),
        { containers: { web: { image: 'x' } } },
        now,
      ),
    ).toThrow(/no container web/);
  });
});

describe('drift', () => {
  it('ignores status and resourceVersion changes', () => {
    const moved = live() as any;
    moved.status.readyReplicas = 2;
    moved.metadata.resourceVersion = '99';
    expect(snapshotDrift(live(), moved)).toEqual([]);
  });

  it('names a changed spec field, a new generation and a re-created object', () => {
    const changed = live() as any;
    changed.spec.template.spec.containers[0].image = 'shop/checkout:2.0';
    changed.metadata.generation = 4;
    expect(snapshotDrift(live(), changed)).toEqual(['spec.template']);
    const regenerated = live() as any;
    regenerated.metadata.generation = 5;
    expect(snapshotDrift(live(), regenerated)).toEqual([
      'metadata.generation (3 → 5)',
    ]);
    const recreated = live() as any;
    recreated.metadata.uid = 'u2';
    expect(specDrift(live(), recreated)).toEqual([
      'metadata.uid (the object was deleted and re-created)',
    ]);
    expect(specDrift(live(), null)).toEqual(['the object no longer exists']);
  });
});
