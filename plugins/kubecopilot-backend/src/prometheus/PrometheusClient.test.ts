import { ConfigReader } from '@backstage/config';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { PrometheusClient } from './PrometheusClient';

const EAST = 'http://prom-east.test';
const SHARED = 'http://prometheus.test/prom';
const SECRET = 'Bearer s3cr3t-t0ken';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function client(extra: Record<string, unknown> = {}) {
  return PrometheusClient.fromConfig(
    new ConfigReader({
      kubecopilot: {
        prometheus: {
          baseUrl: `${SHARED}/`,
          timeoutMs: 500,
          clusters: [
            {
              cluster: 'east',
              baseUrl: EAST,
              headers: { Authorization: SECRET },
            },
          ],
          ...extra,
        },
      },
    }),
  );
}

const vector = (...values: string[]) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: values.map((v, i) => ({
      metric: { pod: `p${i}` },
      value: [1767000000.123, v],
    })),
  },
});

function answer(
  base: string,
  respond: (request: Request) => Response | Promise<Response>,
) {
  const requests: { headers: Headers; form: URLSearchParams }[] = [];
  server.use(
    http.post(`${base}/api/v1/query`, async ({ request }) => {
      requests.push({
        headers: request.headers,
        form: new URLSearchParams(await request.clone().text()),
      });
      return respond(request);
    }),
  );
  return requests;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the query to fail');
}

describe('PrometheusClient', () => {
  it('knows which clusters have a Prometheus', () => {
    expect(client().isConfigured('east')).toBe(true);
    expect(client().isConfigured('west')).toBe(true);
    expect(
      PrometheusClient.fromConfig(
        new ConfigReader({
          kubecopilot: {
            prometheus: { clusters: [{ cluster: 'east', baseUrl: EAST }] },
          },
        }),
      ).isConfigured('west'),
    ).toBe(false);
    expect(
      PrometheusClient.fromConfig(new ConfigReader({})).isConfigured('east'),
    ).toBe(false);
  });

  it("posts the query with the cluster's headers and returns the single value", async () => {
    const requests = answer(EAST, () => HttpResponse.json(vector('0.0021')));
    const at = new Date('2026-01-15T12:00:00Z');
    await expect(
      client().query('east', 'sum(rate(x[1m]))', { time: at }),
    ).resolves.toEqual({ value: 0.0021, series: 1 });
    expect(requests).toHaveLength(1);
    expect(requests[0].headers.get('authorization')).toBe(SECRET);
    expect(requests[0].form.get('query')).toBe('sum(rate(x[1m]))');
    expect(requests[0].form.get('time')).toBe('1768478400');
    expect(requests[0].form.get('timeout')).toBe('450ms');
  });

  it('uses the default baseUrl (with its path) for other clusters, without the headers', async () => {
    const requests = answer(SHARED, () =>
      HttpResponse.json({
        status: 'success',
        data: { resultType: 'scalar', result: [1767000000, '42'] },
      }),
    );
    await expect(client().query('west', 'scalar(up)')).resolves.toEqual({
      value: 42,
      series: 1,
    });
    expect(requests[0].headers.get('authorization')).toBeNull();
  });

  it('answers null for an empty vector and for NaN or infinite values', async () => {
    answer(EAST, () => HttpResponse.json(vector()));
    await expect(client().query('east', 'q')).resolves.toEqual({
      value: null,
      series: 0,
    });
    for (const v of ['NaN', '+Inf', '-Inf']) {
      server.resetHandlers();
      answer(EAST, () => HttpResponse.json(vector(v)));
      await expect(client().query('east', 'q')).resolves.toEqual({
        value: null,
        series: 1,
      });
    }
  });

  it('refuses several series: aggregate the query', async () => {
    answer(EAST, () => HttpResponse.json(vector('1', '2', '3')));
    const error = await failure(client().query('east', 'rate(x[1m])'));
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      "the query returns 3 series in cluster 'east' where one value is needed: aggregate the query, e.g. with sum()",
    );
  });

  it('refuses a range vector', async () => {
    answer(EAST, () =>
      HttpResponse.json({
        status: 'success',
        data: { resultType: 'matrix', result: [] },
      }),
    );
    const error = await failure(client().query('east', 'x[1m]'));
    expect(error.name).toBe('InputError');
    expect(error.message).toContain('returns a range vector');
  });

  it("turns Prometheus's bad_data error into an InputError with its message", async () => {
    answer(EAST, () =>
      HttpResponse.json(
        {
          status: 'error',
          errorType: 'bad_data',
          error:
            'invalid parameter "query": 1:5: parse error: unexpected end of input',
        },
        { status: 400 },
      ),
    );
    const error = await failure(client().query('east', 'sum('));
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      'Prometheus rejected the query for cluster \'east\': invalid parameter "query": 1:5: parse error: unexpected end of input (bad_data)',
    );
  });

  it('turns 5xx into a ServiceUnavailableError naming the cluster and URL', async () => {
    answer(EAST, () =>
      HttpResponse.json(
        { status: 'error', errorType: 'timeout', error: 'query timed out' },
        { status: 503 },
      ),
    );
    const error = await failure(client().query('east', 'q'));
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toBe(
      "Prometheus for cluster 'east' at http://prom-east.test/api/v1/query failed (HTTP 503): query timed out (timeout)",
    );
  });

  it('explains 401/403 and 404 without showing the headers', async () => {
    answer(EAST, () => new HttpResponse('unauthorized', { status: 401 }));
    const denied = await failure(client().query('east', 'q'));
    expect(denied.name).toBe('ServiceUnavailableError');
    expect(denied.message).toContain('refused the credentials (HTTP 401)');
    expect(denied.message).not.toContain('s3cr3t');
    server.resetHandlers();
    answer(EAST, () => new HttpResponse('404 page not found', { status: 404 }));
    const missing = await failure(client().query('east', 'q'));
    expect(missing.name).toBe('ServiceUnavailableError');
    expect(missing.message).toContain('has no query API (HTTP 404)');
  });

  it('reports an answer that is not the Prometheus API', async () => {
    answer(EAST, () => HttpResponse.text('<html>proxy login</html>'));
    const error = await failure(client().query('east', 'q'));
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain(
      'answered something that is not a Prometheus query response',
    );
  });

  it('times out with a ServiceUnavailableError', async () => {
    answer(EAST, async () => {
      await delay(5_000);
      return HttpResponse.json(vector('1'));
    });
    const started = Date.now();
    const error = await failure(client().query('east', 'q'));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toBe(
      "Prometheus for cluster 'east' at http://prom-east.test/api/v1/query did not answer within 500 ms",
    );
  });

  it("rejects with the caller's abort reason", async () => {
    answer(EAST, async () => {
      await delay(5_000);
      return HttpResponse.json(vector('1'));
    });
    const controller = new AbortController();
    const reason = new Error('plan cancelled');
    setTimeout(() => controller.abort(reason), 20);
    await expect(
      client({ timeoutMs: 10_000 }).query('east', 'q', {
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
  });

  it('reports connection errors as ServiceUnavailableError', async () => {
    answer('http://127.0.0.1:9', () => HttpResponse.error());
    const unreachable = PrometheusClient.fromConfig(
      new ConfigReader({
        kubecopilot: { prometheus: { baseUrl: 'http://127.0.0.1:9' } },
      }),
    );
    const error = await failure(unreachable.query('demo', 'q'));
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      /^Prometheus for cluster 'demo' at http:\/\/127\.0\.0\.1:9\/api\/v1\/query is unreachable: /,
    );
  });

  it('names the configuration when the cluster has no Prometheus', async () => {
    const none = PrometheusClient.fromConfig(new ConfigReader({}));
    const error = await failure(none.query('east', 'q'));
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      "no Prometheus configured for cluster 'east' (set kubecopilot.prometheus.baseUrl, or add the cluster to kubecopilot.prometheus.clusters)",
    );
  });

  it('runs a range query with start, end and step, and keeps every series without NaN samples', async () => {
    const requests: URLSearchParams[] = [];
    server.use(
      http.post(`${EAST}/api/v1/query_range`, async ({ request }) => {
        requests.push(new URLSearchParams(await request.text()));
        return HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: { container: 'api' },
                values: [
                  [1767000000, '0.5'],
                  [1767000015, 'NaN'],
                  [1767000030, '0.25'],
                ],
              },
              { metric: { container: 'proxy' }, values: [[1767000000, '1']] },
            ],
          },
        });
      }),
    );
    const series = await client().queryRange('east', 'rate(x[1m])', {
      start: new Date(1767000000_000),
      end: new Date(1767000030_000),
      stepSeconds: 15,
    });
    expect(series).toEqual([
      {
        labels: { container: 'api' },
        points: [
          [1767000000_000, 0.5],
          [1767000030_000, 0.25],
        ],
      },
      { labels: { container: 'proxy' }, points: [[1767000000_000, 1]] },
    ]);
    expect(Object.fromEntries(requests[0])).toEqual({
      query: 'rate(x[1m])',
      timeout: '450ms',
      start: '1767000000',
      end: '1767000030',
      step: '15s',
    });
  });
});
