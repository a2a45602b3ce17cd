import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { z } from 'zod';
import { OpenAiLlmClient, retryAfterMs } from './OpenAiLlmClient';
import { LlmConfig } from './config';

const BASE = 'http://llm.test/v1';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const config: LlmConfig = {
  provider: 'openai-compatible',
  model: 'test-model',
  baseUrl: BASE,
  apiKey: 'sk-test',
  timeoutMs: 2_000,
  maxRetries: 2,
  maxRetryAfterMs: 1_000,
  maxPromptTokens: 1_000,
  maxCompletionTokens: 500,
  responseFormat: 'json_schema',
};

const schema = z.object({ summary: z.string() });
const request = {
  schemaName: 'diagnosis',
  schema,
  system: 'system text',
  user: 'user text',
};

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
        message: {
          role: 'assistant',
          content,
          refusal: extra.refusal ?? null,
        },
      },
    ],
    usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
  };
}

function answerWith(...responses: Array<() => Response | Promise<Response>>) {
  const calls: any[] = [];
  server.use(
    http.post(`${BASE}/chat/completions`, async ({ request: req }) => {
      calls.push(await req.json());
      const next = responses[Math.min(calls.length, responses.length) - 1];
      return next();
    }),
  );
  return calls;
}

describe('OpenAiLlmClient', () => {
  const client = () => OpenAiLlmClient.fromConfig(config);

  it('returns the validated answer, usage and sends a JSON schema', async () => {
    const calls = answerWith(() =>
      HttpResponse.json(completion('{"summary":"checkout crash-loops"}')),
    );
    const result = await client().completeJson(request);
    expect(result).toEqual({
      ok: true,
      value: { summary: 'checkout crash-loops' },
      model: 'test-model',
      usage: { promptTokens: 120, completionTokens: 30 },
      attempts: 1,
    });
    expect(calls[0]).toMatchObject({
      model: 'test-model',
      temperature: 0,
      messages: [
        { role: 'system', content: 'system text' },
        { role: 'user', content: 'user text' },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'diagnosis',
          schema: {
            type: 'object',
            properties: { summary: { type: 'string' } },
          },
        },
      },
    });
  });

  it('honours a short Retry-After on 429 and then succeeds', async () => {
    const calls = answerWith(
      () =>
        new HttpResponse(JSON.stringify({ error: { message: 'slow down' } }), {
          status: 429,
          headers: {
            'retry-after-ms': '50',
            'content-type': 'application/json',
          },
        }),
      () => HttpResponse.json(completion('{"summary":"ok"}')),
    );
    const result = await client().completeJson(request);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(calls).toHaveLength(2);
  });

  it('gives up at once when Retry-After exceeds the bound', async () => {
    const calls = answerWith(
      () =>
        new HttpResponse('{}', {
          status: 429,
          headers: { 'retry-after': '120', 'content-type': 'application/json' },
        }),
    );
    const started = Date.now();
    const result = await client().completeJson(request);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result).toMatchObject({
      ok: false,
      reason: 'rate-limited',
      attempts: 1,
    });
    expect(result.ok === false && result.message).toMatch(
      /Retry-After 120 s exceeds/,
    );
    expect(calls).toHaveLength(1);
  });

  it('retries 5xx a bounded number of times', async () => {
    const calls = answerWith(() => new HttpResponse('oops', { status: 503 }));
    const result = await client().completeJson(request);
    expect(result).toMatchObject({
      ok: false,
      reason: 'server-error',
      attempts: 3,
    });
    expect(calls).toHaveLength(3);
  });

  it('times out within the deadline when the endpoint hangs', async () => {
    answerWith(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    const started = Date.now();
    const result = await OpenAiLlmClient.fromConfig({
      ...config,
      timeoutMs: 300,
    }).completeJson(request);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('reports a dropped connection as a network failure', async () => {
    answerWith(() => HttpResponse.error());
    const result = await OpenAiLlmClient.fromConfig({
      ...config,
      maxRetries: 0,
    }).completeJson(request);
    expect(result).toMatchObject({ ok: false, reason: 'network' });
  });

  it.each([
    ['malformed JSON', completion('{"summary": '), 'malformed'],
    ['fenced JSON', completion('```json\n{"summary":"x"}\n```'), 'malformed'],
    ['a schema mismatch', completion('{"summary": 42}'), 'invalid-schema'],
    ['a refusal', completion(null, { refusal: 'I cannot help' }), 'refusal'],
    [
      'a truncated answer',
      completion('{"summary":"x"}', { finish_reason: 'length' }),
      'truncated',
    ],
    [
      'a content filter stop',
      completion('', { finish_reason: 'content_filter' }),
      'refusal',
    ],
  ])('fails without retrying on %s', async (_name, body, reason) => {
    const calls = answerWith(() => HttpResponse.json(body));
    const result = await client().completeJson(request);
    expect(result).toMatchObject({ ok: false, reason, attempts: 1 });
    expect(calls).toHaveLength(1);
    // Tokens were spent even though the answer is unusable.
    expect(result.ok === false && result.usage).toEqual({
      promptTokens: 120,
      completionTokens: 30,
    });
  });

  it('does not retry a rejected request (401)', async () => {
    const calls = answerWith(
      () =>
        new HttpResponse(JSON.stringify({ error: { message: 'bad key' } }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const result = await client().completeJson(request);
    expect(result).toMatchObject({ ok: false, reason: 'request-rejected' });
    expect(calls).toHaveLength(1);
  });

  it('uses json_object when configured for older servers', async () => {
    const calls = answerWith(() =>
      HttpResponse.json(completion('{"summary":"ok"}')),
    );
    await OpenAiLlmClient.fromConfig({
      ...config,
      responseFormat: 'json_object',
    }).completeJson(request);
    expect(calls[0].response_format).toEqual({ type: 'json_object' });
  });

  it('talks to Azure OpenAI deployments with api-version and api-key', async () => {
    let seen: { url: string; key: string | null } | undefined;
    server.use(
      http.post(
        'https://example.openai.azure.com/openai/deployments/gpt4o/chat/completions',
        ({ request: req }) => {
          seen = { url: req.url, key: req.headers.get('api-key') };
          return HttpResponse.json(completion('{"summary":"ok"}'));
        },
      ),
    );
    const result = await OpenAiLlmClient.fromConfig({
      ...config,
      provider: 'azure-openai',
      baseUrl: 'https://example.openai.azure.com',
      deployment: 'gpt4o',
      apiVersion: '2024-10-21',
    }).completeJson(request);
    expect(result.ok).toBe(true);
    expect(seen?.url).toContain('api-version=2024-10-21');
    expect(seen?.key).toBe('sk-test');
  });
});

describe('retryAfterMs', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500' }))).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    const date = new Date(Date.now() + 5_000).toUTCString();
    expect(retryAfterMs(new Headers({ 'retry-after': date }))).toBeGreaterThan(
      3_000,
    );
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});
