import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { CacheService } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DatabaseAuditStore } from '../audit';
import { promptsDirectory } from '../diagnosis/createDiagnosisService';
import { DatabaseDiagnosisStore } from '../diagnosis/DatabaseDiagnosisStore';
import { DefaultDiagnosisService } from '../diagnosis/DiagnosisService';
import { KubernetesContextGatherer } from '../diagnosis/gather';
import { CapturingLogger } from '../diagnosis/__testUtils__/CapturingLogger';
import {
  checkoutCluster,
  checkoutEntity,
} from '../diagnosis/__testUtils__/checkoutFixture';
import { FakeKubernetesClient } from '../diagnosis/__testUtils__/FakeKubernetesClient';
import { LlmIntentPlanner } from '../intents/LlmIntentPlanner';
import {
  LlmClient,
  LlmJsonRequest,
  LlmResult,
  loadPrompt,
  OpenAiLlmClient,
  parsePrompt,
} from '../llm';
import { runAsCaller } from './caller';
import { DatabaseLlmUsageStore, LlmUsageStore } from './DatabaseLlmUsageStore';
import { LlmTokenBudget } from './LlmTokenBudget';

jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

async function usageStore(): Promise<LlmUsageStore> {
  const knex = await databases.init('SQLITE_3');
  return DatabaseLlmUsageStore.create({ database: mockServices.database({ knex }) });
}

/** A client that answers `answer` and counts its calls. */
function scripted(answer: LlmResult<unknown>) {
  const calls: string[] = [];
  const client: LlmClient = {
    provider: 'openai-compatible',
    model: 'scripted',
    async completeJson<T>(request: LlmJsonRequest<T>) {
      calls.push(request.schemaName);
      return answer as LlmResult<T>;
    },
  };
  return { client, calls };
}

const request: LlmJsonRequest<unknown> = {
  schemaName: 'test',
  schema: {} as any,
  system: 's',
  user: 'u',
};
const answered: LlmResult<unknown> = {
  ok: true,
  value: {},
  model: 'scripted',
  usage: { promptTokens: 700, completionTokens: 100 },
  attempts: 1,
};

describe('LlmTokenBudget', () => {
  async function setup(cap: number, answer = answered) {
    const store = await usageStore();
    const clock = { now: new Date('2026-11-26T23:00:00Z') };
    const logger = new CapturingLogger();
    const budget = new LlmTokenBudget({
      store,
      tokensPerUserPerDay: cap,
      logger,
      now: () => clock.now,
    });
    const { client, calls } = scripted(answer);
    return { store, clock, logger, calls, client: budget.wrap(client) };
  }

  it('charges the caller what the endpoint reported, and stops at the cap', async () => {
    const { client, calls, store } = await setup(2000);
    const ask = () => runAsCaller(ALICE, () => client.completeJson(request));

    for (let i = 0; i < 3; i++) await expect(ask()).resolves.toMatchObject({ ok: true });
    // 2400 ≥ 2000: the third call overshot, the fourth is not made.
    await expect(store.spent(ALICE, '2026-11-26')).resolves.toBe(2400);
    await expect(ask()).resolves.toEqual({
      ok: false,
      reason: 'budget-exhausted',
      message: `daily LLM token budget of 2000 tokens reached for ${ALICE}`,
      model: 'scripted',
      attempts: 0,
    });
    expect(calls).toHaveLength(3);
    await expect(store.spent(ALICE, '2026-11-26')).resolves.toBe(2400);
  });

  it('keeps one budget per caller, and a new one each UTC day', async () => {
    const { client, calls, clock } = await setup(800);
    const ask = (caller: string) =>
      runAsCaller(caller, () => client.completeJson(request));
    await expect(ask(ALICE)).resolves.toMatchObject({ ok: true });
    await expect(ask(ALICE)).resolves.toMatchObject({ reason: 'budget-exhausted' });
    await expect(ask(BOB)).resolves.toMatchObject({ ok: true });
    expect(calls).toHaveLength(2);

    clock.now = new Date('2026-11-27T00:00:01Z');
    await expect(ask(ALICE)).resolves.toMatchObject({ ok: true });
    expect(calls).toHaveLength(3);
  });

  it('charges the tokens of failed calls too', async () => {
    const { client, store } = await setup(0, {
      ok: false,
      reason: 'invalid-schema',
      message: 'nope',
      model: 'scripted',
      usage: { promptTokens: 50, completionTokens: 9 },
      attempts: 2,
    });
    await runAsCaller(ALICE, () => client.completeJson(request));
    await expect(store.spent(ALICE, '2026-11-26')).resolves.toBe(59);
  });

  it('with cap 0 never refuses, but still records the spend', async () => {
    const { client, calls, store } = await setup(0);
    for (let i = 0; i < 5; i++) {
      await runAsCaller(ALICE, () => client.completeJson(request));
    }
    expect(calls).toHaveLength(5);
    await expect(store.spent(ALICE, '2026-11-26')).resolves.toBe(4000);
  });

  it('neither checks nor charges calls made outside a request', async () => {
    const { client, calls, store } = await setup(1);
    await runAsCaller(ALICE, () => client.completeJson(request));
    await client.completeJson(request);
    await client.completeJson(request);
    expect(calls).toHaveLength(3);
    await expect(store.spent(ALICE, '2026-11-26')).resolves.toBe(800);
  });

  it('lets the call through when the database fails, and says so', async () => {
    const store: LlmUsageStore = {
      spent: jest.fn().mockRejectedValue(new Error('db down')),
      add: jest.fn().mockRejectedValue(new Error('db down')),
      deleteBefore: jest.fn(),
    };
    const logger = new CapturingLogger();
    const { client: inner, calls } = scripted(answered);
    const client = new LlmTokenBudget({ store, tokensPerUserPerDay: 10, logger }).wrap(inner);
    await expect(
      runAsCaller(ALICE, () => client.completeJson(request)),
    ).resolves.toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
    expect(logger.text).toContain(
      `warn LLM token budget not checked for ${ALICE}: Error: db down`,
    );
    expect(logger.text).toContain(
      `warn LLM usage of 800 tokens not recorded for ${ALICE}: Error: db down`,
    );
  });

  it('tells the intent planner why, and what the rules understand', async () => {
    const store = await usageStore();
    await store.add(ALICE, '2026-11-26', 5000);
    const { client, calls } = scripted(answered);
    const planner = new LlmIntentPlanner(
      new LlmTokenBudget({
        store,
        tokensPerUserPerDay: 5000,
        logger: new CapturingLogger(),
        now: () => new Date('2026-11-26T12:00:00Z'),
      }).wrap(client),
      parsePrompt('plan/v1', '## system\ns\n## user\n{{intent}}'),
      { Deployment: ['restart'] },
    );
    const result = await runAsCaller(ALICE, () =>
      planner.plan({
        entityRef: 'component:default/checkout',
        intent: 'checkout feels slow, do something',
        targets: [],
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      reason: `daily LLM token budget of 5000 tokens reached for ${ALICE}, and the rules could not read this intent; try "restart <name>", "scale <name> to <n>", "roll back <name> to <tag>" or "delete pod <name>"`,
    });
    expect(calls).toEqual([]);
  });
});

describe('LlmTokenBudget in front of a diagnosis', () => {
  const BASE = 'http://llm.test/v1';
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  /** Never hits: every diagnosis asks the model again (or is refused). */
  const noCache: CacheService = {
    get: async () => undefined,
    set: async () => {},
    delete: async () => {},
    withOptions: () => noCache,
  };

  it('after the budget is spent, the rules answer and say why; other users still get the model', async () => {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex });
    const store = await DatabaseLlmUsageStore.create({ database });
    const budget = new LlmTokenBudget({
      store,
      tokensPerUserPerDay: 2000,
      logger: new CapturingLogger(),
    });
    let llmCalls = 0;
    server.use(
      http.post(`${BASE}/chat/completions`, () => {
        llmCalls += 1;
        return HttpResponse.json({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: 'test-model',
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: {
                role: 'assistant',
                refusal: null,
                content: JSON.stringify({
                  summary: 'checkout crash-loops because PAYMENT_GATEWAY_URL is not set.',
                  rootCause: 'The container exits with code 1 at start-up.',
                  confirmedFindings: ['F1'],
                  additionalFindings: [],
                  recommendations: [],
                }),
              },
            },
          ],
          usage: { prompt_tokens: 2100, completion_tokens: 180, total_tokens: 2280 },
        });
      }),
    );
    const service = new DefaultDiagnosisService({
      gatherer: new KubernetesContextGatherer({
        kubernetes: new FakeKubernetesClient([checkoutCluster()]),
        callTimeoutMs: 300,
      }),
      catalog: catalogServiceMock({ entities: [checkoutEntity] }),
      store: await DatabaseDiagnosisStore.create({ database }),
      audit: await DatabaseAuditStore.create({ database }),
      cache: noCache,
      logger: new CapturingLogger(),
      llm: {
        client: budget.wrap(
          OpenAiLlmClient.fromConfig({
            provider: 'openai-compatible',
            model: 'test-model',
            baseUrl: BASE,
            apiKey: 'sk-test',
            timeoutMs: 2_000,
            maxRetries: 0,
            maxRetryAfterMs: 100,
            maxPromptTokens: 12_000,
            maxCompletionTokens: 1_000,
            responseFormat: 'json_schema',
          }),
        ),
        prompt: await loadPrompt(promptsDirectory(), 'diagnose'),
        maxPromptTokens: 12_000,
      },
    });
    const diagnose = (user: string) =>
      runAsCaller(user, () =>
        service.diagnose('component:default/checkout', {
          credentials: mockCredentials.user(user),
        }),
      );

    const first = await diagnose(ALICE);
    expect(first).toMatchObject({ source: 'llm' });
    expect(first.fallbackReason).toBeUndefined();
    expect(llmCalls).toBe(1);
    await expect(store.spent(ALICE, new Date().toISOString().slice(0, 10))).resolves.toBe(2280);

    const second = await diagnose(ALICE);
    expect(llmCalls).toBe(1);
    expect(second.source).toBe('rules');
    expect(second.fallbackReason).toBe(
      `daily LLM token budget of 2000 tokens reached for ${ALICE}; the rules answered`,
    );
    expect(second.findings.map(f => f.code)).toContain('CrashLoopBackOff');

    const bobs = await diagnose(BOB);
    expect(bobs.source).toBe('llm');
    expect(llmCalls).toBe(2);
  });
});
