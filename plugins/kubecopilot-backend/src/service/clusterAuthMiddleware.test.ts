import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { currentClusterAuth } from '../kubernetes/clusterAuth';
import {
  clusterAuthMiddleware,
  parseClusterAuthHeader,
} from './clusterAuthMiddleware';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

describe('parseClusterAuthHeader', () => {
  it("accepts the Kubernetes plugin's auth shape", () => {
    expect(
      parseClusterAuthHeader(
        JSON.stringify({
          oidc: { okta: TOKEN, 'corp-sso': TOKEN },
          google: TOKEN,
        }),
      ),
    ).toEqual({ oidc: { okta: TOKEN, 'corp-sso': TOKEN }, google: TOKEN });
  });

  it.each([
    ['not JSON', `{"oidc": ${TOKEN}`, /is not JSON/],
    ['an array', '[]', /malformed at \(root\)/],
    [
      'a token with whitespace',
      JSON.stringify({ google: 'a b' }),
      /malformed at google/,
    ],
    [
      'a nested object too deep',
      JSON.stringify({ oidc: { okta: { x: TOKEN } } }),
      /malformed at oidc/,
    ],
    [
      'an auth name that would break the proxy header',
      JSON.stringify({ 'oidc-x': TOKEN }),
      /malformed at oidc-x/,
    ],
    [
      'a provider name with a newline',
      JSON.stringify({ oidc: { 'a\nb': TOKEN } }),
      /malformed at oidc/,
    ],
    [
      'too many providers',
      JSON.stringify({
        oidc: Object.fromEntries([...Array(9)].map((_, i) => [`p${i}`, 't'])),
      }),
      /malformed at oidc/,
    ],
    [
      'too large',
      JSON.stringify({ google: 'x'.repeat(9000) }),
      /larger than 8192 bytes/,
    ],
  ])(
    'refuses %s with an InputError that does not echo the value',
    (_, value, message) => {
      let error: unknown;
      try {
        parseClusterAuthHeader(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(TOKEN);
    },
  );
});

describe('clusterAuthMiddleware', () => {
  function app() {
    const router = Router();
    router.use(express.json());
    router.use(clusterAuthMiddleware());
    let afterResponse: Promise<unknown> | undefined;
    router.post('/read', async (_req, res) => {
      // Still inside the request after an await, like a service call.
      await new Promise(resolve => setTimeout(resolve, 1));
      const during = currentClusterAuth();
      // Work the request started that runs on after its response (a timer
      // keeps the request's async context).
      afterResponse = new Promise(resolve =>
        setTimeout(() => resolve(currentClusterAuth()), 100),
      );
      res.json({ during: during ?? null });
    });
    router.get('/after', async (_req, res) => {
      res.json({ after: (await afterResponse) ?? null });
    });
    const server = express();
    server.use(router);
    server.use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      }).error(),
    );
    return server;
  }

  it("makes the header's credentials available to the request, then forgets them", async () => {
    const server = app();
    const res = await request(server)
      .post('/read')
      .set(
        'X-Kubecopilot-Cluster-Auth',
        JSON.stringify({ oidc: { okta: TOKEN } }),
      )
      .send({ entityRef: 'component:default/checkout' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ during: { oidc: { okta: TOKEN } } });
    expect((await request(server).get('/after')).body).toEqual({ after: null });
  });

  it('leaves requests without the header alone', async () => {
    const res = await request(app()).post('/read').send({});
    expect(res.body).toEqual({ during: null });
  });

  it('answers a malformed header with 400, without echoing it', async () => {
    const res = await request(app())
      .post('/read')
      .set('X-Kubecopilot-Cluster-Auth', JSON.stringify({ google: [TOKEN] }));
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });
});
