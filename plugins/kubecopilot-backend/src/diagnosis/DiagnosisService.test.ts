import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { diagnosisSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DatabaseAuditStore } from '../audit';
import { LlmConfig, loadPrompt, OpenAiLlmClient, PromptTemplate } from '../llm';
import { promptsDirectory } from './createDiagnosisService';
import { DatabaseDiagnosisStore } from './DatabaseDiagnosisStore';
import { DefaultDiagnosisService } from './DiagnosisService';
import type { DiagnosisModuleRunner } from '../extensions/DiagnosisModules';
import { KubernetesContextGatherer } from './gather';
import { CapturingLogger } from './__testUtils__/CapturingLogger';
import {
  CHECKOUT_POD,
  checkoutCluster,
  checkoutEntity,
  INJECTION,
  leakedCanaries,
} from './__testUtils__/checkoutFixture';
import {
  FakeFault,
  FakeKubernetesClient,
} from './__testUtils__/FakeKubernetesClient';

jest.setTimeout(30_000);

const BASE = 'http://llm.test/v1';
const ENTITY = 'component:default/checkout';
const alice = mockCredentials.user('user:default/alice');

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const llmConfig: LlmConfig = {
  provider: 'openai-compatible',
  model: 'test-model',
  baseUrl: BASE,
  apiKey: 'sk-test',
  timeoutMs: 2_000,
  maxRetries: 1,
  maxRetryAfterMs: 100,
  maxPromptTokens: 12_000,
  maxCompletionTokens: 1_000,
  responseFormat: 'json_schema',
};

let prompt: PromptTemplate;
beforeAll(async () => {
  prompt = await loadPrompt(promptsDirectory(), 'diagnose');
});

function completion(
  content: string | null,
  extra: { finish_reason?: string; refusal?: string } = {},
) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'test-model',
    choices: [
      {
        index: 0,
        finish_reason: extra.finish_reason ?? 'stop',
        message: { role: 'assistant', content, refusal: extra.refusal ?? null },
      },
    ],
    usage: { prompt_tokens: 2100, completion_tokens: 180, total_tokens: 2280 },
  };
}

const grounded = {
  summary:
    'checkout crash-loops at start-up because PAYMENT_GATEWAY_URL is not set.',
  rootCause:
    'Release 2.3.1 requires PAYMENT_GATEWAY_URL; the container exits with code 1 (see the previous log of checkout-zfglkrn22-q8mcz).',
  confirmedFindings: ['F1'],
  additionalFindings: [],
  recommendations: [
    {
      title: 'Set PAYMENT_GATEWAY_URL on Deployment checkout, then restart it',
      action: 'restart',
      target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
    },
  ],
};

/** Sends `respond()` for every chat completion; returns the raw request bodies. */
function llmAnswers(respond: () => Response | Promise<Response>): string[] {
  const bodies: string[] = [];
  server.use(
    http.post(`${BASE}/chat/completions`, async ({ request }) => {
      bodies.push(await request.text());
      return respond();
    }),
  );
  return bodies;
}

async function setup(
  options: {
    llm?: Partial<LlmConfig> | false;
    faults?: FakeFault[];
    modules?: DiagnosisModuleRunner;
  } = {},
) {
  const knex = await databases.init('SQLITE_3');
  const database = mockServices.database({ knex });
  const store = await DatabaseDiagnosisStore.create({ database });
  const audit = await DatabaseAuditStore.create({ database });
  const kubernetes = new FakeKubernetesClient([checkoutCluster()]);
  kubernetes.faults.push(...(options.faults ?? []));
  const gatherer = new KubernetesContextGatherer({
    kubernetes,
    callTimeoutMs: 300,
  });
  const gather = jest.spyOn(gatherer, 'gather');
  const logger = new CapturingLogger();
  const cache = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
    'kubecopilot',
  );
  const service = new DefaultDiagnosisService({
    gatherer,
    catalog: catalogServiceMock({ entities: [checkoutEntity] }),
    store,
    audit,
    cache,
    logger,
    modules: options.modules,
    llm:
      options.llm === false
        ? undefined
        : {
            client: OpenAiLlmClient.fromConfig({
              ...llmConfig,
              ...options.llm,
            }),
            prompt,
            maxPromptTokens:
              options.llm?.maxPromptTokens ?? llmConfig.maxPromptTokens,
          },
  });
  return { service, store, audit, kubernetes, gather, logger };
}

const codes = (d: { findings: Array<{ code: string }> }) => [
  ...new Set(d.findings.map(f => f.code)),
];

describe('DefaultDiagnosisService', () => {
  it('diagnoses with the rules alone when no LLM is configured', async () => {
    const { service, store, audit, kubernetes } = await setup({ llm: false });
    const diagnosis = await service.diagnose(ENTITY, { credentials: alice });

    expect(diagnosisSchema.parse(diagnosis)).toEqual(diagnosis);
    expect(diagnosis).toMatchObject({
      entityRef: ENTITY,
      source: 'rules',
      errors: [],
    });
    expect(diagnosis.fallbackReason).toBeUndefined();
    expect(diagnosis.usage).toBeUndefined();
    expect(codes(diagnosis)).toContain('CrashLoopBackOff');
    const crash = diagnosis.findings.find(f => f.code === 'CrashLoopBackOff')!;
    expect(crash.resource).toEqual({
      kind: 'Pod',
      namespace: 'shop',
      name: CHECKOUT_POD,
    });
    // The previous instance's log is the evidence of why it crashes.
    expect(crash.evidence).toContainEqual(
      expect.objectContaining({
        type: 'log',
        path: `pods/${CHECKOUT_POD}/log?container=checkout&previous=true`,
        lines: expect.arrayContaining([
          'Error: Missing required environment variable PAYMENT_GATEWAY_URL',
        ]),
      }),
    );
    expect(diagnosis.summary).toBe(
      'Found 3 problems across 2 resources (1 critical, 2 errors). ' +
        'Deployment shop/checkout: CrashLoopBackOff, DeploymentUnavailable — Container "checkout" of Pod shop/checkout-zfglkrn22-q8mcz (Deployment checkout) is crash-looping: it exited with code 1 (Error) and has restarted 7 times. Its log says: Error: Missing required environment variable PAYMENT_GATEWAY_URL. ' +
        'Service shop/checkout: ServiceNoEndpoints — Service shop/checkout has no ready endpoints: 1 pod(s) match its selector app=checkout but none is ready (checkout-zfglkrn22-q8mcz).',
    );
    // Root cause first: the crash explains the Deployment and the Service,
    // and the headline names the missing variable.
    expect(diagnosis.headline).toBe(
      'checkout is down: 2.3.1 exits because PAYMENT_GATEWAY_URL is not set',
    );
    const [cause, ...symptoms] = diagnosis.findings;
    expect(cause).toMatchObject({ code: 'CrashLoopBackOff' });
    expect(cause.causedBy).toBeUndefined();
    expect(symptoms.map(f => [f.code, f.causedBy])).toEqual(
      expect.arrayContaining([
        ['DeploymentUnavailable', cause.id],
        ['ServiceNoEndpoints', cause.id],
      ]),
    );
    // A restart changes nothing for a crash caused by configuration.
    expect(diagnosis.recommendations.map(r => r.action)).not.toContain(
      'restart',
    );
    // The fix that fixes comes first: back to the revision that ran (2.2.0);
    // then the fix of the cause itself: set the variable, to a value the
    // person types (the plan's params leave it out).
    expect(diagnosis.recommendations[0]).toMatchObject({
      title: 'Roll back Deployment shop/checkout',
      action: 'rollback',
      target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      params: { toRevision: 1 },
    });
    expect(diagnosis.recommendations[1]).toMatchObject({
      title: 'Set PAYMENT_GATEWAY_URL on Deployment checkout.',
      detail: expect.stringContaining(
        'A restart alone will not help: the container exits the same way after every restart.',
      ),
      action: 'update',
      target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      params: {},
      asks: [
        {
          kind: 'env',
          container: 'checkout',
          name: 'PAYMENT_GATEWAY_URL',
          path: ['containers', 'checkout', 'env', 'PAYMENT_GATEWAY_URL'],
        },
      ],
    });

    await expect(store.list(ENTITY, 10)).resolves.toEqual([diagnosis]);
    const [entry] = await audit.list({ entityRef: ENTITY });
    expect(entry).toMatchObject({
      action: 'diagnosis.created',
      actor: 'user:default/alice',
      payload: {
        diagnosisId: diagnosis.id,
        source: 'rules',
        findingCodes: expect.arrayContaining(['CrashLoopBackOff']),
        model: null,
        promptVersion: null,
      },
    });
    // Two waves: the workloads query, then everything else; no Secret read for data.
    expect(kubernetes.requests[0].method).toBe('workloads');
    expect(
      kubernetes.requests
        .filter(r => /\/secrets\b/.test(r.path))
        .map(r => r.method),
    ).toEqual(['readMetadata']);
    expect(kubernetes.write).not.toHaveBeenCalled();
  });

  it('explains with the model when it answers a valid, grounded diagnosis', async () => {
    const { service, store, audit } = await setup();
    const bodies = llmAnswers(() =>
      HttpResponse.json(completion(JSON.stringify(grounded))),
    );
    const diagnosis = await service.diagnose(ENTITY, { credentials: alice });

    expect(bodies).toHaveLength(1);
    expect(diagnosis).toMatchObject({
      source: 'llm',
      model: 'test-model',
      promptVersion: 'diagnose/v2',
      summary: grounded.summary,
      // The model explains; the headline stays the rules' sentence.
      headline:
        'checkout is down: 2.3.1 exits because PAYMENT_GATEWAY_URL is not set',
      rootCause: grounded.rootCause,
      errors: [],
      usage: {
        promptTokens: 2100,
        completionTokens: 180,
        rawContextChars: expect.any(Number),
        sentContextChars: expect.any(Number),
      },
    });
    expect(diagnosis.usage!.sentContextChars).toBeLessThanOrEqual(
      diagnosis.usage!.rawContextChars!,
    );
    expect(diagnosis.fallbackReason).toBeUndefined();
    expect(diagnosis.recommendations[0]).toEqual({
      title: 'Set PAYMENT_GATEWAY_URL on Deployment checkout, then restart it',
      action: 'restart',
      params: {},
      target: {
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
        cluster: 'demo',
      },
    });
    expect(codes(diagnosis)).toContain('CrashLoopBackOff');
    // The model keeps the rules' links between cause and symptoms.
    const crash = diagnosis.findings.find(f => f.code === 'CrashLoopBackOff')!;
    expect(
      diagnosis.findings.find(f => f.code === 'DeploymentUnavailable')
        ?.causedBy,
    ).toBe(crash.id);

    const sent = JSON.parse(bodies[0]);
    expect(sent.response_format.type).toBe('json_schema');
    expect(sent.messages[1].content).toContain(
      'Error: Missing required environment variable PAYMENT_GATEWAY_URL',
    );

    await expect(store.list(ENTITY, 10)).resolves.toEqual([diagnosis]);
    const [entry] = await audit.list({ entityRef: ENTITY });
    expect(entry.payload).toMatchObject({
      source: 'llm',
      model: 'test-model',
      promptVersion: 'diagnose/v2',
      cached: false,
    });
  });

  const errorBody = (status: number, headers: Record<string, string> = {}) =>
    new HttpResponse(
      JSON.stringify({ error: { message: `status ${status}` } }),
      {
        status,
        headers: { 'content-type': 'application/json', ...headers },
      },
    );

  it.each<
    [string, () => Response | Promise<Response>, RegExp, Partial<LlmConfig>]
  >([
    [
      'a timeout',
      async () => {
        await delay(2_000);
        return HttpResponse.json(completion(JSON.stringify(grounded)));
      },
      /^the model did not answer in time/,
      { timeoutMs: 300 },
    ],
    [
      'a 429 whose Retry-After is beyond the bound',
      () => errorBody(429, { 'retry-after': '60' }),
      /^the model endpoint is rate-limiting requests .*Retry-After 60 s exceeds/,
      {},
    ],
    [
      'a 5xx',
      () => errorBody(503),
      /^the model endpoint failed \(the endpoint answered 503\)/,
      {},
    ],
    [
      'malformed JSON',
      () => HttpResponse.json(completion('{"summary": "checkout is')),
      /^the model answered with malformed JSON/,
      {},
    ],
    [
      'fenced JSON',
      () =>
        HttpResponse.json(
          completion(`\`\`\`json\n${JSON.stringify(grounded)}\n\`\`\``),
        ),
      /code fence/,
      {},
    ],
    [
      'a refusal',
      () =>
        HttpResponse.json(
          completion(null, { refusal: 'I cannot help with that.' }),
        ),
      /^the model refused to answer/,
      {},
    ],
    [
      'finish_reason length',
      () =>
        HttpResponse.json(
          completion('{"summary": "chec', { finish_reason: 'length' }),
        ),
      /^the model answer was cut off .*finish_reason: length/,
      {},
    ],
    [
      'an answer naming an object it was not given',
      () =>
        HttpResponse.json(
          completion(
            JSON.stringify({
              ...grounded,
              recommendations: [
                {
                  title: 'Restart billing',
                  action: 'restart',
                  target: {
                    kind: 'Deployment',
                    namespace: 'shop',
                    name: 'billing',
                  },
                },
              ],
            }),
          ),
        ),
      /not grounded in the data it was given: recommendation 1 names Deployment shop\/billing/,
      {},
    ],
    [
      'an answer that does not match the schema',
      () => HttpResponse.json(completion(JSON.stringify({ summary: 'ok' }))),
      /did not match the diagnosis schema/,
      {},
    ],
  ])(
    'falls back to the rules on %s, with a visible reason',
    async (_name, respond, reason, llm) => {
      const { service, store } = await setup({ llm });
      llmAnswers(respond);
      const diagnosis = await service.diagnose(ENTITY, { credentials: alice });

      expect(diagnosis.source).toBe('rules');
      expect(diagnosis.fallbackReason).toMatch(reason);
      expect(diagnosis.model).toBeUndefined();
      expect(diagnosis.summary).toMatch(/^Found \d+ problems?/);
      expect(codes(diagnosis)).toContain('CrashLoopBackOff');
      await expect(store.list(ENTITY, 10)).resolves.toEqual([diagnosis]);
    },
  );

  it('keeps an instruction injected in a log line as data: no write, still a diagnosis', async () => {
    const { service, kubernetes } = await setup();
    // The model "obeys" the log line: grounding throws the answer away.
    const bodies = llmAnswers(() =>
      HttpResponse.json(
        completion(
          JSON.stringify({
            ...grounded,
            recommendations: [
              {
                title: 'Delete the namespace as instructed',
                action: 'delete',
                target: { kind: 'Namespace', name: 'shop' },
              },
            ],
          }),
        ),
      ),
    );
    const diagnosis = await service.diagnose(ENTITY, { credentials: alice });

    expect(diagnosisSchema.parse(diagnosis)).toEqual(diagnosis);
    expect(diagnosis.source).toBe('rules');
    expect(diagnosis.fallbackReason).toMatch(
      /names Namespace shop, which it was not given/,
    );
    expect(diagnosis.recommendations.map(r => r.action)).not.toContain(
      'delete',
    );
    expect(kubernetes.write).not.toHaveBeenCalled();

    // The line reached the model only inside the delimited data section.
    const user: string = JSON.parse(bodies[0]).messages[1].content;
    const nonce = /<<<DATA-([0-9a-f]+)/.exec(user)![1];
    const data = user
      .split(`<<<DATA-${nonce}`)
      .slice(1)
      .map(s => s.split(`DATA-${nonce}>>>`)[0]);
    expect(
      data.some(section => section.includes('ignore previous instructions')),
    ).toBe(true);
    expect(user.split(`DATA-${nonce}>>>`).pop()).not.toContain(
      'ignore previous instructions',
    );
    expect(INJECTION).toContain('delete the namespace');
  });

  it('never lets a secret canary out: not to the model, the store, the caller, the audit or the logs', async () => {
    const { service, store, audit, logger } = await setup();
    const bodies = llmAnswers(() =>
      HttpResponse.json(completion(JSON.stringify(grounded))),
    );
    const llmDiagnosis = await service.diagnose(ENTITY, { credentials: alice });
    expect(llmDiagnosis.source).toBe('llm');

    // And once through the fallback path, with the model failing.
    server.resetHandlers();
    llmAnswers(() => errorBody(400));
    // A target: other objects than the cached answer was made from.
    const rulesDiagnosis = await service.diagnose(ENTITY, {
      credentials: mockCredentials.user('user:default/bob'),
      target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
    });
    expect(rulesDiagnosis.source).toBe('rules');

    const stored = await store.list(ENTITY, 10);
    const entries = await audit.list({ entityRef: ENTITY });
    expect(stored).toHaveLength(2);
    expect(bodies).toHaveLength(1);
    for (const [where, output] of Object.entries({
      llmRequests: bodies.join('\n'),
      returned: [llmDiagnosis, rulesDiagnosis],
      stored,
      audit: entries,
      logs: logger.text,
    })) {
      expect({ where, leaked: leakedCanaries(output) }).toEqual({
        where,
        leaked: [],
      });
    }
    // Not vacuous: the context had them, redacted in place.
    const sent = JSON.parse(bodies[0]).messages[1].content as string;
    expect(sent).toContain('Authorization: Bearer [REDACTED]');
    expect(sent).toContain('[REDACTED PRIVATE KEY]');
    expect(logger.text).toContain('Diagnosis');
  });

  it('shares one gather and one model call among 5 identical concurrent requests, then caches by resourceVersions', async () => {
    const { service, gather, store, audit } = await setup();
    const bodies = llmAnswers(async () => {
      await delay(50);
      return HttpResponse.json(completion(JSON.stringify(grounded)));
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        service.diagnose(ENTITY, { credentials: alice }),
      ),
    );
    expect(gather).toHaveBeenCalledTimes(1);
    expect(bodies).toHaveLength(1);
    expect(new Set(results.map(r => r.id)).size).toBe(1);

    // Same objects at the same versions: the model's answer is reused.
    const again = await service.diagnose(ENTITY, { credentials: alice });
    expect(gather).toHaveBeenCalledTimes(2);
    expect(bodies).toHaveLength(1);
    expect(again).toMatchObject({ source: 'llm', summary: grounded.summary });
    expect(again.id).not.toBe(results[0].id);
    await expect(store.list(ENTITY, 10)).resolves.toHaveLength(2);
    const entries = await audit.list({ entityRef: ENTITY });
    expect(entries.map(e => e.payload.cached).sort()).toEqual([false, true]);
  });

  it('does not share a computation between two users: reads are per user', async () => {
    const { service, gather } = await setup({ llm: false });
    await Promise.all([
      service.diagnose(ENTITY, { credentials: alice }),
      service.diagnose(ENTITY, {
        credentials: mockCredentials.user('user:default/bob'),
      }),
    ]);
    expect(gather).toHaveBeenCalledTimes(2);
  });

  it('gives a partial diagnosis naming what a failing or slow call left out', async () => {
    const { service } = await setup({
      llm: false,
      faults: [
        {
          path: /\/namespaces\/shop\/events$/,
          error: new ServiceUnavailableError(
            "Kubernetes cluster 'demo' failed GET /api/v1/namespaces/shop/events (HTTP 500)",
          ),
        },
        { path: /\/nodes\//, delayMs: 2_000 },
      ],
    });
    const started = Date.now();
    const diagnosis = await service.diagnose(ENTITY, { credentials: alice });
    expect(Date.now() - started).toBeLessThan(1_500);
    // Sorted, so the same failures always read (and cache) the same.
    expect(diagnosis.errors).toEqual([
      "cluster 'demo': Node demo-node-1 could not be read: Node demo-node-1 in cluster 'demo' did not answer within 300 ms",
      "cluster 'demo': events of namespace shop could not be read: Kubernetes cluster 'demo' failed GET /api/v1/namespaces/shop/events (HTTP 500)",
    ]);
    expect(diagnosis.summary).toMatch(
      /Partial: 2 parts of the context could not be read/,
    );
    expect(codes(diagnosis)).toContain('CrashLoopBackOff');
  });

  it('diagnoses one target object of the entity, and 404s for an object outside it', async () => {
    const { service, kubernetes } = await setup({ llm: false });
    const diagnosis = await service.diagnose(ENTITY, {
      credentials: alice,
      target: { kind: 'Pod', namespace: 'shop', name: CHECKOUT_POD },
    });
    expect(codes(diagnosis)).toContain('CrashLoopBackOff');
    expect(
      diagnosis.findings.every(f =>
        ['Pod', 'Deployment', 'ReplicaSet', 'Service'].includes(
          f.resource.kind,
        ),
      ),
    ).toBe(true);

    await expect(
      service.diagnose(ENTITY, {
        credentials: alice,
        target: { kind: 'Deployment', namespace: 'shop', name: 'storefront' },
      }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      service.diagnose('component:default/nope', { credentials: alice }),
    ).rejects.toThrow(NotFoundError);
    expect(kubernetes.write).not.toHaveBeenCalled();
  });

  it("sends the modules' context to the model, in the prompt's data section", async () => {
    const { service } = await setup({
      modules: {
        run: async ({ context }) => ({
          findings: [],
          errors: [],
          provided: [
            {
              provider: 'acme/argocd',
              items: [
                {
                  resource: {
                    kind: 'Deployment',
                    namespace: 'shop',
                    name: 'checkout',
                  },
                  title: `Application checkout is OutOfSync in ${context.cluster}`,
                  facts: { revision: '4f2c9e1' },
                },
              ],
            },
          ],
        }),
      },
    });
    const bodies = llmAnswers(() =>
      HttpResponse.json(completion(JSON.stringify(grounded))),
    );
    const diagnosis = await service.diagnose(ENTITY, { credentials: alice });
    expect(diagnosis.source).toBe('llm');
    expect(bodies).toHaveLength(1);
    const user = JSON.parse(bodies[0]).messages.find(
      (m: { role: string }) => m.role === 'user',
    ).content as string;
    const line =
      'Deployment shop/checkout [acme/argocd] Application checkout is OutOfSync in demo (revision: 4f2c9e1)';
    expect(user).toContain(`## From KubeCopilot modules\n${line}`);
    // Inside the delimited data, after the instructions.
    const nonce = /<<<DATA-([0-9a-f]+)/.exec(user)![1];
    expect(user.indexOf(line)).toBeGreaterThan(user.lastIndexOf(`<<<DATA-${nonce}`));
    expect(user.indexOf(line)).toBeLessThan(user.lastIndexOf(`DATA-${nonce}>>>`));
  });

  it('does not ask the model when the context cannot fit the budget, and says so', async () => {
    const { service } = await setup({ llm: { maxPromptTokens: 1_500 } });
    const bodies = llmAnswers(() =>
      HttpResponse.json(completion(JSON.stringify(grounded))),
    );
    const diagnosis = await service.diagnose(ENTITY, { credentials: alice });
    expect(bodies).toHaveLength(0);
    expect(diagnosis).toMatchObject({ source: 'rules' });
    expect(diagnosis.fallbackReason).toMatch(
      /does not fit in kubecopilot.llm.maxPromptTokens \(1500\)/,
    );
  });
});
