import { buildChange, ChangeTarget } from '../changes/change';
import { RuleBasedRiskEngine } from './RuleBasedRiskEngine';
import { KubeObject, RiskContext } from './types';

const deployment = (replicas: number, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout', namespace: 'shop', ...extra },
  spec: {
    replicas,
    template: {
      metadata: { labels: { app: 'checkout' } },
      spec: { containers: [{ name: 'app', image: 'shop/checkout:1.0' }] },
    },
  },
});

/** The change an action makes, computed the way plans compute it. */
function targetFor(action: string, params: Record<string, any>): ChangeTarget {
  switch (action) {
    case 'restart':
      return { action, restartedAt: '2026-12-06T10:00:00.000Z' };
    case 'scale':
      return { action, replicas: params.replicas };
    case 'update':
      return { action, update: params };
    default:
      return { action: 'delete' };
  }
}

function context(patch: Partial<RiskContext>): RiskContext {
  const action = patch.action ?? 'restart';
  const before = patch.before === undefined ? deployment(4) : patch.before;
  const params = patch.params ?? {};
  const after =
    patch.after !== undefined
      ? patch.after
      : buildChange(before as any, targetFor(action, params)).after;
  return {
    action,
    resource: { cluster: 'demo', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
    params,
    hpas: [],
    pdbs: [],
    productionNamespaces: [],
    ...patch,
    before,
    after,
  };
}

const engine = new RuleBasedRiskEngine();

describe('RuleBasedRiskEngine', () => {
  it.each<[string, Partial<RiskContext>, string, string[]]>([
    ['restart', {}, 'medium', ['restart-rolls-every-pod']],
    ['a small scale up', { action: 'scale', params: { replicas: 5 } }, 'low', []],
    ['scale to zero', { action: 'scale', params: { replicas: 0 } }, 'high', ['scale-to-zero']],
    ['scale down by more than half', { action: 'scale', params: { replicas: 1 } }, 'high', ['scale-down-by-more-than-half']],
    ['scale down by exactly half', { action: 'scale', params: { replicas: 2 } }, 'low', []],
    ['scale up more than double', { action: 'scale', params: { replicas: 9 } }, 'medium', ['scale-up-by-more-than-double']],
    [
      'delete of a controlled pod',
      {
        action: 'delete',
        resource: { cluster: 'demo', kind: 'Pod', namespace: 'shop', name: 'checkout-1' },
        before: { kind: 'Pod', metadata: { name: 'checkout-1', ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', controller: true }] } },
      },
      'medium',
      ['delete-is-destructive'],
    ],
    [
      'delete of a bare pod',
      {
        action: 'delete',
        resource: { cluster: 'demo', kind: 'Pod', namespace: 'shop', name: 'debug' },
        before: { kind: 'Pod', metadata: { name: 'debug' } },
      },
      'high',
      ['delete-is-destructive'],
    ],
    [
      'an image update',
      { action: 'update', params: { containers: { app: { image: 'shop/checkout:2.0' } } } },
      'medium',
      ['image-change'],
    ],
    ['restart in production', { productionNamespaces: ['shop'] }, 'high', ['restart-rolls-every-pod', 'production-namespace']],
    ['scale in production', { action: 'scale', params: { replicas: 5 }, productionNamespaces: ['shop'] }, 'medium', ['production-namespace']],
    [
      'restart blocked by a PDB',
      { pdbs: [{ metadata: { name: 'checkout-pdb' }, spec: { selector: { matchLabels: { app: 'checkout' } } }, status: { disruptionsAllowed: 0 } }] },
      'high',
      ['restart-rolls-every-pod', 'pod-disruption-budget'],
    ],
    [
      'scale below a PDB minimum',
      {
        action: 'scale',
        params: { replicas: 3 },
        pdbs: [{ metadata: { name: 'checkout-pdb' }, spec: { minAvailable: 4, selector: { matchLabels: { app: 'checkout' } } }, status: { disruptionsAllowed: 0 } }],
      },
      'high',
      ['pod-disruption-budget'],
    ],
    [
      'a PDB for other pods',
      { pdbs: [{ metadata: { name: 'other' }, spec: { selector: { matchLabels: { app: 'other' } } }, status: { disruptionsAllowed: 0 } }] },
      'medium',
      ['restart-rolls-every-pod'],
    ],
    [
      'an HPA-managed scale',
      {
        action: 'scale',
        params: { replicas: 5 },
        hpas: [{ metadata: { name: 'checkout' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'checkout' } } }],
      },
      'low',
      ['hpa-managed'],
    ],
    [
      'an Argo CD-managed object',
      { before: deployment(4, { managedFields: [{ manager: 'argocd-controller', operation: 'Apply' }] }) },
      'medium',
      ['restart-rolls-every-pod', 'gitops-managed'],
    ],
    [
      'a Flux-managed object',
      { action: 'scale', params: { replicas: 4 }, before: deployment(4, { managedFields: [{ manager: 'kustomize-controller' }] }) },
      'low',
      ['gitops-managed'],
    ],
    ['an exhausted error budget', { action: 'scale', params: { replicas: 5 }, errorBudgetRemaining: 0 }, 'high', ['error-budget-exhausted']],
  ])('scores %s', (_name, patch, level, rules) => {
    const risk = engine.assess(context(patch));
    expect(risk.level).toBe(level);
    expect(risk.reasons.map(r => r.rule)).toEqual(rules);
    for (const rule of rules) expect(risk.rationale).toContain(`[${rule}]`);
  });

  it('marks warnings as warnings and never lets them raise the level', () => {
    const risk = engine.assess(
      context({
        action: 'scale',
        params: { replicas: 5 },
        hpas: [{ metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'checkout' } } }],
      }),
    );
    expect(risk).toEqual({
      level: 'low',
      rationale:
        'low: [hpa-managed] HorizontalPodAutoscaler h manages the replicas of checkout and will override this change',
      reasons: [
        {
          rule: 'hpa-managed',
          warning: true,
          message: 'HorizontalPodAutoscaler h manages the replicas of checkout and will override this change',
        },
      ],
    });
  });

  it('accepts new rules as data and treats a failing rule as high risk', () => {
    const custom = new RuleBasedRiskEngine([
      { name: 'friday', description: 'no deploys on Friday', evaluate: () => ({ level: 'medium', message: 'it is Friday' }) },
      {
        name: 'broken',
        description: 'throws',
        evaluate: () => {
          throw new Error('boom');
        },
      },
    ]);
    const risk = custom.assess(context({ action: 'scale', params: { replicas: 4 } }));
    expect(risk.level).toBe('high');
    expect(risk.reasons.map(r => `${r.rule}:${r.level}`)).toEqual(['friday:medium', 'broken:high']);
  });
});
