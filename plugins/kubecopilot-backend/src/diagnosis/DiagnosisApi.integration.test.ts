/**
 * The diagnosis API for real: the real @backstage/plugin-kubernetes-backend
 * and the diagnosis service behind its HTTP routes, against the demo cluster
 * loaded with every shipped scenario. No LLM: the rules must get each one
 * right on their own.
 */
import {
  Diagnosis,
  diagnosisSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import { Server } from 'node:http';
import request from 'supertest';
import { scenarioFile } from './__testUtils__/checkoutFixture';
import {
  exampleEntities,
  startDiagnosisBackend,
} from './__testUtils__/diagnosisBackend';

jest.setTimeout(120_000);

describe('POST /api/kubecopilot/diagnoses against the demo cluster', () => {
  let demo: DemoCluster;
  let server: Server;

  beforeAll(async () => {
    // See integration.test.ts: transform the lazily imported client up front.
    await import('@kubernetes/client-node');
    demo = await startDemoCluster({
      port: 0,
      scenarios: [scenarioFile('demo')],
    });
    ({ server } = await startDiagnosisBackend({
      clusters: { demo },
      entities: exampleEntities(),
    }));
  });

  afterAll(async () => {
    await demo?.stop();
  });

  async function diagnose(name: string): Promise<Diagnosis> {
    const res = await request(server)
      .post('/api/kubecopilot/diagnoses')
      .send({ entityRef: `component:default/${name}` });
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    return diagnosisSchema.parse(res.body);
  }

  const codesOf = (d: Diagnosis) => [...new Set(d.findings.map(f => f.code))];

  it.each([
    ['checkout', ['CrashLoopBackOff']],
    ['recommendations', ['ImagePullBackOff']],
    ['image-resizer', ['OOMKilled']],
    ['ml-trainer', ['Unschedulable']],
    ['search', ['ProbeFailure']],
    ['mailer', ['MissingConfigMap']],
    ['inventory', ['ServiceNoEndpoints']],
    ['payments', ['ProgressDeadlineExceeded']],
  ])('%s: finds %j', async (name, expected) => {
    const diagnosis = await diagnose(name);
    expect(diagnosis).toMatchObject({
      entityRef: `component:default/${name}`,
      source: 'rules',
      errors: [],
    });
    expect(codesOf(diagnosis)).toEqual(expect.arrayContaining(expected));
    // Every finding is about this entity's objects only.
    for (const f of diagnosis.findings) {
      expect(f.cluster).toBe('demo');
      expect(f.resource.name).toMatch(new RegExp(`^${name}|^demo-node`));
    }
    expect(diagnosis.summary).toMatch(/^Found \d+ problems?/);
  });

  it('checkout: quotes the crash from the previous container log as evidence', async () => {
    const diagnosis = await diagnose('checkout');
    const crash = diagnosis.findings.find(f => f.code === 'CrashLoopBackOff')!;
    expect(crash.evidence).toContainEqual(
      expect.objectContaining({
        type: 'log',
        path: expect.stringMatching(
          /^pods\/checkout-[a-z0-9-]+\/log\?container=checkout&previous=true$/,
        ),
        lines: expect.arrayContaining([
          'Error: Missing required environment variable PAYMENT_GATEWAY_URL',
        ]),
      }),
    );
    expect(diagnosis.headline).toBe(
      'checkout is down: 2.3.1 exits because PAYMENT_GATEWAY_URL is not set',
    );
    expect(crash.proposedFix?.note).toBe(
      'A restart alone will not help: the container exits the same way after every restart.',
    );
  });

  it('storefront: healthy, no error findings', async () => {
    const diagnosis = await diagnose('storefront');
    expect(diagnosis.errors).toEqual([]);
    expect(
      diagnosis.findings.filter(f =>
        ['error', 'critical'].includes(f.severity),
      ),
    ).toEqual([]);
  });

  it('lists the stored diagnoses of an entity, newest first', async () => {
    const first = await diagnose('mailer');
    const second = await diagnose('mailer');
    const res = await request(server).get(
      '/api/kubecopilot/diagnoses?entityRef=component:default/mailer&limit=2',
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((d: Diagnosis) => d.id)).toEqual([
      second.id,
      first.id,
    ]);
  });
});
