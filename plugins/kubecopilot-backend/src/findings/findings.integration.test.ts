/**
 * The findings scan end to end, with the real Kubernetes backend against the
 * demo cluster: it opens findings for crash-looping checkout and none for
 * healthy storefront, notifies checkout's owner once however often it runs,
 * and resolves the findings after a plan (approved and executed by people)
 * rolls checkout back to a good version.
 */
import {
  createServiceFactory,
  coreServices,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
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
import { FINDINGS_SCAN_TASK_ID } from './createFindings';

jest.setTimeout(120_000);

const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');
const STOREFRONT = 'component:default/storefront';

describe('the findings scan on the demo cluster', () => {
  let cluster: DemoCluster;
  let server: Server;
  const tasks = new Map<string, SchedulerServiceTaskFunction>();
  const sent: any[] = [];
  const writes: string[] = [];

  beforeAll(async () => {
    cluster = await startShopCluster(writes);
    const { kubecopilotPlugin } = await import('../plugin');
    const kubernetes = await import('@backstage/plugin-kubernetes-backend');
    const backend = await startTestBackend({
      features: [
        kubecopilotPlugin,
        kubernetes.default,
        catalogServiceMock.factory({
          entities: [component('checkout'), component('storefront')],
        }),
        mockServices.rootConfig.factory({
          data: backendConfig(cluster, {
            kubecopilot: {
              findings: {
                scan: {
                  enabled: true,
                  schedule: {
                    frequency: { minutes: 10 },
                    timeout: { minutes: 2 },
                  },
                },
              },
            },
          }),
        }),
        // Tasks are kept and run when the test says, not on a timer.
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () =>
            ({
              scheduleTask: async (task: any) => {
                tasks.set(task.id, task.fn);
              },
              triggerTask: async () => {},
              getScheduledTasks: async () => [],
              createScheduledTaskRunner: () => ({ run: async () => {} }),
              cancelTask: async () => {},
            } as any),
        }),
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

  const scan = async () => {
    const fn = tasks.get(FINDINGS_SCAN_TASK_ID);
    expect(fn).toBeDefined();
    await fn!(new AbortController().signal);
  };
  const findings = async (query: string) => {
    const res = await request(server)
      .get(`/api/kubecopilot/findings?${query}`)
      .set('authorization', alice);
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };
  const image = (object: any) =>
    object?.spec?.template?.spec?.containers?.[0]?.image;
  const deployment = () =>
    cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout') as any;

  async function until(what: string, check: () => boolean, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting until ${what}`);
      await new Promise(r => setTimeout(r, 50));
    }
  }

  it('opens findings for checkout only, and notifies its owner once', async () => {
    await scan();
    const open = await findings('status=open');
    expect(open.length).toBeGreaterThan(0);
    expect(new Set(open.map(f => f.entityRef))).toEqual(new Set([CHECKOUT]));
    // The crash, and what it causes: the Deployment unavailable.
    expect(open.map(f => f.code)).toEqual(
      expect.arrayContaining(['CrashLoopBackOff', 'DeploymentUnavailable']),
    );
    for (const f of open) {
      expect(f).toMatchObject({
        status: 'open',
        ownerRef: 'group:default/team-shop',
        cluster: 'demo',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(f.firstSeen).toBe(f.lastSeen);
    }
    expect(await findings(`entityRef=${STOREFRONT}`)).toEqual([]);

    // One notification per severity among the findings opened.
    expect(sent).toHaveLength(new Set(open.map(f => f.severity)).size);
    for (const notification of sent) {
      expect(notification.recipients).toEqual({
        type: 'entity',
        entityRef: CHECKOUT,
      });
      expect(notification.payload).toMatchObject({
        link: '/catalog/default/component/checkout/kubecopilot-diagnose',
        topic: expect.stringMatching(
          /^kubecopilot-findings-(critical|error|warning)$/,
        ),
      });
    }
    const told = sent.length;
    expect((await findings('status=open')).every(f => f.notifiedAt)).toBe(true);

    // Still failing: updated, not announced again.
    await scan();
    expect(sent).toHaveLength(told);
    const again = await findings('status=open');
    expect(again.map(f => f.fingerprint).sort()).toEqual(
      open.map(f => f.fingerprint).sort(),
    );
    expect(again.every(f => f.lastSeen > f.firstSeen)).toBe(true);
    // No plan is drafted by default, and the scan wrote nothing.
    expect(again.every(f => f.planId === undefined)).toBe(true);
    expect(writes).toEqual([]);
  });

  it('answers 400 for a malformed filter and filters by owner and severity', async () => {
    const bad = await request(server)
      .get('/api/kubecopilot/findings?status=closed')
      .set('authorization', alice);
    expect(bad.status).toBe(400);
    expect(await findings('owner=team-shop&status=open')).not.toEqual([]);
    expect(await findings('owner=group:default/nobody')).toEqual([]);
    const errors = await findings('severity=error');
    expect(errors.every(f => f.severity === 'error')).toBe(true);
  });

  it('resolves checkout\u2019s findings once a plan people approved and executed fixed it', async () => {
    const { body: plan, status } = await request(server)
      .post('/api/kubecopilot/plans')
      .set('authorization', alice)
      .send({ entityRef: CHECKOUT, intent: 'roll back checkout' });
    expect(status).toBe(201);
    const act = (what: string) =>
      request(server)
        .post(`/api/kubecopilot/plans/${plan.id}/${what}`)
        .set('authorization', bob)
        .send({});
    expect((await act('approve')).status).toBe(200);
    expect((await act('execute')).body.status).toBe('executed');
    await until(
      'checkout is 1/1 ready on 2.2.0',
      () =>
        deployment().status?.readyReplicas === 1 &&
        image(deployment()).endsWith(':2.2.0') &&
        cluster
          .listObjects('v1', 'Pod', 'shop')
          .filter((p: any) => p.metadata.labels?.app === 'checkout')
          .every((p: any) => p.spec.containers[0].image.endsWith(':2.2.0')),
    );

    const before = sent.length;
    const wasOpen = await findings('status=open');
    await scan();
    expect(await findings('status=open')).toEqual([]);
    const resolved = await findings(`status=resolved&entityRef=${CHECKOUT}`);
    expect(resolved.map(f => f.fingerprint).sort()).toEqual(
      wasOpen.map(f => f.fingerprint).sort(),
    );
    expect(resolved.every(f => f.resolvedAt)).toBe(true);
    // Resolving tells no one.
    expect(sent).toHaveLength(before);
  });
});
