import { RuleBasedRiskEngine } from './RuleBasedRiskEngine';
import { ErrorBudgetFact, RiskContext } from './types';

/** A small scale-up: low risk unless the budget says otherwise. */
const context = (errorBudget?: ErrorBudgetFact): RiskContext => ({
  action: 'scale',
  resource: {
    cluster: 'demo',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'checkout',
  },
  params: { replicas: 5 },
  before: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout', namespace: 'shop' },
    spec: { replicas: 4 },
  },
  after: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout', namespace: 'shop' },
    spec: { replicas: 5 },
  },
  hpas: [],
  pdbs: [],
  productionNamespaces: [],
  errorBudget,
});

const known = (
  patch: Partial<Extract<ErrorBudgetFact, { state: 'known' }>>,
): ErrorBudgetFact => ({
  state: 'known',
  slo: 'checkout-availability',
  target: 0.995,
  timeWindow: '28d',
  remaining: 0.6,
  sli: 0.998,
  burnRates: { '1h': 0.4, '5m': 0.4, '6h': 0.4, '30m': 0.4 },
  fastBurn: false,
  slowBurn: false,
  ...patch,
});

const engine = new RuleBasedRiskEngine();

describe('the error budget rules', () => {
  it('leave a plan alone when the entity has no SLO or budget to spare', () => {
    expect(engine.assess(context()).level).toBe('low');
    expect(engine.assess(context(known({}))).reasons).toEqual([]);
  });

  it('make a plan on a spent budget high, with the numbers', () => {
    const risk = engine.assess(context(known({ remaining: -15, sli: 0.92 })));
    expect(risk.level).toBe('high');
    expect(risk.reasons).toEqual([
      {
        rule: 'error-budget-exhausted',
        level: 'high',
        message:
          "SLO 'checkout-availability' (99.5% over 28d) has exhausted its error budget: SLI 92%, -1,500% of the budget remaining",
      },
    ]);
  });

  it('make a plan on a fast burn high, naming both windows', () => {
    const risk = engine.assess(
      context(
        known({
          fastBurn: true,
          burnRates: { '1h': 16, '5m': 16.04, '6h': 16, '30m': 16 },
        }),
      ),
    );
    expect(risk.level).toBe('high');
    expect(risk.reasons.map(r => r.rule)).toEqual(['error-budget-burning']);
    expect(risk.reasons[0].message).toBe(
      "SLO 'checkout-availability' burns its error budget 16× the sustainable rate over 1h and 16× over 5m (fast-burn threshold 14.4×); 60% of the budget remaining",
    );
  });

  it('warn on a slow burn without raising the level', () => {
    const risk = engine.assess(
      context(known({ slowBurn: true, burnRates: { '6h': 7, '30m': 8 } })),
    );
    expect(risk.level).toBe('low');
    expect(risk.reasons).toEqual([
      expect.objectContaining({ rule: 'error-budget-burning', warning: true }),
    ]);
  });

  it('say the budget is unknown at medium when Prometheus cannot answer', () => {
    const risk = engine.assess(
      context({
        state: 'unknown',
        slo: 'checkout-availability',
        reason: "Prometheus for cluster 'demo' did not answer within 2000 ms",
      }),
    );
    expect(risk.level).toBe('medium');
    expect(risk.rationale).toBe(
      "medium: [error-budget-exhausted] error budget unknown for SLO 'checkout-availability': Prometheus for cluster 'demo' did not answer within 2000 ms",
    );
  });
});
