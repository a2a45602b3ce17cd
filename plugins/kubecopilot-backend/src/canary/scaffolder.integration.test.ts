/**
 * The "Canary release with KubeCopilot" template run by the real scaffolder
 * backend, with this plugin, the real Kubernetes backend and the demo
 * cluster in the same test backend: the task's step drafts a pending canary
 * plan as the user who ran the template, and the plan is in the inbox.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { backendConfig, component } from '../__testUtils__/demoBackend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleKubecopilot from '@kubecopilot/backstage-plugin-scaffolder-backend-module-kubecopilot';
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { kubecopilotPlugin } from '../plugin';
import { fakeLlmConfig, startFakeLlm } from '../resilience/__testUtils__/fakeLlm';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../../../..');
const alice = mockCredentials.user.header('user:default/alice');

const template = parse(
  readFileSync(`${ROOT}/examples/templates/canary-release.yaml`, 'utf8'),
) as Entity;
template.metadata.namespace = 'default';
const blueGreenTemplate = parse(
  readFileSync(`${ROOT}/examples/templates/blue-green-release.yaml`, 'utf8'),
) as Entity;
blueGreenTemplate.metadata.namespace = 'default';

const checkout = component('checkout');

describe('the canary template through the real scaffolder backend', () => {
  let cluster: DemoCluster;
  let server: Server;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  const RATIONALE =
    'The canary checkout-canary takes a share of the pods first; the error-rate and p99 gates roll it back before deployment/checkout is promoted.';

  beforeAll(async () => {
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      podStartupMs: 50,
      scenarios: [`${ROOT}/examples/scenarios/cluster.yaml`, `${ROOT}/examples/scenarios/checkout.yaml`],
    });
    // An OpenAI-compatible model writes the rationale (and only that).
    llm = await startFakeLlm();
    llm.set({ type: 'answer', content: { rationale: RATIONALE } });
    const backend = await startTestBackend({
      features: [
        kubecopilotPlugin,
        kubernetesPlugin,
        scaffolderPlugin,
        scaffolderModuleKubecopilot,
        catalogServiceMock.factory({
          entities: [checkout, template, blueGreenTemplate],
        }),
        mockServices.rootConfig.factory({
          data: backendConfig(cluster, {
            kubecopilot: {
              llm: fakeLlmConfig(llm.baseUrl),
              prometheus: { clusters: [{ cluster: 'demo', baseUrl: 'http://127.0.0.1:9' }] },
            },
          }),
        }),
      ],
    });
    server = backend.server;
  });

  afterAll(async () => {
    await llm?.stop();
    await cluster?.stop();
  });

  it('drafts a pending canary plan as the user who ran the template; nothing changes in the cluster', async () => {
    const imageBefore = (cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout') as any)
      .spec.template.spec.containers[0].image;
    const started = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', alice)
      .send({
        templateRef: 'template:default/kubecopilot-canary-release',
        values: {
          entity: 'component:default/checkout',
          workload: 'checkout',
          image: '2.4.0',
          steps: [10, 50, 100],
          maxErrorRatePercent: 1,
          maxP99LatencyMs: 500,
          confirmPromotion: true,
        },
      });
    expect(started.body.error).toBeUndefined();
    expect(started.status).toBe(201);

    let task: any;
    for (let i = 0; i < 200; i++) {
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${started.body.id}`)
          .set('authorization', alice)
      ).body;
      if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
      if (i === 199) throw new Error(JSON.stringify(task));
      await new Promise(r => setTimeout(r, 250));
    }
    if (task.status !== 'completed') {
      const events = await request(server)
        .get(`/api/scaffolder/v2/tasks/${started.body.id}/events`)
        .set('authorization', alice);
      throw new Error(
        `task ${task.status}: ${events.body.map((e: any) => e.body?.message).join(' | ')}`,
      );
    }
    // The task's output comes with its completion event.
    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${started.body.id}/events`)
      .set('authorization', alice);
    const output = events.body.find((e: any) => e.type === 'completion').body.output;
    const planUrl: string = output.links[0].url;
    const planId = new URL(planUrl, 'http://x').searchParams.get('plan')!;
    expect(output.text[0].content).toMatch(/\*\*\d+ steps\*\*, is \*\*(low|medium|high)\*\* risk/);

    const inbox = await request(server)
      .get('/api/kubecopilot/plans?status=pending')
      .set('authorization', alice);
    const plan = inbox.body.items.find((p: any) => p.id === planId);
    expect(plan).toMatchObject({
      status: 'pending',
      action: 'canary',
      entityRef: 'component:default/checkout',
      audit: { requestedBy: 'user:default/alice' },
      params: {
        image: 'ghcr.io/kubecopilot-demo/checkout:2.4.0',
        maxErrorRate: 0.01,
        maxP99LatencyMs: 500,
        confirmPromotion: true,
      },
    });
    expect(plan.steps.map((s: any) => s.id)).toContain('confirm-promotion');
    // The model wrote the rationale; the generator's steps follow it unchanged.
    expect(plan).toMatchObject({ rationaleSource: 'llm', model: 'fake-model', promptVersion: 'canary-rationale/v1' });
    expect(plan.aiRationale).toContain(RATIONALE);
    expect(plan.aiRationale).toMatch(/Steps:\n1\. Create Deployment checkout-canary/);
    expect(llm.calls).toHaveLength(1);
    expect(
      (cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout') as any).spec.template.spec
        .containers[0].image,
    ).toBe(imageBefore);
    expect(cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout-canary')).toBeUndefined();
  });

  it('the blue-green template drafts a pending, high-risk blue-green plan; nothing changes in the cluster', async () => {
    const serviceBefore = cluster.getObject('v1', 'Service', 'shop', 'checkout') as any;
    const started = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', alice)
      .send({
        templateRef: 'template:default/kubecopilot-blue-green-release',
        values: {
          entity: 'component:default/checkout',
          workload: 'checkout',
          image: '2.4.0',
          maxErrorRatePercent: 1,
          maxP99LatencyMs: 500,
          confirmSwitch: true,
          bakeSeconds: 300,
        },
      });
    expect(started.status).toBe(201);
    let task: any;
    for (let i = 0; i < 200 && !['completed', 'failed', 'cancelled'].includes(task?.status); i++) {
      await new Promise(r => setTimeout(r, 250));
      task = (
        await request(server).get(`/api/scaffolder/v2/tasks/${started.body.id}`).set('authorization', alice)
      ).body;
    }
    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${started.body.id}/events`)
      .set('authorization', alice);
    expect(`${task.status}: ${events.body.map((e: any) => e.body?.message).join(' | ')}`).toMatch(/^completed/);
    const output = events.body.find((e: any) => e.type === 'completion').body.output;
    const planId = new URL(output.links[0].url, 'http://x').searchParams.get('plan')!;
    expect(output.text[0].content).toContain('is **high** risk (the switch moves all traffic at once)');
    const plan = (
      await request(server).get(`/api/kubecopilot/plans/${planId}`).set('authorization', alice)
    ).body;
    expect(plan).toMatchObject({
      status: 'pending',
      action: 'blue-green',
      audit: { requestedBy: 'user:default/alice' },
      params: { image: 'ghcr.io/kubecopilot-demo/checkout:2.4.0', confirmSwitch: true, bakeSeconds: 300 },
      risk: { level: 'high' },
    });
    expect(plan.steps.map((s: any) => s.id)).toContain('switch-service');
    expect(cluster.getObject('v1', 'Service', 'shop', 'checkout')).toEqual(serviceBefore);
    expect(cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout-green')).toBeUndefined();
  });
});
