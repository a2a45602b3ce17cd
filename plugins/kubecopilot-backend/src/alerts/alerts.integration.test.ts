/**
 * Alertmanager in, through the HTTP API with the real Kubernetes backend
 * and the demo cluster: webhook payloads shaped exactly as Alertmanager 0.25
 * sends them (version 4). A firing alert on checkout's Deployment maps to
 * component:default/checkout through the Deployment's kubernetes-id label,
 * gets a diagnosis and notifies the owner with its summary; an alert about
 * nothing in the catalog is kept and listed; a retried webhook changes
 * nothing; the resolved notification closes both.
 *
 * The same flow with the real prometheus and prometheus-alertmanager
 * binaries is `alertmanager.integration.test.ts`.
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
import type { Server } from 'node:http';
import request from 'supertest';
import {
  backendConfig,
  CHECKOUT,
  component,
  startShopCluster,
} from '../__testUtils__/demoBackend';

jest.setTimeout(120_000);

const alice = mockCredentials.user.header('user:default/alice');
const alertmanager = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('external:alertmanager'),
  targetPluginId: 'kubecopilot',
});

const GROUP_KEY =
  '{}/{severity=~"critical|warning"}:{alertname="CheckoutErrorRatioHigh"}';

/** A webhook exactly as Alertmanager 0.25 posts it. */
function webhook(status: 'firing' | 'resolved') {
  const endsAt =
    status === 'resolved' ? '2026-12-07T00:41:30.012Z' : '0001-01-01T00:00:00Z';
  return {
    receiver: 'kubecopilot',
    status,
    alerts: [
      {
        status,
        labels: {
          alertname: 'CheckoutErrorRatioHigh',
          cluster: 'demo',
          namespace: 'shop',
          deployment: 'checkout',
          severity: 'critical',
        },
        annotations: {
          summary: 'checkout answers 42% of requests with 5xx',
        },
        startsAt: '2026-12-07T00:35:10.512Z',
        endsAt,
        generatorURL:
          'http://127.0.0.1:9090/graph?g0.expr=sum+by%28namespace%2C+deployment%29+%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B1m%5D%29%29&g0.tab=1',
        fingerprint: '3b2a6c1f0e9d8a77',
      },
      {
        status,
        labels: {
          alertname: 'CheckoutErrorRatioHigh',
          cluster: 'demo',
          namespace: 'legacy',
          deployment: 'mainframe-bridge',
          severity: 'warning',
        },
        annotations: { summary: 'mainframe-bridge answers 12% with 5xx' },
        startsAt: '2026-12-07T00:35:10.512Z',
        endsAt,
        generatorURL: 'http://127.0.0.1:9090/graph',
        fingerprint: 'a0c4e2d17b5f9301',
      },
    ],
    groupLabels: { alertname: 'CheckoutErrorRatioHigh' },
    commonLabels: { alertname: 'CheckoutErrorRatioHigh', cluster: 'demo' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    version: '4',
    groupKey: GROUP_KEY,
    truncatedAlerts: 0,
  };
}

describe('Alertmanager webhook intake on the demo cluster', () => {
  let cluster: DemoCluster;
  let server: Server;
  const sent: any[] = [];

  beforeAll(async () => {
    cluster = await startShopCluster();
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
              sent.push(options);
            },
          }),
        }),
      ],
    });
    server = backend.server;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const post = (body: object, as = alertmanager) =>
    request(server)
      .post('/api/kubecopilot/alerts')
      .set('authorization', as)
      .send(body);
  const list = async (query = '') => {
    const res = await request(server)
      .get(`/api/kubecopilot/alerts${query}`)
      .set('authorization', alice);
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };
  const diagnosesOfCheckout = async () =>
    (
      await request(server)
        .get(`/api/kubecopilot/diagnoses?entityRef=${CHECKOUT}&limit=50`)
        .set('authorization', alice)
    ).body.items.length;

  it('takes webhooks from service principals only, in version 4', async () => {
    expect((await post(webhook('firing'), alice)).status).toBe(403);
    const unauthenticated = await request(server)
      .post('/api/kubecopilot/alerts')
      .set('authorization', mockCredentials.service.invalidHeader())
      .send(webhook('firing'));
    expect(unauthenticated.status).toBe(401);
    const v3 = await post({ ...webhook('firing'), version: '3' });
    expect(v3.status).toBe(400);
    expect(await list()).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('diagnoses a firing alert, notifies the owner once, keeps the unknown one, and closes both when resolved', async () => {
    const first = await post(webhook('firing'));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      received: 2,
      fired: 2,
      resolved: 0,
      unchanged: 0,
      unmapped: 1,
    });

    const firing = await list('?status=firing');
    expect(firing).toHaveLength(2);
    const checkout = firing.find(a => a.labels.deployment === 'checkout');
    expect(checkout).toMatchObject({
      status: 'firing',
      alertname: 'CheckoutErrorRatioHigh',
      groupKey: GROUP_KEY,
      fingerprint: '3b2a6c1f0e9d8a77',
      startsAt: '2026-12-07T00:35:10.512Z',
      entityRef: CHECKOUT,
      ownerRef: 'group:default/team-shop',
      mapping: `Deployment shop/checkout in demo has backstage.io/kubernetes-id=checkout → ${CHECKOUT}`,
      diagnosisId: expect.any(String),
      diagnosisSummary: expect.stringContaining('checkout'),
      notifiedAt: expect.any(String),
    });
    expect(checkout.endsAt).toBeUndefined();
    const unknown = firing.find(
      a => a.labels.deployment === 'mainframe-bridge',
    );
    expect(unknown.entityRef).toBeUndefined();
    expect(unknown.diagnosisId).toBeUndefined();
    expect(unknown.mapping).toMatch(
      /^Deployment legacy\/mainframe-bridge could not be read .*: no catalog entity with backstage.io\/kubernetes-id: mainframe-bridge$/,
    );

    // The diagnosis is a stored one, attached by id.
    const stored = await request(server)
      .get(`/api/kubecopilot/diagnoses?entityRef=${CHECKOUT}`)
      .set('authorization', alice);
    expect(stored.body.items[0].id).toBe(checkout.diagnosisId);
    expect(stored.body.items[0].source).toBe('rules');

    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: CHECKOUT },
        payload: {
          title: 'CheckoutErrorRatioHigh firing for checkout',
          description: `checkout answers 42% of requests with 5xx\nKubeCopilot's diagnosis: ${checkout.diagnosisSummary}`,
          link: '/catalog/default/component/checkout/kubecopilot-diagnose',
          severity: 'critical',
          topic: 'kubecopilot-alerts',
          scope: `kubecopilot-alert:${checkout.id}`,
        },
      },
    ]);

    // Alertmanager retries (and re-sends every repeat_interval): nothing twice.
    const diagnoses = await diagnosesOfCheckout();
    const retry = await post(webhook('firing'));
    expect(retry.body).toMatchObject({ received: 2, fired: 0, unchanged: 2 });
    expect(await list()).toHaveLength(2);
    expect(sent).toHaveLength(1);
    expect(await diagnosesOfCheckout()).toBe(diagnoses);

    const resolved = await post(webhook('resolved'));
    expect(resolved.body).toMatchObject({ received: 2, resolved: 2, fired: 0 });
    expect(await list('?status=firing')).toEqual([]);
    const closed = await list('?status=resolved');
    expect(closed.map(a => a.endsAt)).toEqual([
      '2026-12-07T00:41:30.012Z',
      '2026-12-07T00:41:30.012Z',
    ]);
    expect((await post(webhook('resolved'))).body).toMatchObject({
      unchanged: 2,
    });
    // A late retry of "firing" does not reopen a resolved episode.
    expect((await post(webhook('firing'))).body).toMatchObject({
      unchanged: 2,
    });
    expect(await list('?status=firing')).toEqual([]);
    expect(sent).toHaveLength(1);

    expect(
      (await list(`?entityRef=${CHECKOUT}`)).map(a => a.fingerprint),
    ).toEqual(['3b2a6c1f0e9d8a77']);
  });
});
