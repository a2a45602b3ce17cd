/**
 * The findings scan end to end, with the real Kubernetes backend against the
 * demo cluster: it opens findings for crash-looping checkout and none for
 * healthy storefront, notifies checkout's owner once however often it runs,
 * and resolves the findings after a plan (approved and executed by people)
 * rolls checkout back to a good version. Then the postmortem of that
 * incident: its timeline in order (findings, alert, diagnoses, the plan's
 * audit entries), the audit chain verified, exported as Markdown, edited
 * as a new version.
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
  until,
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
  const incidentStart = new Date(Date.now() - 1000);

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

  it('drafts the incident’s postmortem: timeline in order, audit verified, Markdown, versions', async () => {
    // Alertmanager had paged for it too (posted as its webhook would).
    const alertmanager = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('external:alertmanager'),
      targetPluginId: 'kubecopilot',
    });
    const alert = (status: 'firing' | 'resolved') => ({
      version: '4',
      groupKey: '{}:{alertname="HighErrorRatio"}',
      status,
      receiver: 'kubecopilot',
      groupLabels: { alertname: 'HighErrorRatio' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://127.0.0.1:9093',
      truncatedAlerts: 0,
      alerts: [
        {
          status,
          labels: {
            alertname: 'HighErrorRatio',
            cluster: 'demo',
            namespace: 'shop',
            deployment: 'checkout',
            severity: 'critical',
          },
          annotations: {
            summary: 'checkout answers 100% of requests with 5xx',
          },
          startsAt: new Date(incidentStart.getTime() + 500).toISOString(),
          endsAt:
            status === 'resolved'
              ? new Date().toISOString()
              : '0001-01-01T00:00:00Z',
          generatorURL: 'http://127.0.0.1:9090/graph',
          fingerprint: '5d1c0aa2e4b39f77',
        },
      ],
    });
    for (const status of ['firing', 'resolved'] as const) {
      const res = await request(server)
        .post('/api/kubecopilot/alerts')
        .set('authorization', alertmanager)
        .send(alert(status));
      expect(res.status).toBe(200);
    }

    const created = await request(server)
      .post('/api/kubecopilot/postmortems')
      .set('authorization', alice)
      .send({
        entityRef: CHECKOUT,
        from: incidentStart.toISOString(),
        to: new Date().toISOString(),
      });
    expect(created.status).toBe(201);
    const pm = created.body;
    expect(pm).toMatchObject({
      version: 1,
      entityRef: CHECKOUT,
      title: expect.stringMatching(/^Postmortem: checkout, \d{4}-\d\d-\d\d$/),
      createdBy: 'user:default/alice',
      auditVerification: { ok: true },
      errors: [],
    });
    const times = pm.timeline.map((e: any) => e.at);
    expect(times).toEqual([...times].sort());
    const texts: string[] = pm.timeline.map((e: any) => e.text);
    const index = (pattern: RegExp) => {
      const i = texts.findIndex(t => pattern.test(t));
      expect({ pattern: String(pattern), found: i >= 0 }).toEqual({
        pattern: String(pattern),
        found: true,
      });
      return i;
    };
    // The story in order: paged, found, diagnosed, fixed by people, gone.
    const fired = index(/^Alert HighErrorRatio firing: checkout answers/);
    const opened = index(/^Finding opened \(error\): CrashLoopBackOff/);
    const diagnosed = index(/^Diagnosis \(rules\): /);
    const drafted = index(
      /^Plan drafted by user:default\/alice: rollback Deployment shop\/checkout/,
    );
    const approved = index(
      /^Plan approved by user:default\/bob: rollback Deployment shop\/checkout/,
    );
    const executed = index(
      /^Plan executed by user:default\/bob: rollback Deployment shop\/checkout/,
    );
    const resolvedFinding = index(/^Finding resolved: CrashLoopBackOff/);
    const resolvedAlert = index(/^Alert HighErrorRatio resolved$/);
    expect(fired).toBeLessThan(opened);
    expect(opened).toBeLessThan(diagnosed);
    expect(drafted).toBeLessThan(approved);
    expect(approved).toBeLessThan(executed);
    expect(executed).toBeLessThan(resolvedFinding);
    expect(executed).toBeLessThan(resolvedAlert);
    expect(pm.actionsTaken).toEqual([
      expect.stringMatching(
        /rollback Deployment shop\/checkout \(plan .+\) executed by user:default\/bob \[audit:\d+\]$/,
      ),
    ]);
    expect(pm.probableCause.refs[0]).toMatch(/^diagnosis:/);
    // Everything was resolved: nothing left but what people add.
    expect(pm.actionItems).toEqual([]);

    const markdown = await request(server)
      .get(`/api/kubecopilot/postmortems/${pm.id}?format=markdown`)
      .set('authorization', alice);
    expect(markdown.status).toBe(200);
    expect(markdown.headers['content-type']).toBe(
      'text/markdown; charset=utf-8',
    );
    expect(markdown.text).toBe(pm.markdown);
    expect(markdown.text).toMatch(/^# Postmortem: checkout, /);
    expect(markdown.text).toContain(
      `| Audit chain | verified: ${pm.auditVerification.checked} entries intact |`,
    );
    expect(markdown.text).toContain('| Time | Source | What | Ref |');

    // People edit it: a new version; a stale edit is refused; v1 stays.
    const edited = `${pm.markdown}\n## Lessons\n\n- Check required variables before release.\n`;
    const v2 = await request(server)
      .put(`/api/kubecopilot/postmortems/${pm.id}`)
      .set('authorization', bob)
      .send({ markdown: edited, baseVersion: 1 });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({
      version: 2,
      updatedBy: 'user:default/bob',
    });
    const stale = await request(server)
      .put(`/api/kubecopilot/postmortems/${pm.id}`)
      .set('authorization', alice)
      .send({ markdown: 'mine', baseVersion: 1 });
    expect(stale.status).toBe(409);
    const latest = await request(server)
      .get(`/api/kubecopilot/postmortems/${pm.id}?format=markdown`)
      .set('authorization', alice);
    expect(latest.text).toBe(edited);
    const first = await request(server)
      .get(`/api/kubecopilot/postmortems/${pm.id}?version=1`)
      .set('authorization', alice);
    expect(first.body.markdown).toBe(pm.markdown);
    const listed = await request(server)
      .get(`/api/kubecopilot/postmortems?entityRef=${CHECKOUT}`)
      .set('authorization', alice);
    expect(listed.body.items.map((p: any) => [p.id, p.version])).toEqual([
      [pm.id, 2],
    ]);
  });
});
