import {
  buildChange,
  draftChange,
  forwardTarget,
  inverseTarget,
  isTargetApplied,
  RESTARTED_AT,
  writeFor,
} from './change';
import { driftSince, snapshotOf } from './snapshot';
import { forStorage } from './forStorage';
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

const opts = { now };
const draft = (action: any, object: any, params: any) =>
  draftChange(action, object, params, opts);
const write = (change: { action: any; params: any }, object: any): any =>
  writeFor(resource, forwardTarget(change.action, change.params), object);

describe('draftChange and writeFor', () => {
  it('restart sets the restartedAt template annotation; its revert restores the old one', () => {
    const change = draft('restart', live(), {});
    expect(change.after!.spec.template.metadata.annotations).toEqual({
      [RESTARTED_AT]: now.toISOString(),
    });
    expect(change.params).toEqual({
      restartedAt: now.toISOString(),
      previousRestartedAt: null,
    });
    expect(write(change, live())).toEqual({
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
    // The revert removes an annotation that was not there (null), and leaves
    // no empty annotations map in the desired object.
    const revert = buildChange(
      change.after!,
      inverseTarget('restart', change.params),
    );
    expect(writeFor(resource, inverseTarget('restart', change.params), change.after!).body).toEqual({
      spec: {
        template: { metadata: { annotations: { [RESTARTED_AT]: null } } },
      },
    });
    expect(revert.after!.spec.template.metadata.annotations).toEqual({});
  });

  it('refuses to restart a paused deployment, and parameters a restart does not take', () => {
    const paused = live() as any;
    paused.spec.paused = true;
    expect(() => draft('restart', paused, {})).toThrow(/paused/);
    expect(() => draft('restart', live(), { replicas: 0 })).toThrow(
      /invalid parameters for restart/,
    );
  });

  it('scale goes through the scale subresource, absolute or relative', () => {
    const change = draft('scale', live(), { delta: 3 });
    expect(change.after!.spec.replicas).toBe(5);
    expect(change.params).toEqual({ replicas: 5, previousReplicas: 2 });
    expect(write(change, live())).toMatchObject({
      path: '/apis/apps/v1/namespaces/shop/deployments/checkout/scale',
      method: 'PATCH',
      patchType: 'merge',
      resourceVersion: '41',
      body: { spec: { replicas: 5 } },
    });
    expect(inverseTarget('scale', change.params)).toEqual({
      action: 'scale',
      replicas: 2,
    });
    expect(() => draft('scale', live(), { replicas: 2 })).toThrow(
      /already has 2/,
    );
    expect(() => draft('scale', live(), { replicas: -1 })).toThrow(
      /replicas cannot be negative/,
    );
    expect(() => draft('scale', live(), { replicas: 5000 })).toThrow(
      /replicas cannot exceed 1000/,
    );
    expect(() => draft('scale', live(), { delta: -3 })).toThrow(
      /allowed range is 0 to 1000/,
    );
    expect(() => draft('scale', live(), { replicas: 2.5 })).toThrow(
      /whole number/,
    );
  });

  it('validates replicas in an update exactly as in a scale', () => {
    expect(() => draft('update', live(), { replicas: -3 })).toThrow(
      /replicas cannot be negative/,
    );
    expect(() =>
      draftChange('update', live(), { replicas: 11 }, { now, maxReplicas: 10 }),
    ).toThrow(/replicas cannot exceed 10/);
    expect(() => draft('update', live(), { replicas: '3' })).toThrow(
      /replicas must be a number/,
    );
    const change = draft('update', live(), { replicas: 0 });
    expect(change.after!.spec.replicas).toBe(0);
    expect(change.params).toEqual({ replicas: 0, previous: { replicas: 2 } });
    expect(write(change, live()).body).toEqual({ spec: { replicas: 0 } });
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
    expect(draft('delete', pod, {}).after).toBeNull();
    expect(writeFor(podRef, { action: 'delete' }, pod)).toEqual({
      cluster: 'demo',
      path: '/api/v1/namespaces/shop/pods/p',
      method: 'DELETE',
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        preconditions: { uid: 'pu', resourceVersion: '7' },
      },
    });
    expect(() => inverseTarget('delete', {})).toThrow(/cannot be reverted/);
  });

  it('update patches only the fields it owns, from the typed values', () => {
    const change = draft('update', live(), {
      containers: {
        app: { image: 'shop/checkout:1.1', env: { LOG_LEVEL: 'debug' } },
      },
    });
    expect(write(change, live()).body).toEqual({
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
    expect(change.params.previous).toEqual({
      containers: { app: { image: 'shop/checkout:1.0', env: { LOG_LEVEL: 'info' } } },
    });
    expect(() =>
      draft('update', live(), { containers: { app: { env: { DB_PASSWORD: 'y' } } } }),
    ).toThrow(/looks like a credential.*secretKeyRef/);
    expect(() =>
      draft('update', live(), { containers: { web: { image: 'x' } } }),
    ).toThrow(/no container web/);
    expect(() =>
      draft('update', live(), { containers: { app: { command: ['sh'] } } }),
    ).toThrow(/invalid parameters for update/);
  });

  it('writes an image whose name the redactor masks exactly as asked', () => {
    const image = 'registry.local/vault-token:1.3';
    const change = draft('update', live(), {
      containers: { app: { image } },
    });
    // The stored diff is redacted, the write is not.
    expect(JSON.stringify(forStorage(change.after!))).not.toContain(image);
    expect(write(change, live()).body.spec.template.spec.containers[0].image).toBe(
      image,
    );
    const after = structuredClone(live()) as any;
    after.spec.template.spec.containers[0].image = image;
    expect(isTargetApplied(forwardTarget('update', change.params), after)).toBe(true);
    // And its revert writes the old image back exactly.
    expect(
      (writeFor(resource, inverseTarget('update', change.params), after) as any)
        .body.spec.template.spec.containers[0].image,
    ).toBe('shop/checkout:1.0');
  });

  it('refuses env values that look like credentials, new or current', () => {
    expect(() =>
      draft('update', live(), {
        containers: {
          app: { env: { LOG_LEVEL: 'https://admin:hunter2@db.internal:5432/shop' } },
        },
      }),
    ).toThrow(/new value of LOG_LEVEL .* looks like a credential/);
    const withUrl = live() as any;
    withUrl.spec.template.spec.containers[0].env[0].value =
      'postgres://app:s3cret@db:5432/shop';
    expect(() =>
      draft('update', withUrl, { containers: { app: { env: { LOG_LEVEL: 'debug' } } } }),
    ).toThrow(/current value of LOG_LEVEL .* looks like a credential/);
  });

  it('replaces resources exactly: keys that go are set to null in the patch', () => {
    const withResources = live() as any;
    withResources.spec.template.spec.containers[0].resources = {
      limits: { cpu: '1', memory: '256Mi' },
      requests: { cpu: '100m' },
    };
    const change = draft('update', withResources, {
      containers: { app: { resources: { limits: { memory: '512Mi' } } } },
    });
    expect(
      write(change, withResources).body.spec.template.spec.containers[0].resources,
    ).toEqual({ limits: { cpu: null, memory: '512Mi' }, requests: null });
  });
});

describe('drift against the unredacted snapshot', () => {
  it('sees a change that the redacted diff cannot show', () => {
    const withSecret = live() as any;
    withSecret.spec.template.spec.containers[0].args = ['--token=abc123abc123'];
    const plan = {
      snapshot: snapshotOf(withSecret),
      diff: { before: forStorage(withSecret) },
    };
    const changed = structuredClone(withSecret);
    changed.spec.template.spec.containers[0].args = ['--token=zzz999zzz999'];
    expect(specDrift(plan.diff.before as any, forStorage(changed))).toEqual([]);
    expect(driftSince(plan, changed, forStorage(changed))).toEqual([
      'spec (a value the plan shows redacted has changed)',
    ]);
    expect(driftSince(plan, withSecret, forStorage(withSecret))).toEqual([]);
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
