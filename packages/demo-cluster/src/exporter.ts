/**
 * The companion metrics exporter: plain-HTTP `GET /metrics` in the Prometheus text exposition
 * format, computed from the live cluster state, so canary gates have something real to query.
 *
 * Every Running and Ready pod owned (through its ReplicaSet) by a Deployment serves simulated
 * HTTP traffic according to its image's traffic profile (ImageBehavior `spec.traffic`, else
 * {@link DEFAULT_TRAFFIC}). The values are deterministic functions of the time since the pod
 * became Ready: counters grow linearly (fractional values, so even short `rate()` windows are
 * steady) and latencies follow a log-normal distribution through the profile's p50 and p99.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Cluster } from './cluster';
import { T } from './api/resources';
import { TrafficProfile, trafficOf } from './controllers/images';
import { KubeObject } from './types';
import { renderContainerMetrics } from './containerMetrics';

/**
 * Upper bounds (seconds) of the `http_request_duration_seconds` buckets: fine between 50 ms and
 * 1.5 s so `histogram_quantile(0.99, ...)` tells a 150 ms p99 from a 900 ms one.
 */
export const LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2.5, 5, 10,
];

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf, error < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * The latency distribution of a profile: log-normal with median p50 and 99th percentile p99.
 * Returns the fraction of requests at most `seconds` long, and the mean latency.
 */
export function latencyModel(profile: Required<TrafficProfile>): { cdf(seconds: number): number; meanSeconds: number } {
  const mu = Math.log(profile.p50Ms / 1000);
  const sigma = Math.max(0, (Math.log(profile.p99Ms) - Math.log(profile.p50Ms)) / Z99);
  return {
    cdf: seconds => {
      if (sigma === 0) return seconds >= profile.p50Ms / 1000 ? 1 : 0;
      return normalCdf((Math.log(seconds) - mu) / sigma);
    },
    meanSeconds: Math.exp(mu + (sigma * sigma) / 2),
  };
}

export interface TrafficSeries {
  namespace: string;
  deployment: string;
  pod: string;
  image: string;
  /** Seconds since the pod became Ready. */
  uptimeSeconds: number;
  profile: Required<TrafficProfile>;
}

function isReady(pod: KubeObject): boolean {
  return (
    pod.status?.phase === 'Running' &&
    (pod.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c?.status === 'True')
  );
}

function readySince(pod: KubeObject): number {
  const ready = (pod.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
  for (const t of [ready?.lastTransitionTime, pod.status?.startTime, pod.metadata.creationTimestamp]) {
    const ms = typeof t === 'string' ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms)) return ms;
  }
  return NaN;
}

function controllerOf(obj: KubeObject, kind: string): string | undefined {
  const refs = obj.metadata.ownerReferences ?? [];
  const ref = refs.find(r => r.kind === kind && r.controller) ?? refs.find(r => r.kind === kind);
  return ref?.name;
}

/** The pods that serve traffic now: Running, Ready, and owned by a Deployment via a ReplicaSet. */
export function trafficSeries(cluster: Cluster, now: number = Date.now()): TrafficSeries[] {
  const series: TrafficSeries[] = [];
  for (const pod of cluster.store.list(T.pods)) {
    if (!isReady(pod)) continue;
    const namespace = pod.metadata.namespace!;
    const rsName = controllerOf(pod, 'ReplicaSet');
    const rs = rsName ? cluster.store.get(T.replicasets, namespace, rsName) : undefined;
    const deployment = rs ? controllerOf(rs, 'Deployment') : undefined;
    if (!deployment || !cluster.store.get(T.deployments, namespace, deployment)) continue;
    const since = readySince(pod);
    if (Number.isNaN(since)) continue;
    // The container whose image has a traffic profile, else the first (main) container.
    const containers: any[] = pod.spec?.containers ?? [];
    const main =
      containers.find(c => cluster.behaviors.match(c?.image, c)?.traffic) ?? containers[0];
    const image = String(main?.image ?? '');
    series.push({
      namespace,
      deployment,
      pod: pod.metadata.name!,
      image,
      uptimeSeconds: Math.max(0, (now - since) / 1000),
      profile: trafficOf(cluster.behaviors, image, main),
    });
  }
  return series.sort((a, b) =>
    `${a.namespace}/${a.deployment}/${a.pod}`.localeCompare(`${b.namespace}/${b.deployment}/${b.pod}`),
  );
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(values: Record<string, string>): string {
  return `{${Object.entries(values)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')}}`;
}

/** A sample value: rounded to micro-units, never in exponent notation. */
function num(value: number): string {
  const rounded = Math.round(value * 1e6) / 1e6;
  return rounded === 0 ? '0' : rounded.toFixed(6).replace(/\.?0+$/, '');
}

function formatLe(le: number): string {
  return String(le);
}

/** The exposition text of the cluster's simulated traffic at `now`. */
export function renderMetrics(cluster: Cluster, now: number = Date.now()): string {
  const series = trafficSeries(cluster, now);
  const requests: string[] = [
    '# HELP http_requests_total HTTP requests served, by status code (simulated by the demo cluster).',
    '# TYPE http_requests_total counter',
  ];
  const durations: string[] = [
    '# HELP http_request_duration_seconds HTTP request latency (simulated by the demo cluster).',
    '# TYPE http_request_duration_seconds histogram',
  ];
  for (const s of series) {
    const base = { namespace: s.namespace, deployment: s.deployment, pod: s.pod };
    const total = s.profile.rps * s.uptimeSeconds;
    const errors = total * s.profile.errorRate;
    requests.push(`http_requests_total${labels({ ...base, code: '200' })} ${num(total - errors)}`);
    requests.push(`http_requests_total${labels({ ...base, code: '500' })} ${num(errors)}`);
    const model = latencyModel(s.profile);
    for (const le of LATENCY_BUCKETS) {
      durations.push(
        `http_request_duration_seconds_bucket${labels({ ...base, le: formatLe(le) })} ${num(total * model.cdf(le))}`,
      );
    }
    durations.push(`http_request_duration_seconds_bucket${labels({ ...base, le: '+Inf' })} ${num(total)}`);
    durations.push(`http_request_duration_seconds_sum${labels(base)} ${num(total * model.meanSeconds)}`);
    durations.push(`http_request_duration_seconds_count${labels(base)} ${num(total)}`);
  }
  return `${[...requests, ...durations].join('\n')}\n${renderContainerMetrics(cluster, now)}`;
}

export interface MetricsServer {
  port: number;
  /** `http://HOST:PORT/metrics` */
  url: string;
  close(): Promise<void>;
}

/** Serves {@link renderMetrics} on plain HTTP `GET /metrics`. */
export async function startMetricsServer(
  cluster: Cluster,
  options: { host: string; port: number },
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found: the demo cluster serves its metrics at GET /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    const body = renderMetrics(cluster);
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  if (['0.0.0.0', '::', ''].includes(options.host)) urlHost = '127.0.0.1';
  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://${urlHost}:${port}/metrics`,
    close() {
      closed ??= new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
