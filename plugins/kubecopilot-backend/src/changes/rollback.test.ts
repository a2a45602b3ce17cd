import {
  buildChange,
  draftChange,
  forwardTarget,
  inverseTarget,
  isTargetApplied,
  KubeObject,
  writeFor,
} from './change';
import { revisionsOf } from './rollback';

const now = new Date('2026-12-06T10:00:00.000Z');
const UID = 'd-uid';

function template(image: string, env: Record<string, string> = {}) {
  return {
    metadata: { labels: { app: 'checkout' } },
    spec: {
      containers: [
        {
          name: 'checkout',
          image,
          env: [
            { name: 'NODE_ENV', value: 'production' },
            ...Object.entries(env).map(([name, value]) => ({ name, value })),
          ],
        },
      ],
    },
  };
}

function deployment(
  image = 'shop/checkout:2.3.1',
  extra: object = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      uid: UID,
      resourceVersion: '42',
      generation: 2,
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'checkout' } },
      template: template(image),
      ...extra,
    },
  };
}

function replicaSet(revision: number, image: string, owner = UID): KubeObject {
  const hash = `h${revision}`;
  const t = template(image);
  return {
    kind: 'ReplicaSet',
    metadata: {
      name: `checkout-${hash}`,
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [
        { kind: 'Deployment', name: 'checkout', uid: owner, controller: true },
      ],
    },
    spec: {
      template: {
        ...t,
        metadata: {
          labels: { ...t.metadata.labels, 'pod-template-hash': hash },
        },
      },
    },
  };
}

const history = [
  replicaSet(2, 'shop/checkout:2.3.1'),
  replicaSet(1, 'shop/checkout:2.2.0'),
  replicaSet(7, 'shop/other:1.0', 'someone-else'),
];
const revisions = revisionsOf(deployment(), history);
const rollback = (live: KubeObject, params: object = {}, revs = revisions) =>
  draftChange('rollback', live, params as Record<string, unknown>, {
    now,
    revisions: revs,
  });

describe('rollback', () => {
  it('reads the revisions a Deployment owns, oldest first, without the hash label', () => {
    expect(revisions.map(r => [r.revision, r.name])).toEqual([
      [1, 'checkout-h1'],
      [2, 'checkout-h2'],
    ]);
    expect(revisions[0].template).toEqual(template('shop/checkout:2.2.0'));
  });

  it("reads a StatefulSet's ControllerRevisions", () => {
    const sts = { ...deployment(), kind: 'StatefulSet' };
    const revs = revisionsOf(sts, [
      {
        kind: 'ControllerRevision',
        metadata: {
          name: 'db-abc',
          ownerReferences: [{ kind: 'StatefulSet', name: 'db', uid: UID }],
        },
        revision: 3,
        data: {
          spec: { template: { ...template('db:15'), $patch: 'replace' } },
        },
      },
    ]);
    expect(revs).toEqual([
      { revision: 3, name: 'db-abc', template: template('db:15') },
    ]);
  });

  it('restores the previous revision by default, storing both templates', () => {
    const live = deployment();
    const change = rollback(live);
    expect(change.after?.spec.template).toEqual(
      template('shop/checkout:2.2.0'),
    );
    expect(change.params).toEqual({
      toRevision: 1,
      template: template('shop/checkout:2.2.0'),
      previousTemplate: template('shop/checkout:2.3.1'),
    });
    // Nothing else of the object moves.
    expect({
      ...change.after,
      spec: { ...change.after!.spec, template: null },
    }).toEqual({
      ...live,
      spec: { ...live.spec, template: null },
    });
  });

  it('writes a JSON patch replacing the whole template, with the resourceVersion precondition', () => {
    const live = deployment();
    const { params } = rollback(live);
    const write = writeFor(
      {
        cluster: 'demo',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
      },
      forwardTarget('rollback', params),
      live,
    );
    expect(write).toEqual({
      cluster: 'demo',
      resourceVersion: '42',
      path: '/apis/apps/v1/namespaces/shop/deployments/checkout',
      method: 'PATCH',
      patchType: 'json',
      body: [
        {
          op: 'replace',
          path: '/spec/template',
          value: template('shop/checkout:2.2.0'),
        },
      ],
    });
  });

  it('reverts to the template it replaced, as a change of its own', () => {
    const { params, after } = rollback(deployment());
    expect(isTargetApplied(forwardTarget('rollback', params), after)).toBe(
      true,
    );
    const inverse = inverseTarget('rollback', params);
    const revert = buildChange(after!, inverse);
    expect(revert.after?.spec.template).toEqual(
      template('shop/checkout:2.3.1'),
    );
    expect(revert.params).toEqual({
      template: template('shop/checkout:2.3.1'),
      previousTemplate: template('shop/checkout:2.2.0'),
    });
    expect(isTargetApplied(inverse, revert.after)).toBe(true);
    expect(isTargetApplied(inverse, after)).toBe(false);
  });

  it('rolls back to a named revision', () => {
    const revs = revisionsOf(deployment(), [
      ...history,
      replicaSet(3, 'shop/checkout:2.3.0'),
      replicaSet(4, 'shop/checkout:2.3.1'),
    ]);
    const change = rollback(deployment(), { toRevision: 1 }, revs);
    expect(change.params.toRevision).toBe(1);
    // Without a revision: the one before the revision that runs now (4).
    expect(rollback(deployment(), {}, revs).params.toRevision).toBe(3);
  });

  it('rolls back to the newest revision that ran an image, by tag or reference', () => {
    const revs = revisionsOf(deployment(), [
      ...history,
      replicaSet(3, 'shop/checkout:2.2.0'),
      replicaSet(4, 'shop/checkout:2.3.1'),
    ]);
    const byTag = rollback(deployment(), { toImage: '2.2.0' }, revs);
    expect(byTag.params).toMatchObject({ toRevision: 3 });
    expect(byTag.params).not.toHaveProperty('toImage');
    expect(byTag.after?.spec?.template.spec.containers[0].image).toBe(
      'shop/checkout:2.2.0',
    );
    expect(
      rollback(deployment(), { toImage: 'shop/checkout:2.2.0' }, revs).params
        .toRevision,
    ).toBe(3);
    expect(() => rollback(deployment(), { toImage: '9.9.9' }, revs)).toThrow(
      'no revision of checkout ran 9.9.9; its revisions are 1 (shop/checkout:2.2.0), 2 (shop/checkout:2.3.1), 3 (shop/checkout:2.2.0), 4 (shop/checkout:2.3.1)',
    );
    expect(() => rollback(deployment(), { toImage: '2.3.1' }, revs)).toThrow(
      'checkout already runs 2.3.1; there is nothing to roll back',
    );
    expect(() =>
      rollback(deployment(), { toImage: '2.2.0', toRevision: 1 }, revs),
    ).toThrow(/toRevision or toImage, not both/);
  });

  it('says when there is no earlier revision', () => {
    expect(() => rollback(deployment(), {}, revisions.slice(1))).toThrow(
      'checkout has no earlier revision to roll back to',
    );
    expect(() => rollback(deployment(), {}, [])).toThrow(
      'checkout has no earlier revision to roll back to',
    );
  });

  it('names the revisions there are when asked for an unknown one', () => {
    expect(() => rollback(deployment(), { toRevision: 5 })).toThrow(
      'checkout has no revision 5; its revisions are 1, 2 (current)',
    );
    expect(() => rollback(deployment(), { toRevision: 2 })).toThrow(
      'checkout already runs the pod template of revision 2',
    );
  });

  it.each([
    [{ toRevision: 0 }, /toRevision must be 1 or more/],
    [{ toRevision: 1.5 }, /whole number/],
    [{ toRevision: '1' }, /toRevision must be a number/],
    [{ template: {} }, /invalid parameters for rollback/],
  ])('refuses params %j', (params, message) => {
    expect(() => rollback(deployment(), params)).toThrow(message);
  });

  it('refuses a paused Deployment', () => {
    expect(() =>
      rollback(deployment('shop/checkout:2.3.1', { paused: true })),
    ).toThrow(/paused; resume it/);
  });

  it('refuses templates with a credential-looking literal rather than store them', () => {
    const withSecret = revisionsOf(deployment(), [
      replicaSet(2, 'shop/checkout:2.3.1'),
      {
        ...replicaSet(1, 'shop/checkout:2.2.0'),
        spec: {
          template: template('shop/checkout:2.2.0', { DB_PASSWORD: 'hunter2' }),
        },
      },
    ]);
    expect(() => rollback(deployment(), {}, withSecret)).toThrow(
      /revision 1 sets DB_PASSWORD \(container checkout\) to a literal value that looks like a credential.*secretKeyRef/,
    );
    // The template it would replace is stored too, for the revert.
    const live = deployment();
    live.spec.template.spec.containers[0].args = [
      '--api-token=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    ];
    expect(() => rollback(live)).toThrow(
      /checkout as it runs now holds a value that looks like a credential \(template\.spec\.containers\[0\]\.args/,
    );
  });
});
