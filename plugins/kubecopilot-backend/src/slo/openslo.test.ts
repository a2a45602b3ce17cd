import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorRatioQuery, parseOpenSlo } from './openslo';
import { locateOpenSlo } from './readOpenSloFile';

const EXAMPLES = resolve(__dirname, '../../../../examples');

describe('parseOpenSlo', () => {
  it("reads the demo entities' OpenSLO files", () => {
    const { slos, problems } = parseOpenSlo(
      readFileSync(resolve(EXAMPLES, 'slos/storefront.yaml'), 'utf8'),
    );
    expect(problems).toEqual([]);
    expect(
      slos.map(s => [s.name, s.target, s.timeWindow, s.cluster, s.events]),
    ).toEqual([
      ['storefront-availability', 0.995, '28d', 'demo', 'good'],
      ['storefront-latency', 0.99, '28d', 'demo', 'good'],
    ]);
    expect(slos[0].timeWindowSeconds).toBe(28 * 86400);
    expect(errorRatioQuery(slos[0], '1h')).toBe(
      '1 - (sum(increase(http_requests_total{namespace="shop",deployment="storefront",code!~"5.."}[1h])) / sum(increase(http_requests_total{namespace="shop",deployment="storefront"}[1h])))',
    );
    expect(
      parseOpenSlo(
        readFileSync(resolve(EXAMPLES, 'slos/checkout.yaml'), 'utf8'),
      ),
    ).toMatchObject({
      problems: [],
      slos: [{ name: 'checkout-availability' }],
    });
  });

  it('names every problem with its SLO and field, and skips other kinds', () => {
    const text = `
apiVersion: openslo/v1
kind: Service
metadata: { name: shop }
spec: {}
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: broken }
spec:
  budgetingMethod: Timeslices
  timeWindow: [{ duration: 1 month, isRolling: true }]
  indicator:
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Datadog, spec: { query: x } } }
        bad: { metricSource: { type: Prometheus, spec: { query: y } } }
        total: { metricSource: { type: Prometheus, spec: { query: z } } }
  objectives: [{ target: 99.9 }]
---
kind: SLO
metadata: { name: v0 }
`;
    const { slos, problems } = parseOpenSlo(text);
    expect(slos).toEqual([]);
    expect(problems).toEqual([
      "SLO 'broken': spec.budgetingMethod: only the Occurrences budgeting method is evaluated; spec.timeWindow.0.duration: must be a duration such as 28d, 4w, 24h; spec.indicator.spec.ratioMetric.good.metricSource.type: only Prometheus metric sources are evaluated; spec.indicator.spec.ratioMetric: needs exactly one of good and bad; spec.objectives.0.target: must be a fraction below 1 (e.g. 0.995)",
      "SLO 'v0': apiVersion: must be openslo/v1; spec: Invalid input: expected object, received undefined",
    ]);
  });

  it("computes a bad-over-total ratio and fills gauges' {{window}}", () => {
    const { slos } = parseOpenSlo(`
apiVersion: openslo/v1
kind: SLO
metadata: { name: jobs }
spec:
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 7d, isRolling: true }]
  indicator:
    spec:
      ratioMetric:
        counter: false
        bad: { metricSource: { type: prometheus, spec: { query: 'sum(increase(jobs_failed_total[{{window}}]))' } } }
        total: { metricSource: { type: prometheus, spec: { query: 'sum(increase(jobs_total[{{ window }}]))' } } }
  objectives: [{ target: 0.99 }]
`);
    expect(errorRatioQuery(slos[0], '5m')).toBe(
      '(sum(increase(jobs_failed_total[5m]))) / (sum(increase(jobs_total[5m])))',
    );
    expect(slos[0].cluster).toBeUndefined();
  });

  it('reports a file that is not YAML', () => {
    expect(parseOpenSlo('kind: SLO\n  bad: [').problems[0]).toMatch(
      /^document 1 is not YAML: /,
    );
  });
});

describe('locateOpenSlo', () => {
  const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
  const entity = (annotations: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', annotations },
  });

  it('resolves a relative path against the source location, like TechDocs', () => {
    expect(
      locateOpenSlo(
        entity({
          'kubecopilot.io/openslo': './slo/checkout.yaml',
          'backstage.io/source-location':
            'url:https://github.com/acme/shop/tree/main/services/checkout/',
          'backstage.io/managed-by-location':
            'url:https://github.com/acme/shop/blob/main/catalog-info.yaml',
        }),
        integrations,
      ),
    ).toEqual({
      type: 'url',
      target:
        'https://github.com/acme/shop/tree/main/services/checkout/slo/checkout.yaml',
    });
    expect(
      locateOpenSlo(
        entity({
          'kubecopilot.io/openslo': 'slo.yaml',
          'backstage.io/managed-by-location':
            'url:https://github.com/acme/shop/blob/main/catalog-info.yaml',
        }),
        integrations,
      ),
    ).toEqual({
      type: 'url',
      // GitHub's integration resolves blob and tree URLs alike.
      target: 'https://github.com/acme/shop/tree/main/slo.yaml',
    });
  });

  it('keeps a file location inside the directory of the entity file', () => {
    const managedBy = {
      'backstage.io/managed-by-location': 'file:/srv/catalog/entities.yaml',
    };
    expect(
      locateOpenSlo(
        entity({ ...managedBy, 'kubecopilot.io/openslo': './slos/a.yaml' }),
        integrations,
      ),
    ).toEqual({
      type: 'file',
      target: '/srv/catalog/slos/a.yaml',
      root: '/srv/catalog',
    });
    expect(
      locateOpenSlo(
        entity({ ...managedBy, 'kubecopilot.io/openslo': '../../etc/passwd' }),
        integrations,
      ),
    ).toEqual({
      problem:
        "kubecopilot.io/openslo '../../etc/passwd' points outside the directory of the entity's location",
    });
    expect(
      locateOpenSlo(
        entity({ ...managedBy, 'kubecopilot.io/openslo': '/etc/passwd' }),
        integrations,
      ),
    ).toEqual({
      problem:
        "kubecopilot.io/openslo must be a path relative to the entity's source location (e.g. ./slo.yaml) or an http(s) URL",
    });
  });

  it('has nothing to say without the annotation, and says why without a location', () => {
    expect(locateOpenSlo(entity({}), integrations)).toBeUndefined();
    expect(
      locateOpenSlo(
        entity({ 'kubecopilot.io/openslo': './slo.yaml' }),
        integrations,
      ),
    ).toEqual({
      problem:
        'the entity has neither backstage.io/source-location nor backstage.io/managed-by-location to resolve kubecopilot.io/openslo against',
    });
  });
});
