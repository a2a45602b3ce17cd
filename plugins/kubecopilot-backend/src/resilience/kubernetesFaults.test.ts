/**
 * Kubernetes API faults, end to end: this plugin and the real Kubernetes
 * backend against the demo cluster, with faults injected into the cluster's
 * answers (500, 429 with Retry-After, hanging past the deadline, a dropped
 * connection). Reads are retried (capped) and a read that still fails leaves
 * a partial diagnosis naming it; writes are never retried and the plan fails
 * with the reason. Retry arithmetic (backoff, jitter, caps) is unit-tested in
 * src/kubernetes/retry.test.ts and HttpKubernetesBackendClient.test.ts; this
 * proves it holds through the Kubernetes backend's proxy.
 */
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import {
  CHECKOUT,
  shopScenarios,
  startResilienceBackend,
} from './__testUtils__/backend';
import { alice, bob, call } from './__testUtils__/http';

jest.setTimeout(60_000);

type Entry = { method: string; path: string; status: number };

const EVENTS = '/api/v1/namespaces/shop/events';
const WRITE = /\/deployments\/checkout\?(?!.*dryRun)/;
const DRY_RUN = /\/deployments\/checkout\?.*dryRun=All/;
const KUBERNETES_TIMEOUT_MS = 1_500;
const CALL_TIMEOUT_MS = 2_500;

describe('Kubernetes API faults', () => {
  let cluster: DemoCluster;
  let base: string;
  const requests: Entry[] = [];

  beforeAll(async () => {
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      podStartupMs: 50,
      scenarios: shopScenarios(),
      onRequest: entry => requests.push(entry),
    });
    ({ url: base } = await startResilienceBackend({
      cluster,
      config: {
        kubecopilot: {
          kubernetes: { timeoutMs: KUBERNETES_TIMEOUT_MS, readRetries: 2 },
          diagnosis: { callTimeoutMs: CALL_TIMEOUT_MS },
        },
      },
    }));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  beforeEach(() => {
    cluster.clearFaults();
    requests.length = 0;
  });

  const eventReads = () =>
    requests.filter(r => r.method === 'GET' && r.path.startsWith(EVENTS));

  async function diagnose() {
    const started = Date.now();
    const res = await call(base, 'POST', '/diagnoses', alice, {
      entityRef: CHECKOUT,
    });
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    return { diagnosis: res.body, ms: Date.now() - started };
  }

  const backOffEvidence = (diagnosis: any) =>
    diagnosis.findings
      .flatMap((f: any) => f.evidence)
      .filter((e: any) => e.type === 'event');

  describe('reads (a diagnosis)', () => {
    it('retries a 500 and answers in full', async () => {
      cluster.injectFault({
        method: 'GET',
        path: EVENTS,
        status: 500,
        times: 2,
      });
      const { diagnosis } = await diagnose();
      expect(eventReads().map(r => r.status)).toEqual([500, 500, 200]);
      expect(diagnosis.errors).toEqual([]);
      expect(backOffEvidence(diagnosis).length).toBeGreaterThan(0);
    });

    it('waits out a 429 Retry-After, then answers in full', async () => {
      cluster.injectFault({
        method: 'GET',
        path: EVENTS,
        status: 429,
        retryAfterSeconds: 1,
        times: 1,
      });
      // The Retry-After (1 s) is longer than the call deadline would allow
      // the default backoff to be; give this diagnosis room for it.
      const { diagnosis } = await diagnose();
      const reads = eventReads();
      expect(reads.map(r => r.status)).toEqual([429, 200]);
      expect(diagnosis.errors).toEqual([]);
    });

    it('retries a dropped connection', async () => {
      cluster.injectFault({
        method: 'GET',
        path: EVENTS,
        dropConnection: true,
        times: 1,
      });
      const { diagnosis } = await diagnose();
      // The dropped attempt never finishes, so only the retry is logged.
      expect(eventReads().map(r => r.status)).toEqual([200]);
      expect(diagnosis.errors).toEqual([]);
      expect(backOffEvidence(diagnosis).length).toBeGreaterThan(0);
    });

    it('gives up after the capped retries: a partial diagnosis naming what is missing', async () => {
      cluster.injectFault({ method: 'GET', path: EVENTS, status: 503 });
      const { diagnosis } = await diagnose();
      expect(eventReads().map(r => r.status)).toEqual([503, 503, 503]);
      expect(diagnosis.errors).toEqual([
        expect.stringMatching(
          /events of namespace shop could not be read: .*503/,
        ),
      ]);
      // The rules still explain the crash loop from what could be read.
      expect(diagnosis.findings.map((f: any) => f.code)).toContain(
        'CrashLoopBackOff',
      );
    });

    it('stops waiting for a hanging read at the deadline: a partial diagnosis in time', async () => {
      cluster.injectFault({ method: 'GET', path: EVENTS, hang: true });
      const { diagnosis, ms } = await diagnose();
      expect(diagnosis.errors).toEqual([
        expect.stringMatching(/events of namespace shop could not be read/),
      ]);
      expect(diagnosis.findings.map((f: any) => f.code)).toContain(
        'CrashLoopBackOff',
      );
      // One call deadline plus the rest of the work, not a wait per retry.
      expect(ms).toBeLessThan(CALL_TIMEOUT_MS + 2_000);
    });
  });

  describe('writes (executing a plan)', () => {
    async function approvedRestart() {
      const created = await call(base, 'POST', '/plans', alice, {
        entityRef: CHECKOUT,
        intent: 'restart checkout',
      });
      expect(created.status).toBe(201);
      await call(base, 'POST', `/plans/${created.body.id}/approve`, bob, {});
      return created.body.id as string;
    }
    const restartedAt = () =>
      (cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout') as any)
        .spec.template.metadata?.annotations?.[
        'kubectl.kubernetes.io/restartedAt'
      ];
    const patches = (pattern: RegExp) =>
      requests.filter(r => r.method === 'PATCH' && pattern.test(r.path));

    async function executeFailing(id: string) {
      const started = Date.now();
      const res = await call(base, 'POST', `/plans/${id}/execute`, bob);
      const { body: plan } = await call(base, 'GET', `/plans/${id}`);
      expect(plan.status).toBe('failed');
      expect(plan.error).toBe(res.body.error?.message);
      return { res, plan, ms: Date.now() - started };
    }

    it.each([
      ['a 500', { status: 500 }, /HTTP 500/],
      [
        'a 429 with Retry-After',
        { status: 429, retryAfterSeconds: 1 },
        /HTTP 429/,
      ],
    ])(
      'answers %s on the write with a failed plan, never a second write',
      async (_name, fault, reason) => {
        const id = await approvedRestart();
        const before = restartedAt();
        cluster.injectFault({ method: 'PATCH', path: WRITE, ...fault });
        const { res, plan } = await executeFailing(id);
        expect(res.status).toBe(503);
        expect(patches(DRY_RUN).map(r => r.status)).toEqual([200]);
        expect(patches(WRITE)).toHaveLength(1);
        expect(plan.execution).toMatchObject({
          dryRun: 'passed',
          outcome: 'unknown',
        });
        expect(plan.error).toMatch(reason);
        expect(plan.error).toMatch(/it was not retried/);
        expect(restartedAt()).toBe(before);
      },
    );

    it('gives up on a hanging write at the deadline, does not retry it, and says whether it happened', async () => {
      const id = await approvedRestart();
      const before = restartedAt();
      cluster.injectFault({ method: 'PATCH', path: WRITE, hang: true });
      const { res, plan, ms } = await executeFailing(id);
      expect(res.status).toBe(503);
      expect(plan.execution.outcome).toBe('unknown');
      expect(plan.error).toMatch(
        /did not answer within 1500 ms; the outcome of the write is unknown.*it was not retried.*the change is NOT in place/,
      );
      expect(ms).toBeLessThan(KUBERNETES_TIMEOUT_MS + 2_500);
      expect(restartedAt()).toBe(before);
    });

    it('does not retry a write whose connection dropped', async () => {
      const id = await approvedRestart();
      const before = restartedAt();
      // Only the first attempt is dropped: a retry would go through.
      cluster.injectFault({
        method: 'PATCH',
        path: WRITE,
        dropConnection: true,
        times: 1,
      });
      const { res, plan } = await executeFailing(id);
      expect(res.status).toBe(503);
      expect(plan.execution).toMatchObject({ outcome: 'unknown' });
      expect(plan.error).toMatch(/it was not retried.*NOT in place/);
      expect(patches(WRITE)).toEqual([]);
      expect(restartedAt()).toBe(before);
    });

    it('fails the plan when the dry run is refused, and never writes', async () => {
      const id = await approvedRestart();
      cluster.injectFault({ method: 'PATCH', path: DRY_RUN, status: 500 });
      const { res, plan } = await executeFailing(id);
      expect(res.status).toBe(503);
      expect(plan.execution).toMatchObject({
        dryRun: 'failed',
        outcome: 'failed',
      });
      expect(plan.error).toMatch(
        /dry run refused the change.*nothing was written/,
      );
      expect(patches(WRITE)).toEqual([]);
    });
  });
});
