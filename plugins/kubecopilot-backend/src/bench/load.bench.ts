/*
 * Load benchmark (run by `npm run bench`, or alone from the repo root:
 * `npm run bench -- load`). Prints `BENCH_RESULT {json}` lines; see
 * scripts/bench.mjs.
 *
 * autocannon (as a library) against a running backend — this plugin, the real
 * Kubernetes backend and a mock catalog in a Backstage test backend — and the
 * demo cluster with every scenario:
 *
 * 1. rules-only `POST /diagnoses`, 10 entities, 50 connections;
 * 2. `GET /plans?status=pending` over a store of seeded plans, 50 connections;
 * 3. `POST /diagnoses` with the model on: an OpenAI-compatible fake (plain
 *    node:http, no msw) answering every chat completion after 2 s, counting
 *    its calls.
 *
 * Each run lasts BENCH_LOAD_SECONDS (default 30). For each: throughput,
 * p50/p99 latency, errors (non-2xx, socket errors and timeouts; target 0),
 * diagnoses answered with failed reads (target 0), the backend's event-loop
 * delay p99 (target ≤ 100 ms) and its RSS growth; for the model run, duplicate
 * model calls (a prompt the model was already sent: identical in-flight
 * requests must share one call; target 0), model calls against distinct
 * targets, and whether the model's answers were used. Requests cycle through
 * the 10 entities and 5 users (every 10 requests, the next user), so identical
 * requests meet both in the per-user diagnosis and in the shared model call.
 *
 * Processes: this one runs autocannon and the fake model; the backend runs in
 * a child process (this file, KUBECOPILOT_LOAD_ROLE=backend) so that its event
 * loop and memory are measured without the load generator's; the demo cluster
 * runs in its own process, as in diagnosis.bench.ts.
 *
 * The 10 entities: the 9 Components of examples/entities.yaml plus
 * `checkout-eu`, a second catalog entity over the checkout scenario's
 * workloads (same `backstage.io/kubernetes-id`), i.e. a distinct diagnosis
 * target over the same objects.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import autocannon from 'autocannon';
import knexFactory, { Knex } from 'knex';
import { ChildProcess, fork, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { kubecopilotPlugin } from '../plugin';
// A dev script: the same fixtures as the tests.
// eslint-disable-next-line no-restricted-imports
import { makePlan } from '../__testUtils__/plans';
// eslint-disable-next-line no-restricted-imports
import { scenarioFile } from '../diagnosis/__testUtils__/checkoutFixture';
// eslint-disable-next-line no-restricted-imports
import { exampleEntities } from '../diagnosis/__testUtils__/diagnosisBackend';

const setting = (name: string, fallback: number) =>
  Number(process.env[name] ?? fallback);

const SECONDS = setting('BENCH_LOAD_SECONDS', 30);
const CONNECTIONS = setting('KUBECOPILOT_BENCH_LOAD_CONNECTIONS', 50);
const LLM_DELAY_MS = setting('KUBECOPILOT_BENCH_LLM_DELAY_MS', 2_000);
const PLANS = setting('KUBECOPILOT_BENCH_LOAD_PLANS', 2_000);
/** Requests cycle through the entities and, every 10, to the next of these users. */
const USERS = [
  'user:default/load-0',
  'user:default/load-1',
  'user:default/load-2',
  'user:default/load-3',
  'user:default/load-4',
];
const EVENT_LOOP_P99_MAX_MS = 100;

const print = (figure: Record<string, unknown>) =>
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(figure)}\n`);
const round = (n: number, digits = 1) =>
  Math.round(n * 10 ** digits) / 10 ** digits;
const MB = 1024 * 1024;

interface ClusterConnection {
  url: string;
  token: string;
  caData: string;
}

/** What the backend child is started with (JSON in KUBECOPILOT_LOAD_OPTIONS). */
interface BackendOptions {
  cluster: ClusterConnection;
  entities: Entity[];
  /** PostgreSQL server URL (a database is created for the run); absent: in-memory SQLite. */
  postgresUrl?: string;
  /** The fake model's base URL; absent: rules only. */
  llmBaseUrl?: string;
  /** Plans to seed: every fourth pending, spread over the entities. */
  plans: number;
}

/** What the backend child reports about one run. */
interface ServerMeasure {
  eventLoopP99Ms: number;
  eventLoopP50Ms: number;
  eventLoopMaxMs: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  gcForced: boolean;
}

// ---------------------------------------------------------------------------
// The backend child process.

async function backendMain() {
  const options = JSON.parse(
    process.env.KUBECOPILOT_LOAD_OPTIONS!,
  ) as BackendOptions;
  let dropDatabase: (() => Promise<void>) | undefined;
  let knex: Knex;
  if (options.postgresUrl) {
    const name = `kubecopilot_load_${randomUUID()
      .replace(/-/g, '')
      .slice(0, 12)}`;
    const admin = knexFactory({
      client: 'pg',
      connection: options.postgresUrl,
    });
    await admin.raw(`CREATE DATABASE ${name}`);
    knex = knexFactory({
      client: 'pg',
      connection: `${options.postgresUrl.replace(/\/$/, '')}/${name}`,
      pool: { min: 1, max: 10 },
    });
    dropDatabase = async () => {
      await admin.raw(`DROP DATABASE ${name}`);
      await admin.destroy();
    };
  } else {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    });
  }

  // Seed the plans the inbox query pages through (migrations run here; the
  // plugin's run finds them applied).
  const store = await DatabasePlanStore.create({
    database: mockServices.database({ knex }),
  });
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const statuses = ['pending', 'executed', 'rejected', 'expired'] as const;
  for (let i = 0; i < options.plans; i++) {
    const entity = options.entities[i % options.entities.length].metadata.name;
    await store.createPlan(
      makePlan({
        id: randomUUID(),
        createdAt: new Date(base + i * 60_000).toISOString(),
        status: statuses[i % statuses.length],
        entityRef: `component:default/${entity}`,
        cluster: 'demo',
        name: entity,
        requestedBy: USERS[i % USERS.length],
      }),
      { ownerRef: 'group:default/team-shop' },
    );
  }

  const backend = await startTestBackend({
    features: [
      kubecopilotPlugin,
      kubernetesPlugin,
      mockServices.database.factory({ knex }),
      // KUBECOPILOT_BENCH_LOG_LEVEL=error shows why requests failed.
      mockServices.rootLogger.factory({
        level: (process.env.KUBECOPILOT_BENCH_LOG_LEVEL ?? 'none') as 'none',
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'demo',
                    url: options.cluster.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: options.cluster.token,
                    caData: options.cluster.caData,
                    skipMetricsLookup: true,
                  },
                ],
              },
            ],
          },
          kubecopilot: {
            // Capacity, not the per-caller limiter: five users at 50
            // connections would be refused with 429 within seconds.
            limits: { rateLimit: { enabled: false } },
            llm: options.llmBaseUrl
              ? {
                  provider: 'openai-compatible',
                  baseUrl: options.llmBaseUrl,
                  model: 'load-fake',
                  apiKey: 'unused',
                }
              : { provider: 'none' },
          },
        },
      }),
    ],
  });
  const port = (backend.server.address() as { port: number }).port;

  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const gc = (globalThis as { gc?: () => void }).gc;
  const memory = () => {
    gc?.();
    const m = process.memoryUsage();
    return { rss: m.rss / MB, heap: m.heapUsed / MB };
  };
  let before = memory();

  process.on('message', async (message: { cmd: string }) => {
    if (message.cmd === 'mark') {
      before = memory();
      histogram.reset();
      histogram.enable();
      process.send!({ cmd: 'mark' });
    } else if (message.cmd === 'measure') {
      histogram.disable();
      const after = memory();
      const measure: ServerMeasure = {
        eventLoopP99Ms: histogram.percentile(99) / 1e6,
        eventLoopP50Ms: histogram.percentile(50) / 1e6,
        eventLoopMaxMs: histogram.max / 1e6,
        rssBeforeMb: before.rss,
        rssAfterMb: after.rss,
        heapBeforeMb: before.heap,
        heapAfterMb: after.heap,
        gcForced: Boolean(gc),
      };
      process.send!({ cmd: 'measure', measure });
    } else if (message.cmd === 'stop') {
      await backend.stop();
      await knex.destroy();
      await dropDatabase?.();
      process.exit(0);
    }
  });
  process.send!({ cmd: 'ready', port });
}

// ---------------------------------------------------------------------------
// This process: demo cluster, fake model, load.

/** The demo cluster in its own process (the CLI), as in diagnosis.bench.ts. */
async function spawnDemoCluster(scenarios: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecopilot-load-'));
  const bin = require.resolve(
    '@kubecopilot/demo-cluster/bin/kubecopilot-demo-cluster',
  );
  const child = spawn(
    process.execPath,
    [
      bin,
      '--port',
      '0',
      '--cert-dir',
      dir,
      ...scenarios.flatMap(s => ['--scenario', s]),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', chunk => {
      out += chunk;
      const m = /listening on (https:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', code =>
      reject(new Error(`demo cluster exited with ${code}: ${out}`)),
    );
  });
  return {
    url,
    token: 'kubecopilot-demo-token',
    caData: fs.readFileSync(path.join(dir, 'ca.crt')).toString('base64'),
    stop: async () => {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An OpenAI-compatible chat completions endpoint answering after `delayMs`
 * with a minimal diagnosis the LlmDiagnoser accepts: it confirms finding F1
 * (the model is only asked when there is at least one) and names no object,
 * so it is grounded whatever the context.
 */
async function startFakeModel(delayMs: number) {
  const stats = {
    calls: 0,
    inFlight: 0,
    maxInFlight: 0,
    other: 0,
    /** Prompt hash → entity ref named in it, for every call. */
    prompts: new Map<string, string>(),
    duplicates: 0,
    reset() {
      this.calls = 0;
      this.maxInFlight = 0;
      this.prompts.clear();
      this.duplicates = 0;
    },
  };
  const answer = JSON.stringify({
    summary: 'Load benchmark answer: the rule findings stand.',
    rootCause: 'The first rule finding is the root cause (fake model).',
    confirmedFindings: ['F1'],
    additionalFindings: [],
    recommendations: [],
  });
  const server: Server = createServer(
    (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
          stats.other += 1;
          res.writeHead(404).end();
          return;
        }
        stats.calls += 1;
        stats.inFlight += 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        let model = 'load-fake';
        try {
          const parsed = JSON.parse(body);
          model = parsed.model ?? model;
          const prompt = JSON.stringify(parsed.messages);
          const hash = createHash('sha256').update(prompt).digest('hex');
          if (stats.prompts.has(hash)) stats.duplicates += 1;
          stats.prompts.set(
            hash,
            /component:[a-z0-9-]+\/[a-z0-9-]+/i.exec(prompt)?.[0] ?? '?',
          );
        } catch {
          // answer anyway
        }
        setTimeout(() => {
          stats.inFlight -= 1;
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              id: `chatcmpl-${randomUUID()}`,
              object: 'chat.completion',
              created: Math.floor(Date.now() / 1000),
              model,
              choices: [
                {
                  index: 0,
                  message: {
                    role: 'assistant',
                    content: answer,
                    refusal: null,
                  },
                  finish_reason: 'stop',
                  logprobs: null,
                },
              ],
              usage: {
                prompt_tokens: Math.ceil(body.length / 4),
                completion_tokens: Math.ceil(answer.length / 4),
                total_tokens:
                  Math.ceil(body.length / 4) + Math.ceil(answer.length / 4),
              },
            }),
          );
        }, delayMs);
      });
    },
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stats,
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** The backend in a child process, driven over IPC. */
async function startBackend(options: BackendOptions) {
  const child: ChildProcess = fork(__filename, [], {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      '--expose-gc',
    ],
    env: {
      ...process.env,
      KUBECOPILOT_LOAD_ROLE: 'backend',
      KUBECOPILOT_LOAD_OPTIONS: JSON.stringify(options),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = (cmd: string) =>
    new Promise<any>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(
          new Error(
            `the backend exited with ${code} while waiting for '${cmd}'`,
          ),
        );
      child.once('exit', onExit);
      const onMessage = (message: { cmd: string }) => {
        if (message.cmd !== cmd) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      child.on('message', onMessage);
    });
  const call = async (cmd: string) => {
    const answer = next(cmd);
    child.send({ cmd });
    return answer;
  };
  const { port } = await next('ready');
  return {
    port: port as number,
    mark: () => call('mark'),
    measure: async () => (await call('measure')).measure as ServerMeasure,
    stop: async () => {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.send({ cmd: 'stop' });
      await Promise.race([
        exited,
        new Promise(resolve => setTimeout(resolve, 15_000)),
      ]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

type Backend = Awaited<ReturnType<typeof startBackend>>;

const authorization = (user: string) => mockCredentials.user.header(user);

async function request(
  port: number,
  method: string,
  urlPath: string,
  user: string,
  body?: unknown,
) {
  const res = await fetch(
    `http://127.0.0.1:${port}/api/kubecopilot${urlPath}`,
    {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: authorization(user),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  const text = await res.text();
  if (!res.ok)
    throw new Error(
      `${method} ${urlPath} answered ${res.status}: ${text.slice(0, 500)}`,
    );
  return JSON.parse(text);
}

interface Run {
  label: string;
  method: 'GET' | 'POST';
  /** The n-th request's path and body (n counts across all connections). */
  next: (n: number) => { path: string; body?: string };
  /** Recorded with the throughput figure. */
  info?: Record<string, unknown>;
}

/** One autocannon run, with the backend's event loop and memory around it. */
async function load(backend: Backend, run: Run) {
  let n = 0;
  let degraded = 0;
  await backend.mark();
  const started = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${backend.port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 30,
    requests: [
      {
        method: run.method,
        setupRequest: req => {
          const i = n++;
          const { path: urlPath, body } = run.next(i);
          return {
            ...req,
            path: `/api/kubecopilot${urlPath}`,
            headers: {
              ...(body ? { 'content-type': 'application/json' } : {}),
              authorization: authorization(
                USERS[Math.floor(i / 10) % USERS.length],
              ),
            },
            ...(body ? { body } : {}),
          };
        },
        ...(run.method === 'POST'
          ? {
              // A diagnosis answered 200 but with reads that failed.
              onResponse: (status: number, responseBody: string) => {
                if (status === 200 && !responseBody.includes('"errors":[]'))
                  degraded += 1;
              },
            }
          : {}),
      },
    ],
  });
  const wallS = (performance.now() - started) / 1000;
  const server = await backend.measure();
  const errors = result.errors + result.non2xx; // errors counts timeouts too
  const prefix = `load ${run.label} [${CONNECTIONS} conn × ${SECONDS} s]`;
  const detail = {
    ...run.info,
    requests: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    socketErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: round(result.latency.average),
    },
    connections: CONNECTIONS,
    seconds: SECONDS,
    wallSeconds: round(wallS),
  };
  print({
    figure: `${prefix}: throughput`,
    value: round(result.requests.average),
    unit: 'req/s',
    ...detail,
  });
  print({
    figure: `${prefix}: latency p50`,
    value: result.latency.p50,
    unit: 'ms',
  });
  print({
    figure: `${prefix}: latency p99`,
    value: result.latency.p99,
    unit: 'ms',
  });
  print({
    figure: `${prefix}: errors (non-2xx, socket errors, timeouts)`,
    value: errors,
    unit: '',
    target: '= 0',
    pass: errors === 0,
    statusCodes: result.statusCodeStats,
  });
  if (run.method === 'POST') {
    print({
      figure: `${prefix}: diagnoses with failed reads`,
      value: degraded,
      unit: '',
      target: '= 0',
      pass: degraded === 0,
      note: 'answered 200 but with entries in `errors` (a read through the Kubernetes backend failed or timed out): what the user gets is degraded',
    });
  }
  print({
    figure: `${prefix}: backend event-loop delay p99`,
    value: round(server.eventLoopP99Ms),
    unit: 'ms',
    target: `≤ ${EVENT_LOOP_P99_MAX_MS} ms`,
    pass: server.eventLoopP99Ms <= EVENT_LOOP_P99_MAX_MS,
    p50: round(server.eventLoopP50Ms),
    max: round(server.eventLoopMaxMs),
    note: 'perf_hooks.monitorEventLoopDelay (10 ms resolution) in the backend process, during the run only',
  });
  print({
    figure: `${prefix}: backend RSS growth`,
    value: round(server.rssAfterMb - server.rssBeforeMb),
    unit: 'MB',
    rssBeforeMb: round(server.rssBeforeMb),
    rssAfterMb: round(server.rssAfterMb),
    heapUsedBeforeMb: round(server.heapBeforeMb),
    heapUsedAfterMb: round(server.heapAfterMb),
    gcForcedBeforeEachReading: server.gcForced,
  });
  return { result, server };
}

/** Waits until `state()` has not changed for `forMs` (at most a minute). */
async function quiet(state: () => string, forMs: number) {
  const deadline = Date.now() + 60_000;
  let last = state();
  let since = Date.now();
  while (Date.now() - since < forMs && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 100));
    if (state() !== last) {
      last = state();
      since = Date.now();
    }
  }
}

/** The latest diagnosis of each entity, as its owner would list it. */
async function latestDiagnoses(port: number, names: string[]) {
  const latest = new Map<
    string,
    { source: string; findings: unknown[]; fallbackReason?: string }
  >();
  for (const name of names) {
    const { items } = await request(
      port,
      'GET',
      `/diagnoses?entityRef=component:default/${name}&limit=1`,
      USERS[0],
    );
    if (items[0]) latest.set(name, items[0]);
  }
  return latest;
}

async function main() {
  const entities = exampleEntities();
  const checkout = entities.find(e => e.metadata.name === 'checkout')!;
  entities.push({
    ...checkout,
    metadata: {
      ...checkout.metadata,
      name: 'checkout-eu',
      title: 'Checkout (EU), same workloads',
    },
  });
  const names = entities.map(e => e.metadata.name);
  // Warm-up only: the same workloads under other names, so that warming the
  // model path (module loading, first TLS and DB connections) leaves no
  // cached answer or in-flight call for the entities of the run.
  const warmups = entities.slice(0, 9).map(e => ({
    ...e,
    metadata: { ...e.metadata, name: `warmup-${e.metadata.name}` },
  }));
  const catalog = [...entities, ...warmups];
  const bodies = names.map(name =>
    JSON.stringify({ entityRef: `component:default/${name}` }),
  );
  const postgresUrl =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  const where = postgresUrl ? 'PostgreSQL' : 'SQLite';
  process.stdout.write(
    `load: ${names.length} entities, ${CONNECTIONS} connections, ${SECONDS} s per run, ${where}, model delay ${LLM_DELAY_MS} ms\n`,
  );

  const cluster = await spawnDemoCluster([scenarioFile('demo')]);
  const model = await startFakeModel(LLM_DELAY_MS);
  const connection = {
    url: cluster.url,
    token: cluster.token,
    caData: cluster.caData,
  };
  const diagnose: Run = {
    label: '',
    info: { database: where, entities: names, users: USERS.length },
    method: 'POST',
    next: i => ({ path: '/diagnoses', body: bodies[i % bodies.length] }),
  };
  const backends: Backend[] = [];
  try {
    // Rules only: diagnoses, then the inbox.
    const rules = await startBackend({
      cluster: connection,
      entities: catalog,
      postgresUrl,
      plans: PLANS,
    });
    backends.push(rules);
    const alone: number[] = [];
    for (let round_ = 0; round_ < 3; round_++) {
      for (const name of names) {
        const started = performance.now();
        await request(rules.port, 'POST', '/diagnoses', USERS[0], {
          entityRef: `component:default/${name}`,
        });
        if (round_ > 0) alone.push(performance.now() - started);
      }
    }
    for (let i = 0; i < 20; i++)
      await request(rules.port, 'GET', '/plans?status=pending', USERS[0]);
    const eligible = [...(await latestDiagnoses(rules.port, names)).entries()]
      .filter(([, d]) => d.findings.length > 0)
      .map(([name]) => name);
    alone.sort((a, b) => a - b);
    print({
      figure:
        'load baseline: rules-only POST /diagnoses alone, one at a time, p50',
      value: round(alone[Math.floor(alone.length / 2)]),
      unit: 'ms',
      requests: alone.length,
      note: 'the same backend just before the load, to compare the latencies under load with',
    });

    await load(rules, { ...diagnose, label: 'POST /diagnoses, rules only' });
    const page = await request(
      rules.port,
      'GET',
      '/plans?status=pending',
      USERS[0],
    );
    await load(rules, {
      label: 'GET /plans?status=pending',
      info: {
        database: where,
        plans: PLANS,
        pending: Math.ceil(PLANS / 4),
        pageSize: page.items?.length,
      },
      method: 'GET',
      next: () => ({ path: '/plans?status=pending' }),
    });
    await rules.stop();
    backends.pop();

    // With the model: warmed up on the warm-up entities only, so that the run
    // starts with no cached answer for its entities and identical requests
    // arrive while the first model calls are in flight.
    const llm = await startBackend({
      cluster: connection,
      entities: catalog,
      postgresUrl,
      llmBaseUrl: model.baseUrl,
      plans: 0,
    });
    backends.push(llm);
    for (let i = 0; i < 2; i++) {
      await Promise.all(
        warmups.map(e =>
          request(llm.port, 'POST', '/diagnoses', USERS[i], {
            entityRef: `component:default/${e.metadata.name}`,
          }),
        ),
      );
    }
    process.stdout.write(`model warm-up: ${model.stats.calls} calls\n`);
    model.stats.reset();
    await load(llm, {
      ...diagnose,
      label: `POST /diagnoses, model answering in ${LLM_DELAY_MS / 1000} s`,
      info: { ...diagnose.info, modelDelayMs: LLM_DELAY_MS },
    });
    // Then each entity once more, one at a time. Requests cut off by the end
    // of the run still finish on the server: these join them or, for
    // unchanged objects, get the cached answer, so no target gets a second
    // call; each answer must be the model's.
    const callsDuringRun = model.stats.calls;
    // Let the cut-off requests drain first, so that these do not join a
    // diagnosis whose reads failed under the load.
    await quiet(() => `${model.stats.inFlight}/${model.stats.calls}`, 3_000);
    const answered: string[] = [];
    const fallbacks: Record<string, string | null> = {};
    for (const name of names) {
      const d = await request(llm.port, 'POST', '/diagnoses', USERS[0], {
        entityRef: `component:default/${name}`,
      });
      if (d.source === 'llm') answered.push(name);
      else fallbacks[name] = d.fallbackReason ?? null;
    }
    await quiet(() => `${model.stats.inFlight}/${model.stats.calls}`, 2_000);
    const calls = model.stats.calls;
    const distinct = names.length;
    const inputsPerTarget: Record<string, number> = {};
    for (const ref of model.stats.prompts.values())
      inputsPerTarget[ref] = (inputsPerTarget[ref] ?? 0) + 1;
    print({
      figure:
        'load POST /diagnoses, model: duplicate model calls (same prompt as an earlier call)',
      value: model.stats.duplicates,
      unit: '',
      target: '= 0',
      pass: model.stats.duplicates === 0,
      calls,
      distinctPrompts: model.stats.prompts.size,
      note: 'identical in-flight requests must share one call: one diagnosis per user and entity, one model call per set of objects at their resourceVersions whoever asks, then the cache',
    });
    print({
      figure: `load POST /diagnoses, model: model calls for ${distinct} distinct targets (${USERS.length} users each)`,
      value: calls,
      unit: 'calls',
      // Information: with a live cluster, objects change during the run.
      target: `≤ ${distinct} while no object changes`,
      callsDuringRun,
      distinctTargets: distinct,
      targetsWithFindings: eligible.length,
      distinctPromptsPerTarget: inputsPerTarget,
      maxConcurrentModelCalls: model.stats.maxInFlight,
      note: 'over the run and one more request per entity after it. A target gets another call only when what the model would be shown changed: the demo cluster restarts crash-looping containers (new resourceVersions), and reads that fail under load change the input (see "diagnoses with failed reads"); the model is only asked when the analyzers found something',
    });
    print({
      figure:
        'load POST /diagnoses, model: each entity once more after the run, answered by the model',
      value: answered.length,
      unit: `of ${eligible.length}`,
      target: `= ${eligible.length} (entities with findings)`,
      pass: eligible.every(name => answered.includes(name)),
      fallbacks,
      note: 'unchanged objects: served from the cache, so it also shows the answers made under load were accepted (grounded, schema-valid) and cached',
    });
    await llm.stop();
    backends.pop();
  } finally {
    await Promise.all(backends.map(b => b.stop()));
    await model.stop();
    await cluster.stop();
  }
}

(process.env.KUBECOPILOT_LOAD_ROLE === 'backend'
  ? backendMain()
  : main().then(() => process.exit(0))
).catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
