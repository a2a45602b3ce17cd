import { buildChange } from '../changes/change';
import { createAnalysisContext } from '../analyzers/types';
import { defaultRiskRules, RuleBasedRiskEngine } from '../risk';
import type { KubeObject, RiskContext } from '../risk/types';
import { ModuleExtensions } from './ModuleExtensions';
import { toRiskRule } from './moduleRiskRules';
import { runModules } from './runModules';
import type { KubecopilotAnalyzer, KubecopilotRiskRule } from './types';

const checkout = (replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout', namespace: 'shop' },
  spec: {
    replicas,
    template: {
      metadata: { labels: { app: 'checkout' } },
      spec: { containers: [{ name: 'app', image: 'shop/checkout:1.0' }] },
    },
  },
});

function scaleContext(from: number, to: number): RiskContext {
  const before = checkout(from);
  return {
    action: 'scale',
    resource: {
      cluster: 'demo',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
    },
    params: { replicas: to },
    before,
    after: buildChange(before as any, { action: 'scale', replicas: to }).after,
    hpas: [],
    pdbs: [],
    productionNamespaces: [],
  };
}

const rule = (
  evaluate: KubecopilotRiskRule['evaluate'],
): KubecopilotRiskRule => ({
  name: 'acme/test-rule',
  description: 'a test rule',
  evaluate,
});

const engineWith = (...rules: KubecopilotRiskRule[]) =>
  new RuleBasedRiskEngine([...defaultRiskRules, ...rules.map(toRiskRule)]);

describe('module risk rules', () => {
  it('raise a plan the built-in rules call low', () => {
    const risk = engineWith(
      rule(() => ({ level: 'high', message: 'change freeze until Monday' })),
    ).assess(scaleContext(4, 5));
    expect(risk.level).toBe('high');
    expect(risk.reasons).toContainEqual({
      rule: 'acme/test-rule',
      level: 'high',
      message: 'change freeze until Monday',
    });
  });

  it('cannot lower what a built-in rule decided', () => {
    const context = scaleContext(4, 0);
    expect(new RuleBasedRiskEngine().assess(context).level).toBe('high');
    const risk = engineWith(
      rule(() => ({ level: 'low', message: 'we know what we are doing' })),
    ).assess(context);
    expect(risk.level).toBe('high');
    expect(risk.reasons.map(r => r.rule)).toEqual([
      'scale-to-zero',
      'acme/test-rule',
    ]);
  });

  it('treat a throwing rule or an answer that is not an effect as high risk', () => {
    expect(
      engineWith(
        rule(() => {
          throw new Error('calendar unreachable');
        }),
      ).assess(scaleContext(4, 5)).level,
    ).toBe('high');
    const bogus = engineWith(
      rule(() => ({ level: 'none', message: 'x' } as any)),
    ).assess(scaleContext(4, 5));
    expect(bogus.level).toBe('high');
    expect(bogus.rationale).toContain('not a risk effect');
  });

  it('judge a copy: a rule cannot change the plan it judges', () => {
    const context = scaleContext(4, 5);
    engineWith(
      rule(c => {
        c.after!.spec.replicas = 0;
        return undefined;
      }),
    ).assess(context);
    expect(context.after!.spec.replicas).toBe(5);
  });
});

describe('ModuleExtensions', () => {
  const analyzer = (name: string): KubecopilotAnalyzer => ({
    name,
    kinds: ['Secret'],
    analyze: () => [],
  });

  it('accepts namespaced names and refuses the rest at registration', () => {
    const extensions = new ModuleExtensions();
    extensions.analyzerPoint.addAnalyzer(analyzer('acme/certificates'));
    expect(() =>
      extensions.analyzerPoint.addAnalyzer(analyzer('certificates')),
    ).toThrow(/namespaced/);
    expect(() =>
      extensions.analyzerPoint.addAnalyzer(analyzer('kubecopilot/pods')),
    ).toThrow(/reserved/);
    expect(() =>
      extensions.analyzerPoint.addAnalyzer(analyzer('acme/certificates')),
    ).toThrow(/twice/);
    expect(extensions.analyzers.map(a => a.name)).toEqual([
      'acme/certificates',
    ]);
  });

  it('is closed once the plugin started', () => {
    const extensions = new ModuleExtensions();
    extensions.close();
    expect(() =>
      extensions.riskRulePoint.addRiskRule(rule(() => undefined)),
    ).toThrow(/after the plugin started/);
  });
});

describe('runModules', () => {
  const context = createAnalysisContext('demo', {
    pods: [{ metadata: { name: 'checkout-1', namespace: 'shop' } }],
  });
  const finding = (code: string) => ({
    analyzer: 'ignored',
    code,
    severity: 'warning' as const,
    cluster: 'ignored',
    resource: { kind: 'Secret', namespace: 'shop', name: 'checkout-tls' },
    message: 'certificate expires in 3 days',
    evidence: [
      {
        type: 'field' as const,
        path: 'metadata.annotations',
        value: '2026-12-09',
      },
    ],
  });
  const run = (analyzers: KubecopilotAnalyzer[], providers: any[] = []) =>
    runModules(
      {
        entityRef: 'component:default/checkout',
        context,
        kubernetes: { readMetadata: async () => ({} as any) },
      },
      { analyzers, providers, analyzerTimeoutMs: 100, contextTimeoutMs: 100 },
    );

  it('keeps findings in the analyzer namespace and names the analyzer and cluster', async () => {
    const result = await run([
      {
        name: 'acme/certificates',
        kinds: ['Secret'],
        analyze: () => [
          finding('acme/CertificateExpiring'),
          finding('CrashLoopBackOff'),
          finding('other/CertificateExpiring'),
        ],
      },
    ]);
    expect(result.findings).toEqual([
      {
        ...finding('acme/CertificateExpiring'),
        analyzer: 'acme/certificates',
        cluster: 'demo',
      },
    ]);
    expect(result.errors).toEqual([
      "cluster 'demo': module analyzer acme/certificates: 2 finding(s) dropped (not a finding, too many, or a code outside 'acme/')",
    ]);
  });

  it('turns a throwing or late analyzer into a note and keeps the others', async () => {
    const result = await run([
      {
        name: 'acme/broken',
        kinds: [],
        analyze: () => {
          throw new Error('boom');
        },
      },
      {
        name: 'acme/slow',
        kinds: [],
        analyze: () =>
          new Promise(resolve => setTimeout(() => resolve([]), 5000)),
      },
      {
        name: 'acme/busy',
        kinds: [],
        analyze: () => {
          const until = performance.now() + 150;
          while (performance.now() < until) {
            // a synchronous analyzer that overruns its deadline
          }
          return [finding('acme/Late')];
        },
      },
      {
        name: 'acme/certificates',
        kinds: [],
        analyze: () => [finding('acme/CertificateExpiring')],
      },
    ]);
    expect(result.findings.map(f => f.code)).toEqual([
      'acme/CertificateExpiring',
    ]);
    expect(result.errors).toEqual([
      "cluster 'demo': module analyzer acme/broken failed (boom); its findings are missing, the rest of the diagnosis is complete",
      "cluster 'demo': module analyzer acme/slow no answer within 100 ms; its findings are missing, the rest of the diagnosis is complete",
      "cluster 'demo': module analyzer acme/busy answered after its 100 ms deadline; its findings are missing, the rest of the diagnosis is complete",
    ]);
  });

  it('gives analyzers a copy of the context and the bounded, redacted provided context', async () => {
    let seen: any;
    const result = await run(
      [
        {
          name: 'acme/reader',
          kinds: [],
          analyze: ctx => {
            seen = ctx.provided;
            ctx.pods.length = 0;
            return [];
          },
        },
      ],
      [
        {
          name: 'acme/gitops',
          provide: async () =>
            Array.from({ length: 80 }, (_, i) => ({
              title: `Application checkout ${i}`,
              facts: {
                sync: 'OutOfSync',
                note: 'password=hunter2',
                long: 'x'.repeat(400),
              },
            })),
        },
        {
          name: 'acme/down',
          provide: async () => Promise.reject(new Error('503')),
        },
        { name: 'acme/hangs', provide: () => new Promise(() => {}) },
      ],
    );
    expect(context.pods).toHaveLength(1);
    expect(seen).toHaveLength(1);
    expect(seen[0].provider).toBe('acme/gitops');
    expect(seen[0].items).toHaveLength(50);
    expect(seen[0].items[0].facts.sync).toBe('OutOfSync');
    expect(seen[0].items[0].facts.note).not.toContain('hunter2');
    expect(seen[0].items[0].facts.long.length).toBeLessThanOrEqual(300);
    expect(result.errors).toEqual([
      "cluster 'demo': context provider acme/down failed (503); the diagnosis goes on without its context",
      "cluster 'demo': context provider acme/hangs no answer within 100 ms; the diagnosis goes on without its context",
    ]);
  });
});
