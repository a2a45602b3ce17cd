import {
  canaryQueries,
  createCanaryQueries,
  escapePromQLString,
  renderQueryTemplate,
} from './queries';

describe('canaryQueries', () => {
  it('builds the error rate and p99 queries of a canary', () => {
    expect(
      canaryQueries.errorRateQuery({
        namespace: 'shop',
        deployment: 'checkout-canary',
        window: '1m',
      }),
    ).toBe(
      'sum(rate(http_requests_total{namespace="shop",deployment="checkout-canary",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="shop",deployment="checkout-canary"}[1m]))',
    );
    expect(
      canaryQueries.p99LatencyQuery({
        namespace: 'shop',
        deployment: 'checkout-canary',
      }),
    ).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="shop",deployment="checkout-canary"}[1m])))',
    );
  });

  it('escapes label values and checks the window', () => {
    expect(escapePromQLString('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(
      canaryQueries.errorRateQuery({
        namespace: 'shop"} or vector(0) #',
        deployment: 'x',
        window: '30s',
      }),
    ).toContain('namespace="shop\\"} or vector(0) #"');
    expect(() =>
      canaryQueries.errorRateQuery({
        namespace: 'shop',
        deployment: 'x',
        window: '1m] or vector(1',
      }),
    ).toThrow('window must be a PromQL duration like 30s, 1m or 1m30s');
    expect(() =>
      canaryQueries.errorRateQuery({ namespace: 'shop', deployment: ' ' }),
    ).toThrow('a canary query needs a non-empty deployment');
  });

  it('fills custom templates (e.g. Istio metrics)', () => {
    const queries = createCanaryQueries({
      errorRate:
        'sum(rate(istio_requests_total{destination_workload_namespace="{{namespace}}",destination_workload="{{ deployment }}",response_code=~"5.."}[{{window}}])) / sum(rate(istio_requests_total{destination_workload_namespace="{{namespace}}",destination_workload="{{deployment}}"}[{{window}}]))',
      p99Latency:
        'histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{destination_workload="{{deployment}}"}[{{window}}]))) / 1000',
    });
    expect(
      queries.p99LatencyQuery({
        namespace: 'shop',
        deployment: 'c',
        window: '2m',
      }),
    ).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{destination_workload="c"}[2m]))) / 1000',
    );
    expect(
      queries.errorRateQuery({ namespace: 'shop', deployment: 'c' }),
    ).toContain('destination_workload="c",response_code=~"5.."}[1m]');
    expect(() =>
      renderQueryTemplate('x{a="{{pod}}"}', {
        namespace: 'n',
        deployment: 'd',
      }),
    ).toThrow('unknown placeholder {{pod}} in the query template');
  });
});
