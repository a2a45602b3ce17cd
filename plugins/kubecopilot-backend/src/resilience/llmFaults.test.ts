/**
 * LLM endpoint faults, end to end: the real diagnosis routes with the LLM
 * configured the way an operator does (`kubecopilot.llm.*`), talking to a
 * real local HTTP server that hangs, throttles, fails, drops the connection
 * or answers garbage. Every time the rules answer, with the reason, within
 * the configured deadline. (Each failure's classification is unit-tested in
 * src/llm/OpenAiLlmClient.test.ts and src/diagnosis/DiagnosisService.test.ts
 * against msw; this proves the configured deadline and retry bounds hold on
 * a real socket through the whole request.)
 */
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import {
  CHECKOUT,
  shopScenarios,
  startResilienceBackend,
} from './__testUtils__/backend';
import {
  fakeLlmConfig,
  groundedCheckoutAnswer,
  LlmBehaviour,
  startFakeLlm,
} from './__testUtils__/fakeLlm';
import { alice, call } from './__testUtils__/http';

jest.setTimeout(60_000);

const TIMEOUT_MS = 1_000;
const MAX_RETRIES = 2;

describe('LLM endpoint faults', () => {
  let cluster: DemoCluster;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  let base: string;

  beforeAll(async () => {
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      scenarios: shopScenarios(),
    });
    llm = await startFakeLlm();
    ({ url: base } = await startResilienceBackend({
      cluster,
      config: {
        kubecopilot: {
          llm: fakeLlmConfig(llm.baseUrl, {
            timeoutMs: TIMEOUT_MS,
            maxRetries: MAX_RETRIES,
            maxRetryAfterMs: 500,
          }),
        },
      },
    }));
  });

  afterAll(async () => {
    await llm?.stop();
    await cluster?.stop();
  });

  async function diagnose() {
    const started = Date.now();
    const res = await call(base, 'POST', '/diagnoses', alice, {
      entityRef: CHECKOUT,
    });
    expect(res.status).toBe(200);
    return { diagnosis: res.body, ms: Date.now() - started };
  }

  it.each<[string, LlmBehaviour, RegExp, number]>([
    ['hangs', { type: 'hang' }, /did not answer in time/, 1],
    [
      'answers 429 with a Retry-After beyond the bound',
      { type: 'status', status: 429, retryAfter: '30' },
      /rate-limiting/,
      1,
    ],
    ['answers 500', { type: 'status', status: 500 }, /failed/, 1 + MAX_RETRIES],
    ['answers garbage', { type: 'garbage' }, /./, 1],
    ['drops the connection', { type: 'drop' }, /./, 1 + MAX_RETRIES],
  ])(
    'falls back to the rules within the deadline when the endpoint %s',
    async (_name, behaviour, reason, maxCalls) => {
      llm.set(behaviour);
      const { diagnosis, ms } = await diagnose();
      expect(diagnosis).toMatchObject({ source: 'rules', errors: [] });
      expect(diagnosis.fallbackReason).toMatch(reason);
      expect(diagnosis.findings.map((f: any) => f.code)).toContain(
        'CrashLoopBackOff',
      );
      expect(llm.calls.length).toBeGreaterThanOrEqual(1);
      expect(llm.calls.length).toBeLessThanOrEqual(maxCalls);
      // The LLM deadline covers its retries; gathering and rules are fast.
      expect(ms).toBeLessThan(TIMEOUT_MS + 2_000);
    },
  );

  it('uses the model when it answers once it answers again (and caches that answer)', async () => {
    llm.set({ type: 'answer', content: groundedCheckoutAnswer });
    const { diagnosis } = await diagnose();
    expect(diagnosis.source).toBe('llm');
    expect(llm.calls).toHaveLength(1);
  });
});
