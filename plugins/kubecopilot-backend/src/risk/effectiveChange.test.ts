/**
 * Risk follows the computed change, whatever the action is called: every
 * whitelisted action × a grid of parameters and surroundings goes through
 * the same change model and risk engine the plan service uses, and no path
 * may score lower than the direct action with the same effect.
 */
import { PlanAction, RiskLevel } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { draftChange } from '../changes/change';
import { BUILT_IN_ACTIONS } from '../changes/whitelist';
import { RuleBasedRiskEngine } from './RuleBasedRiskEngine';
import { KubeObject, RiskContext } from './types';

const ORDER: RiskLevel[] = ['low', 'medium', 'high'];
const engine = new RuleBasedRiskEngine();
const now = new Date('2026-12-06T10:00:00.000Z');

function workload(kind: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'checkout', namespace: 'shop', uid: 'u1', generation: 2 },
    spec: {
      ...(kind === 'DaemonSet' ? {} : { replicas }),
      selector: { matchLabels: { app: 'checkout' } },
      template: {
        metadata: { labels: { app: 'checkout' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'shop/checkout:1.0',
              env: [{ name: 'LOG_LEVEL', value: 'info' }],
            },
          ],
        },
      },
    },
  };
}

const surroundings: Array<[string, Partial<RiskContext>]> = [
  ['plain', {}],
  ['production', { productionNamespaces: ['shop'] }],
  [
    'a PDB with minAvailable 2',
    {
      pdbs: [
        {
          metadata: { name: 'pdb' },
          spec: { minAvailable: 2, selector: { matchLabels: { app: 'checkout' } } },
          status: { disruptionsAllowed: 0 },
        },
      ],
    },
  ],
  [
    'an HPA',
    {
      hpas: [
        {
          metadata: { name: 'hpa' },
          spec: { scaleTargetRef: { kind: 'Deployment', name: 'checkout' } },
        },
      ],
    },
  ],
];

/** The workload's revision 1 (its template with another image) and 2 (now). */
function revisionsFor(live: KubeObject, image = 'shop/checkout:0.9') {
  const earlier = structuredClone(live.spec.template);
  earlier.spec.containers[0].image = image;
  return [
    { revision: 1, name: 'checkout-1', template: earlier },
    { revision: 2, name: 'checkout-2', template: live.spec.template },
  ];
}

function score(
  action: PlanAction,
  live: KubeObject,
  params: Record<string, unknown>,
  around: Partial<RiskContext>,
  revisions = revisionsFor(live),
) {
  const change = draftChange(action, live as any, params, { now, revisions });
  return engine.assess({
    action,
    resource: { cluster: 'demo', kind: String(live.kind), namespace: 'shop', name: 'checkout' },
    params: change.params,
    before: live,
    after: change.after as KubeObject | null,
    hpas: [],
    pdbs: [],
    productionNamespaces: [],
    ...around,
  });
}

const rank = (level: RiskLevel) => ORDER.indexOf(level);
const counts = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 25];

describe('risk on the effective change', () => {
  it('covers every whitelisted action', () => {
    const actions = new Set(BUILT_IN_ACTIONS.map(([action]) => action));
    // canary and blue-green have their own generators and rules; the others
    // are drafted here.
    expect([...actions].sort()).toEqual(
      ['blue-green', 'canary', 'delete', 'restart', 'rollback', 'scale', 'update'].sort(),
    );
  });

  describe.each(surroundings)('with %s', (_name, around) => {
    it.each(['Deployment', 'StatefulSet'])(
      'an update of replicas on a %s never scores lower than the same scale',
      kind => {
        let compared = 0;
        for (const from of counts) {
          for (const to of counts) {
            if (from === to) continue;
            const live = workload(kind, from);
            const viaScale = score('scale', live, { replicas: to }, around);
            const viaUpdate = score('update', live, { replicas: to }, around);
            const viaDelta = score('scale', live, { delta: to - from }, around);
            expect(`${from}→${to} ${viaUpdate.level}`).toBe(
              `${from}→${to} ${viaScale.level}`,
            );
            expect(viaDelta.level).toBe(viaScale.level);
            expect(viaUpdate.reasons.map(r => r.rule)).toEqual(
              viaScale.reasons.map(r => r.rule),
            );
            compared += 1;
          }
        }
        expect(compared).toBe(counts.length * (counts.length - 1));
      },
    );

    it('an update that also changes the image never scores lower than either change alone', () => {
      for (const from of counts.slice(1)) {
        for (const to of counts) {
          if (from === to) continue;
          const live = workload('Deployment', from);
          const image = { containers: { app: { image: 'shop/checkout:2.0' } } };
          const both = score('update', live, { replicas: to, ...image }, around);
          const scaleOnly = score('scale', live, { replicas: to }, around);
          const imageOnly = score('update', live, image, around);
          expect(rank(both.level)).toBeGreaterThanOrEqual(
            Math.max(rank(scaleOnly.level), rank(imageOnly.level)),
          );
        }
      }
    });

    it.each(['Deployment', 'StatefulSet'])(
      'a rollback of a %s to another image never scores lower than an update to that image',
      kind => {
        const live = workload(kind, 3);
        const rollback = score('rollback', live, {}, around);
        const update = score(
          'update',
          live,
          { containers: { app: { image: 'shop/checkout:0.9' } } },
          around,
        );
        expect(rank(rollback.level)).toBeGreaterThanOrEqual(rank(update.level));
        expect(rank(rollback.level)).toBeGreaterThanOrEqual(rank('medium'));
        expect(rollback.rationale).toContain(
          'image of app: shop/checkout:1.0 → shop/checkout:0.9',
        );
      },
    );

    it('any pod template change scores at least like a restart', () => {
      const live = workload('Deployment', 3);
      const restart = score('restart', live, {}, around);
      for (const params of [
        { containers: { app: { image: 'shop/checkout:2.0' } } },
        { containers: { app: { env: { LOG_LEVEL: 'debug' } } } },
        { containers: { app: { resources: { limits: { memory: '256Mi' } } } } },
      ]) {
        expect(rank(score('update', live, params, around).level)).toBeGreaterThanOrEqual(
          rank(restart.level),
        );
      }
    });
  });

  it('scores scale to 0 high, and the same through update or a negative delta', () => {
    const live = workload('Deployment', 3);
    for (const [action, params] of [
      ['scale', { replicas: 0 }],
      ['scale', { delta: -3 }],
      ['update', { replicas: 0 }],
    ] as const) {
      const risk = score(action, live, params, {});
      expect(risk.level).toBe('high');
      expect(risk.reasons.map(r => r.rule)).toContain('scale-to-zero');
    }
  });
});
