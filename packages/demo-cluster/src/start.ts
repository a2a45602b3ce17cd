/** startDemoCluster(): TLS + scenarios + controllers + HTTPS server, as one handle. */
import { AddressInfo } from 'node:net';
import { Cluster } from './cluster';
import { loadOrCreateTls } from './tls';
import { loadScenarios } from './scenario/load';
import { Faults } from './http/faults';
import { createApiServer } from './http/server';
import { DEFAULT_MAX_BODY } from './http/io';
import { buildKubeconfig } from './kubeconfig';
import { findByKind, T } from './api/resources';
import { DemoCluster, DemoClusterOptions } from './types';
import { MetricsServer, renderMetrics, startMetricsServer } from './exporter';

export const DEFAULT_TOKEN = 'kubecopilot-demo-token';

export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<DemoCluster> {
  const token = options.token ?? DEFAULT_TOKEN;
  if (typeof token !== 'string' || !token.trim() || /\s/.test(token)) {
    throw new Error('token must be a non-empty string without whitespace');
  }
  const userToken = options.userToken;
  if (userToken !== undefined && (!userToken.trim() || /\s/.test(userToken) || userToken === token)) {
    throw new Error('userToken must be a non-empty string without whitespace, different from token');
  }
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);
  const metricsPort = options.metricsPort;
  if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) {
    throw new Error(`invalid metricsPort ${metricsPort}`);
  }
  const latencyMs = options.latencyMs ?? 0;
  if (!(latencyMs >= 0)) throw new Error(`invalid latencyMs ${latencyMs}`);

  const tls = loadOrCreateTls(options.certDir);
  const caPem = tls.caCert;
  const caData = Buffer.from(caPem, 'utf8').toString('base64');
  const cluster = new Cluster({ podStartupMs: options.podStartupMs ?? 1000, caPem });
  loadScenarios(cluster, { scenarios: options.scenarios, objects: options.objects, caPem });
  cluster.start();

  const faults = new Faults();
  for (const f of options.faults ?? []) faults.add(f);

  const api = createApiServer({
    cluster,
    tls,
    token,
    userToken,
    faults,
    latencyMs,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
    onRequest: options.onRequest,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      api.server.once('error', reject);
      api.server.listen(port, host, () => {
        api.server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    cluster.stop();
    throw e;
  }
  let metrics: MetricsServer | undefined;
  if (metricsPort !== undefined) {
    try {
      metrics = await startMetricsServer(cluster, { host, port: metricsPort });
    } catch (e) {
      cluster.stop();
      await api.close();
      throw e;
    }
  }
  const actualPort = (api.server.address() as AddressInfo).port;
  let urlHost = host.includes(':') ? `[${host}]` : host;
  if (['0.0.0.0', '::', ''].includes(host)) urlHost = '127.0.0.1';
  const url = `https://${urlHost}:${actualPort}`;
  const defaultNamespace =
    options.kubeconfigNamespace ?? (cluster.store.has(T.namespaces, undefined, 'shop') ? 'shop' : undefined);
  let stopped: Promise<void> | undefined;

  return {
    url,
    port: actualPort,
    token,
    caData,
    caPem,
    kubeconfig: (opts = {}) =>
      buildKubeconfig({
        server: url,
        caData,
        token,
        namespace: opts.namespace ?? defaultNamespace,
        contextName: opts.contextName,
      }),
    injectFault: rule => faults.add(rule),
    clearFaults: () => faults.clear(),
    getObject(apiVersion, kind, namespace, name) {
      const rt = findByKind(apiVersion, kind);
      return rt ? cluster.store.get(rt, namespace, name) : undefined;
    },
    listObjects(apiVersion, kind, namespace) {
      const rt = findByKind(apiVersion, kind);
      return rt ? cluster.store.list(rt, namespace) : [];
    },
    metricsUrl: metrics?.url,
    metricsPort: metrics?.port,
    metricsText: () => renderMetrics(cluster),
    stop() {
      stopped ??= (async () => {
        cluster.stop();
        await Promise.all([api.close(), metrics?.close()]);
      })();
      return stopped;
    },
  };
}
