import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { currentCaller } from './caller';
import { rateLimit, RateLimitOptions } from './rateLimit';
import { FakeCache } from './__testUtils__/FakeCache';

const START = Date.UTC(2026, 10, 26, 10, 0, 0);
const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');

function setup(options: Partial<RateLimitOptions> = {}) {
  const clock = { now: START };
  const cache = new FakeCache(() => clock.now);
  const logger = mockServices.logger.mock();
  const handled: Array<string | undefined> = [];
  const app = express()
    .post(
      '/x',
      rateLimit({
        cache,
        httpAuth: mockServices.httpAuth(),
        logger,
        limit: 3,
        windowSeconds: 60,
        name: 'diagnoses',
        now: () => clock.now,
        ...options,
      }),
      (_req, res) => {
        handled.push(currentCaller());
        res.json({ ok: true });
      },
    )
    .use(mockErrorHandler());
  const post = (auth = alice) =>
    request(app).post('/x').set('authorization', auth);
  return { clock, cache, logger, handled, post };
}

describe('rateLimit', () => {
  it('lets `limit` requests through per window, then answers 429 with Retry-After', async () => {
    const { post, handled } = setup();
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post();
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      expect(res.headers['ratelimit-policy']).toBe('3;w=60');
      remaining.push(res.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    // All three were counted at the start of the window: the next request
    // fits once the window has slid far enough that their share is below 3,
    // i.e. just after the window ends.
    expect(Number(refused.headers['retry-after'])).toBe(61);
    expect(refused.body).toMatchObject({
      error: {
        name: 'TooManyRequestsError',
        message:
          'Too many diagnoses requests: at most 3 per 60 s for user:default/alice; retry after 61 s',
      },
      response: { statusCode: 429 },
    });
    // The handler never ran for the refused request.
    expect(handled).toEqual([
      'user:default/alice',
      'user:default/alice',
      'user:default/alice',
    ]);
  });

  it('keeps separate budgets per caller, users and services alike', async () => {
    const { post } = setup({ limit: 1 });
    expect((await post(alice)).status).toBe(200);
    expect((await post(alice)).status).toBe(429);
    expect((await post(bob)).status).toBe(200);
    expect((await post(bob)).status).toBe(429);
    const service = mockCredentials.service.header();
    expect((await post(service)).status).toBe(200);
    expect((await post(service)).status).toBe(429);
  });

  it('keeps separate budgets per route class over one cache', async () => {
    const clock = { now: START };
    const cache = new FakeCache(() => clock.now);
    const limiter = (name: string) =>
      rateLimit({
        cache,
        httpAuth: mockServices.httpAuth(),
        limit: 1,
        windowSeconds: 60,
        name,
        now: () => clock.now,
      });
    const app = express()
      .post('/a', limiter('plans'), (_req, res) => res.end())
      .post('/b', limiter('query'), (_req, res) => res.end())
      .use(mockErrorHandler());
    expect((await request(app).post('/a')).status).toBe(200);
    expect((await request(app).post('/b')).status).toBe(200);
    expect((await request(app).post('/a')).status).toBe(429);
  });

  it('gives the budget back as the window slides, and Retry-After is when', async () => {
    const { post, clock } = setup();
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(200);
    clock.now += 30_000;
    const refused = await post();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBe(31);

    // One second before Retry-After: still refused.
    clock.now += (retryAfter - 1) * 1000;
    expect((await post()).status).toBe(429);
    // At Retry-After: through.
    clock.now += 1000;
    expect((await post()).status).toBe(200);
  });

  it('estimates over the sliding window: no double burst at the window boundary', async () => {
    const { post, clock } = setup();
    // Three requests at the very end of one window…
    clock.now = START + 59_000;
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(200);
    // …still weigh almost fully just after the boundary: 3 × 59/60 = 2.95
    // leaves room for one request, where a fixed window would allow three.
    clock.now = START + 61_000;
    expect((await post()).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    // 3 × (1 − e/60) + 1 < 3 once e > 20 s, i.e. 19 s from now (+1 to be past it).
    expect(refused.headers['retry-after']).toBe('20');
    clock.now += 19_000;
    expect((await post()).status).toBe(429);
    clock.now += 1_000;
    expect((await post()).status).toBe(200);
  });

  it('forgets everything after two quiet windows', async () => {
    const { post, clock } = setup();
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(429);
    clock.now += 120_000;
    const res = await post();
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-remaining']).toBe('2');
  });

  it('does not count refused requests', async () => {
    const { post, clock, cache } = setup({ limit: 2 });
    for (let i = 0; i < 2; i++) expect((await post()).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await post()).status).toBe(429);
    expect([...cache.entries.values()].map(e => e.value)).toEqual([2]);
    clock.now += 61_000;
    expect((await post()).status).toBe(200);
  });

  it('counts nothing when disabled, but still sets the caller', async () => {
    const { post, handled, cache } = setup({ enabled: false, limit: 1 });
    for (let i = 0; i < 3; i++) {
      const res = await post();
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
    expect(cache.entries.size).toBe(0);
    expect(handled).toEqual(Array(3).fill('user:default/alice'));
  });

  it('lets requests through when the cache fails, and says so', async () => {
    const { post, cache, logger } = setup({ limit: 1 });
    cache.fail = true;
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(200);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Rate limit 'diagnoses' not applied: the cache failed \(Error: cache unavailable\)/,
      ),
    );
  });

  it('answers 401 without credentials, before counting', async () => {
    const clock = { now: START };
    const cache = new FakeCache(() => clock.now);
    const app = express()
      .post(
        '/x',
        rateLimit({
          cache,
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.none(),
          }),
          limit: 1,
          windowSeconds: 60,
          name: 'query',
        }),
        (_req, res) => res.end(),
      )
      .use(mockErrorHandler());
    expect((await request(app).post('/x')).status).toBe(401);
    expect(cache.entries.size).toBe(0);
  });

  it('hashes long caller refs into the key', async () => {
    const { post, cache } = setup();
    const long = `user:default/${'a'.repeat(300)}`;
    expect((await post(mockCredentials.user.header(long))).status).toBe(200);
    const [key] = cache.entries.keys();
    expect(key).toMatch(/^ratelimit:v1:diagnoses:\d+:sha256-[0-9a-f]{64}$/);
  });
});
