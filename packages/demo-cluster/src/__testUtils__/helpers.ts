/** Test helpers: start a demo cluster and talk to it with @kubernetes/client-node or raw HTTPS. */
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startDemoCluster } from '../start';
import { DemoCluster, DemoClusterOptions } from '../types';
import { RawOptions, rawRequest, RawResponse } from './raw';

export { rawRequest, SCENARIO_DIR } from './raw';
export type { RawOptions, RawResponse } from './raw';

export interface TestCluster {
  cluster: DemoCluster;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  raw: (method: string, path: string, opts?: RawOptions) => Promise<RawResponse>;
  stop: () => Promise<void>;
}

export async function startTestCluster(options: DemoClusterOptions = {}): Promise<TestCluster> {
  const cluster = await startDemoCluster({ podStartupMs: 30, ...options });
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig());
  return {
    cluster,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    raw: (method, p, opts) => rawRequest(cluster, method, p, opts),
    stop: () => cluster.stop(),
  };
}

/** Polls `fn` until it returns a truthy value (returned) or the timeout passes (throws). */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  what = 'condition',
  timeoutMs = 8000,
): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as Exclude<T, undefined | null | false | 0 | ''>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise(r => setTimeout(r, 25));
  }
}

/** The Status body of a client-node ApiException. */
export function statusOf(e: any): { code: number; reason?: string; message?: string; details?: any; kind?: string } {
  const body = typeof e?.body === 'string' ? safeJson(e.body) : e?.body;
  return { code: e?.code, ...(body ?? {}) };
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Runs `p` expecting a client-node ApiException; returns its Status. */
export async function expectApiError(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return statusOf(e);
  }
  throw new Error('expected the call to fail');
}

export function testDeployment(name: string, opts: { replicas?: number; image?: string; labels?: Record<string, string> } = {}) {
  const labels = { app: name, ...(opts.labels ?? {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: opts.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name: 'app', image: opts.image ?? `example.com/${name}:1.0`, ports: [{ containerPort: 8080, name: 'http' }] },
            { name: 'sidecar', image: 'example.com/proxy:2.0' },
          ],
        },
      },
    },
  };
}
