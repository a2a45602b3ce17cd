/**
 * Alertmanager → KubeCopilot with the real binaries: the demo cluster's
 * metrics exporter, the real Prometheus (`/usr/bin/prometheus`) scraping it
 * every second and evaluating an error-ratio alert rule, the real
 * Alertmanager (`/usr/bin/prometheus-alertmanager`) posting its webhook to
 * this plugin's `POST /alerts` with a bearer token. checkout is switched to
 * the bad 2.5.0-beta release (8% of requests answer 500): the rule fires,
 * Alertmanager delivers it, checkout gets a diagnosis and its owner one
 * notification; switched to the healthy 2.4.0, the rule resolves and
 * Alertmanager's resolved notification closes the alert.
 *
 * The bearer token is the test backend's service token (its httpAuth is
 * Backstage's mock, which accepts it as the service principal
 * `external:alertmanager`); in a real backend it is a
 * `backend.auth.externalAccess` static token.
 *
 * Skipped with a warning when either binary is missing
 * (`apt-get install prometheus prometheus-alertmanager`).
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import type { DemoCluster } from '@kubecopilot/demo-cluster';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  backendConfig,
  CHECKOUT,
  component,
  shopScenarios,
} from '../__testUtils__/demoBackend';

jest.setTimeout(180_000);

const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const installed = fs.existsSync(PROMETHEUS) && fs.existsSync(ALERTMANAGER);
if (!installed) {
  // eslint-disable-next-line no-console
  console.warn(
    `${PROMETHEUS} or ${ALERTMANAGER} is missing (apt-get install prometheus prometheus-alertmanager): skipping the Alertmanager integration test`,
  );
}

const IMAGE = 'ghcr.io/kubecopilot-demo/checkout';
const token = mockCredentials.service.token({
  onBehalfOf: mockCredentials.service('external:alertmanager'),
  targetPluginId: 'kubecopilot',
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Daemon {
  url: string;
  stop(): Promise<void>;
}

/** Runs `binary` in a temporary directory until `${url}/-/ready` answers. */
async function daemon(
  binary: string,
  files: Record<string, string>,
  args: (dir: string, port: number) => string[],
): Promise<Daemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecopilot-alerts-'));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), content);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child: ChildProcess = spawn(binary, args(dir, port), {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 30));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>(resolve =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/-/ready`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (res.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`${binary} did not start:\n${output.join('\n')}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

/** The rule: a Deployment answering more than 5% of its requests with 5xx. */
const RULES = `groups:
  - name: kubecopilot-demo
    interval: 1s
    rules:
      - alert: HighErrorRatio
        expr: |
          sum by (namespace, deployment) (rate(http_requests_total{code=~"5.."}[5s]))
            / sum by (namespace, deployment) (rate(http_requests_total[5s])) > 0.05
        labels:
          severity: critical
          cluster: demo
        annotations:
          summary: '{{ $labels.deployment }} answers {{ $value | humanizePercentage }} of requests with 5xx'
`;

(installed ? describe : describe.skip)(
  'Prometheus → Alertmanager → POST /alerts',
  () => {
    let cluster: DemoCluster;
    let server: Server;
    let prometheus: Daemon | undefined;
    let alertmanager: Daemon | undefined;
    const sent: Array<{ at: number; options: any }> = [];

    beforeAll(async () => {
      const { startDemoCluster } = await import('@kubecopilot/demo-cluster');
      await import('@kubernetes/client-node');
      cluster = await startDemoCluster({
        port: 0,
        podStartupMs: 50,
        metricsPort: 0,
        scenarios: shopScenarios(),
      });
      const { kubecopilotPlugin } = await import('../plugin');
      const kubernetes = await import('@backstage/plugin-kubernetes-backend');
      const backend = await startTestBackend({
        features: [
          kubecopilotPlugin,
          kubernetes.default,
          catalogServiceMock.factory({
            entities: [component('checkout'), component('storefront')],
          }),
          mockServices.rootConfig.factory({ data: backendConfig(cluster) }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({
              send: async (options: any) => {
                sent.push({ at: Date.now(), options });
              },
            }),
          }),
        ],
      });
      server = backend.server;
      const backendPort = (server.address() as AddressInfo).port;

      alertmanager = await daemon(
        ALERTMANAGER,
        {
          'alertmanager.yml': JSON.stringify({
            route: {
              receiver: 'kubecopilot',
              group_by: ['alertname', 'namespace', 'deployment'],
              group_wait: '1s',
              group_interval: '1s',
              repeat_interval: '1h',
            },
            receivers: [
              {
                name: 'kubecopilot',
                webhook_configs: [
                  {
                    url: `http://127.0.0.1:${backendPort}/api/kubecopilot/alerts`,
                    send_resolved: true,
                    http_config: {
                      authorization: { type: 'Bearer', credentials: token },
                    },
                  },
                ],
              },
            ],
          }),
        },
        (dir, port) => [
          `--config.file=${path.join(dir, 'alertmanager.yml')}`,
          `--storage.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // No gossip: one instance, no cluster port.
          '--cluster.listen-address=',
          '--log.level=warn',
        ],
      );
      prometheus = await daemon(
        PROMETHEUS,
        {
          'rules.yml': RULES,
          'prometheus.yml': JSON.stringify({
            global: {
              scrape_interval: '1s',
              scrape_timeout: '1s',
              evaluation_interval: '1s',
            },
            rule_files: ['rules.yml'],
            alerting: {
              alertmanagers: [
                {
                  static_configs: [
                    { targets: [alertmanager.url.replace('http://', '')] },
                  ],
                },
              ],
            },
            scrape_configs: [
              {
                job_name: 'kubecopilot-demo-cluster',
                static_configs: [
                  { targets: [`127.0.0.1:${cluster.metricsPort}`] },
                ],
              },
            ],
          }),
        },
        (dir, port) => [
          `--config.file=${path.join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
      );
    });

    afterAll(async () => {
      await prometheus?.stop();
      await alertmanager?.stop();
      await cluster?.stop();
    });

    async function until<T>(
      what: string,
      check: () => Promise<T | undefined> | T | undefined,
      timeoutMs = 60_000,
    ): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value) return value;
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting until ${what}`);
        }
        await new Promise(r => setTimeout(r, 250));
      }
    }

    /** Switches checkout's container image, as a rollout would. */
    async function release(tag: string) {
      const { AppsV1Api, KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      kc.loadFromString(cluster.kubeconfig());
      const apps = kc.makeApiClient(AppsV1Api);
      const current = await apps.readNamespacedDeployment({
        name: 'checkout',
        namespace: 'shop',
      });
      current.spec!.template.spec!.containers[0].image = `${IMAGE}:${tag}`;
      await apps.replaceNamespacedDeployment({
        name: 'checkout',
        namespace: 'shop',
        body: current,
      });
    }

    const alerts = async (query = '') =>
      (
        await request(server)
          .get(`/api/kubecopilot/alerts${query}`)
          .set('authorization', `Bearer ${token}`)
      ).body.items as any[];

    it('fires on checkout’s error ratio, diagnoses and notifies once, and closes when resolved', async () => {
      const released = Date.now();
      await release('2.5.0-beta');

      const [firing] = await until('the alert arrives, diagnosed', async () => {
        const items = await alerts('?status=firing');
        return items.length > 0 && items[0].notifiedAt ? items : undefined;
      });
      expect(firing).toMatchObject({
        alertname: 'HighErrorRatio',
        status: 'firing',
        entityRef: CHECKOUT,
        ownerRef: 'group:default/team-shop',
        labels: {
          alertname: 'HighErrorRatio',
          cluster: 'demo',
          namespace: 'shop',
          deployment: 'checkout',
          severity: 'critical',
        },
        mapping: `Deployment shop/checkout in demo has backstage.io/kubernetes-id=checkout → ${CHECKOUT}`,
        diagnosisId: expect.any(String),
        diagnosisSummary: expect.any(String),
      });
      expect(firing.annotations.summary).toMatch(
        /^checkout answers \d+(\.\d+)?% of requests with 5xx$/,
      );
      expect(sent).toHaveLength(1);
      expect(sent[0].options).toMatchObject({
        recipients: { type: 'entity', entityRef: CHECKOUT },
        payload: {
          title: 'HighErrorRatio firing for checkout',
          severity: 'critical',
          description: expect.stringContaining(
            `KubeCopilot's diagnosis: ${firing.diagnosisSummary}`,
          ),
        },
      });
      // eslint-disable-next-line no-console
      console.log(
        `release → owner notified: ${
          sent[0].at - released
        } ms (scrape 1 s, rule window 5 s, group_wait 1 s)`,
      );

      await release('2.4.0');
      const [resolved] = await until(
        'Alertmanager reports it resolved',
        async () => {
          const items = await alerts('?status=resolved');
          return items.length > 0 ? items : undefined;
        },
        90_000,
      );
      expect(resolved).toMatchObject({
        id: firing.id,
        status: 'resolved',
        endsAt: expect.any(String),
      });
      expect(await alerts('?status=firing')).toEqual([]);
      // Alertmanager re-sent the group while it changed: nothing twice.
      expect(await alerts()).toHaveLength(1);
      expect(sent).toHaveLength(1);
    });
  },
);
