/**
 * The metrics exporter: exact values for seeded pods at a fixed time, the traffic profiles of
 * the shipped checkout images over HTTP, and the validation of `spec.traffic`.
 */
import { Cluster } from './cluster';
import { loadScenarios, ScenarioError } from './scenario/load';
import { LATENCY_BUCKETS, renderMetrics } from './exporter';
import { parseArgs } from './cli';
import { SCENARIO_DIR, startTestCluster, TestCluster, testDeployment, waitFor } from './__testUtils__/helpers';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict parser of the text exposition format's sample lines (comments checked apart). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    for (let pos = 0; pos < m[2].length; pos = re.lastIndex) {
      re.lastIndex = pos;
      const l = re.exec(m[2]);
      if (!l) throw new Error(`bad labels in ${JSON.stringify(line)}`);
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    const value = Number(m[3]);
    if (!Number.isFinite(value)) throw new Error(`bad value in ${JSON.stringify(line)}`);
    samples.push({ name: m[1], labels, value });
  }
  return samples;
}

const pick = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

const value = (samples: Sample[], name: string, labels: Record<string, string>) => {
  const found = pick(samples, name, labels);
  if (found.length !== 1) throw new Error(`expected one ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return found[0].value;
};

function errorRatio(samples: Sample[], labels: Record<string, string>): number {
  const errors = pick(samples, 'http_requests_total', { ...labels, code: '500' }).reduce((a, s) => a + s.value, 0);
  const total = pick(samples, 'http_requests_total', labels).reduce((a, s) => a + s.value, 0);
  return errors / total;
}

/** histogram_quantile as Prometheus computes it (linear interpolation inside the bucket). */
function quantile(q: number, buckets: { le: number; count: number }[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted[sorted.length - 1].count;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      return prevLe + ((b.le - prevLe) * (rank - prevCount)) / (b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return NaN;
}

function bucketsOf(samples: Sample[], labels: Record<string, string>) {
  return pick(samples, 'http_request_duration_seconds_bucket', labels).map(s => ({
    le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le),
    count: s.value,
  }));
}

describe('renderMetrics', () => {
  const READY_AT = '2026-01-15T12:00:00Z';

  function seeded(extra: object[] = []) {
    const cluster = new Cluster({ podStartupMs: 10, caPem: 'CA' });
    const labels = { app: 'api' };
    const pod = (name: string, image: string, ready: boolean, phase = 'Running') => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'web',
        labels,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d9f', controller: true }],
      },
      spec: { nodeName: 'n1', containers: [{ name: 'api', image }] },
      status: {
        phase,
        startTime: READY_AT,
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: READY_AT }],
      },
    });
    loadScenarios(cluster, {
      caPem: 'CA',
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'api', namespace: 'web' },
          spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'api', image: 'x/api:1' }] } } },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: 'api-7d9f', namespace: 'web', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', controller: true }] },
          spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'api', image: 'x/api:1' }] } } },
        },
        pod('api-7d9f-good1', 'x/api:1', true),
        pod('api-7d9f-slow1', 'x/api:2-beta', true),
        pod('api-7d9f-notready', 'x/api:1', false),
        pod('api-7d9f-pending', 'x/api:1', false, 'Pending'),
        // A bare pod (no owner) serves no Deployment traffic.
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'web' }, spec: { containers: [{ name: 'sh', image: 'busybox' }] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: READY_AT }] } },
        {
          apiVersion: 'kubecopilot.dev/v1alpha1',
          kind: 'ImageBehavior',
          metadata: { name: 'api-beta' },
          spec: { image: 'x/api:*-beta', behavior: 'Running', traffic: { rps: 10, errorRate: 0.1, p50Ms: 200, p99Ms: 900 } },
        },
        ...extra,
      ],
    });
    return cluster;
  }

  it('reports every Running and Ready Deployment pod, deterministically from the time since it became Ready', () => {
    const cluster = seeded();
    const now = Date.parse(READY_AT) + 100_000;
    const text = renderMetrics(cluster, now);
    expect(renderMetrics(cluster, now)).toBe(text);
    expect(text).toContain('# TYPE http_requests_total counter\n');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram\n');
    const samples = parseExposition(text);
    expect([...new Set(samples.map(s => s.labels.pod))]).toEqual(['api-7d9f-good1', 'api-7d9f-slow1']);

    const good = { namespace: 'web', deployment: 'api', pod: 'api-7d9f-good1' };
    // Defaults: 20 req/s, 0.2% errors, for 100 s.
    expect(value(samples, 'http_requests_total', { ...good, code: '200' })).toBeCloseTo(1996, 6);
    expect(value(samples, 'http_requests_total', { ...good, code: '500' })).toBeCloseTo(4, 6);
    expect(value(samples, 'http_request_duration_seconds_count', good)).toBe(2000);
    expect(value(samples, 'http_request_duration_seconds_bucket', { ...good, le: '+Inf' })).toBe(2000);
    const goodBuckets = bucketsOf(samples, good);
    expect(goodBuckets.map(b => b.le)).toEqual([...LATENCY_BUCKETS, Infinity]);
    for (let i = 1; i < goodBuckets.length; i++) expect(goodBuckets[i].count).toBeGreaterThanOrEqual(goodBuckets[i - 1].count);
    expect(quantile(0.5, goodBuckets)).toBeGreaterThan(0.025);
    expect(quantile(0.5, goodBuckets)).toBeLessThan(0.05);
    expect(quantile(0.99, goodBuckets)).toBeCloseTo(0.15, 2);
    const mean = value(samples, 'http_request_duration_seconds_sum', good) / 2000;
    expect(mean).toBeGreaterThan(0.04);
    expect(mean).toBeLessThan(0.06);

    const slow = { namespace: 'web', deployment: 'api', pod: 'api-7d9f-slow1' };
    expect(value(samples, 'http_request_duration_seconds_count', slow)).toBe(1000);
    expect(errorRatio(samples, slow)).toBeCloseTo(0.1, 6);
    expect(quantile(0.99, bucketsOf(samples, slow))).toBeGreaterThan(0.75);
    expect(quantile(0.99, bucketsOf(samples, slow))).toBeLessThan(1);

    // Counters only grow.
    const later = parseExposition(renderMetrics(cluster, now + 1_000));
    expect(value(later, 'http_requests_total', { ...good, code: '200' })).toBeCloseTo(1996 + 19.96, 6);
  });

  it('counts from zero when the pod becomes Ready, and has no samples when no pod serves', () => {
    const cluster = seeded();
    const samples = parseExposition(renderMetrics(cluster, Date.parse(READY_AT) - 5_000));
    expect(value(samples, 'http_request_duration_seconds_count', { pod: 'api-7d9f-good1' })).toBe(0);
    const empty = new Cluster({ podStartupMs: 10, caPem: 'CA' });
    expect(parseExposition(renderMetrics(empty))).toEqual([]);
  });

  it.each([
    [{ errorRate: 8 }, 'ImageBehavior spec.traffic.errorRate is a fraction between 0 and 1, got 8'],
    [{ rps: -1 }, 'ImageBehavior spec.traffic.rps must be a non-negative number, got -1'],
    [{ p99Ms: '900ms' }, 'ImageBehavior spec.traffic.p99Ms must be a non-negative number, got "900ms"'],
    [{ p99Ms: 30 }, 'ImageBehavior spec.traffic.p99Ms (30) must be at least p50Ms (40)'],
    [{ latency: 3 }, 'ImageBehavior spec.traffic has unknown field "latency"'],
    [[1], 'ImageBehavior spec.traffic must be a mapping'],
  ])('rejects spec.traffic %j', (traffic, message) => {
    let error: unknown;
    try {
      seeded([{ apiVersion: 'kubecopilot.dev/v1alpha1', kind: 'ImageBehavior', metadata: { name: 'bad' }, spec: { image: 'x', behavior: 'Running', traffic } }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toContain(message);
  });
});

describe('the exporter over HTTP, with the shipped checkout images', () => {
  let t: TestCluster;

  beforeAll(async () => {
    t = await startTestCluster({ scenarios: [`${SCENARIO_DIR}/checkout.yaml`], metricsPort: 0 });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('serves GET /metrics on plain HTTP; a 2.5.0-beta pod has a higher error ratio and p99 than a 2.4.0 pod', async () => {
    expect(t.cluster.metricsUrl).toBe(`http://127.0.0.1:${t.cluster.metricsPort}/metrics`);
    for (const [name, image] of [
      ['checkout-good', 'ghcr.io/kubecopilot-demo/checkout:2.4.0'],
      ['checkout-bad', 'ghcr.io/kubecopilot-demo/checkout:2.5.0-beta'],
    ]) {
      await t.apps.createNamespacedDeployment({ namespace: 'shop', body: testDeployment(name, { replicas: 1, image }) });
    }
    const samples = await waitFor(async () => {
      const res = await fetch(t.cluster.metricsUrl!);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const parsed = parseExposition(await res.text());
      const deployments = new Set(parsed.map(s => s.labels.deployment));
      // Ready for a little while, so every counter is above zero.
      const counted = parsed.filter(s => s.name === 'http_request_duration_seconds_count' && s.value > 1);
      return deployments.has('checkout-good') && deployments.has('checkout-bad') && counted.length === 2 ? parsed : undefined;
    }, 'both canary deployments in /metrics', 10_000);
    // The seeded checkout pod crash-loops: it serves nothing.
    expect(samples.filter(s => s.name.startsWith('http_') && s.labels.deployment === 'checkout')).toEqual([]);

    const good = { namespace: 'shop', deployment: 'checkout-good' };
    const bad = { namespace: 'shop', deployment: 'checkout-bad' };
    expect(errorRatio(samples, good)).toBeCloseTo(0.002, 4);
    expect(errorRatio(samples, bad)).toBeCloseTo(0.08, 4);
    expect(quantile(0.99, bucketsOf(samples, good))).toBeLessThan(0.2);
    expect(quantile(0.99, bucketsOf(samples, bad))).toBeGreaterThan(0.75);
    expect(t.cluster.metricsText()).toContain('deployment="checkout-bad"');
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    const base = t.cluster.metricsUrl!.replace(/\/metrics$/, '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(t.cluster.metricsUrl!, { method: 'POST' })).status).toBe(405);
  });
});

describe('--metrics-port', () => {
  it('is parsed and checked', () => {
    expect(parseArgs(['--metrics-port', '0']).metricsPort).toBe(0);
    expect(parseArgs(['--metrics-port=9464']).metricsPort).toBe(9464);
    expect(parseArgs([]).metricsPort).toBeUndefined();
    expect(() => parseArgs(['--metrics-port', '70000'])).toThrow('--metrics-port must be at most 65535');
    expect(() => parseArgs(['--metrics-port', 'x'])).toThrow('--metrics-port needs a non-negative integer, got "x"');
  });
});
