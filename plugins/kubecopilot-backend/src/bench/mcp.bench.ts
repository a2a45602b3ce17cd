/*
 * MCP overhead benchmark (run by `npm run bench`, or alone from the repo root:
 * `node -r @backstage/cli/config/nodeTransform.cjs plugins/kubecopilot-backend/src/bench/mcp.bench.ts`).
 * Prints `BENCH_RESULT {json}` lines; see scripts/bench.mjs.
 *
 * The same rules-only diagnosis of the crash-looping checkout, asked for
 * alternately through the HTTP API (`POST /diagnoses`) and as an AI assistant
 * asks for it: the real `@modelcontextprotocol/sdk` client over streamable
 * HTTP → `@backstage/plugin-mcp-actions-backend` → the actions registry →
 * `kubecopilot:diagnose-entity`. The figure is MCP p95 − HTTP p95 — target
 * ≤ 20 ms. KUBECOPILOT_BENCH_MCP_REQUESTS calls each (default 60).
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
// A dev script: it runs the same stack as the MCP integration test.
// eslint-disable-next-line no-restricted-imports
import {
  backendConfig,
  CHECKOUT,
  component,
  shopScenarios,
} from '../__testUtils__/demoBackend';
import { startDemoCluster } from '@kubecopilot/demo-cluster';
import { kubecopilotPlugin } from '../plugin';

const REQUESTS = Number(process.env.KUBECOPILOT_BENCH_MCP_REQUESTS ?? 60);
const WARMUP = 5;

const print = (figure: Record<string, unknown>) =>
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(figure)}\n`);
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
};
const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  // client-node loads lazily; load it before the first request's deadline.
  await import('@kubernetes/client-node');
  const cluster = await startDemoCluster({
    port: 0,
    podStartupMs: 50,
    scenarios: shopScenarios(),
  });
  try {
    const backend = await startTestBackend({
      features: [
        kubecopilotPlugin,
        kubernetesPlugin,
        mcpActionsPlugin,
        catalogServiceMock.factory({
          entities: [component('checkout'), component('storefront')],
        }),
        mockServices.rootConfig.factory({
          data: backendConfig(cluster, {
            backend: { actions: { pluginSources: ['kubecopilot'] } },
            kubecopilot: { limits: { rateLimit: { enabled: false } } },
          }),
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    const base = `http://localhost:${port}`;
    const authorization = mockCredentials.user.header('user:default/alice');

    const client = new Client({ name: 'kubecopilot-bench', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/api/mcp-actions/v1`), {
        requestInit: { headers: { authorization } },
      }),
    );

    const viaHttp = async () => {
      const res = await fetch(`${base}/api/kubecopilot/diagnoses`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ entityRef: CHECKOUT }),
      });
      const body = await res.json();
      if (!res.ok || !body.findings?.length) {
        throw new Error(
          `POST /diagnoses: ${res.status} ${JSON.stringify(body)}`,
        );
      }
    };
    const viaMcp = async () => {
      const result = await client.callTool({
        name: 'kubecopilot.diagnose-entity',
        arguments: { entityRef: CHECKOUT },
      });
      if (
        result.isError ||
        !(result.structuredContent as any)?.findings?.length
      ) {
        throw new Error(`tools/call: ${JSON.stringify(result.content)}`);
      }
    };
    const timed = async (fn: () => Promise<void>) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };

    for (let i = 0; i < WARMUP; i++) {
      await viaHttp();
      await viaMcp();
    }
    const http: number[] = [];
    const mcp: number[] = [];
    // Alternating, so both see the same cluster, cache and machine load.
    for (let i = 0; i < REQUESTS; i++) {
      http.push(await timed(viaHttp));
      mcp.push(await timed(viaMcp));
    }
    // The path alone: a plan read, a few milliseconds of work either way.
    const drafted = await fetch(`${base}/api/kubecopilot/plans`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({
        entityRef: CHECKOUT,
        intent: 'scale checkout to 2',
      }),
    }).then(res => res.json());
    const readHttp = async () => {
      const res = await fetch(`${base}/api/kubecopilot/plans/${drafted.id}`, {
        headers: { authorization },
      });
      if (!res.ok) throw new Error(`GET /plans/:id: ${res.status}`);
      await res.json();
    };
    const readMcp = async () => {
      const result = await client.callTool({
        name: 'kubecopilot.get-plan',
        arguments: { id: drafted.id },
      });
      if (result.isError) throw new Error(JSON.stringify(result.content));
    };
    const httpRead: number[] = [];
    const mcpRead: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      httpRead.push(await timed(readHttp));
      mcpRead.push(await timed(readMcp));
    }
    await client.close();

    const readOverhead = percentile(mcpRead, 95) - percentile(httpRead, 95);
    print({
      figure:
        'MCP tools/call get-plan p95 − HTTP GET /plans/:id p95 (the MCP path alone)',
      value: round(readOverhead),
      unit: 'ms',
      mcpP95Ms: round(percentile(mcpRead, 95)),
      httpP95Ms: round(percentile(httpRead, 95)),
      mcpP50Ms: round(percentile(mcpRead, 50)),
      httpP50Ms: round(percentile(httpRead, 50)),
    });

    const overhead = percentile(mcp, 95) - percentile(http, 95);
    print({
      figure:
        'MCP tools/call diagnose-entity p95 − HTTP POST /diagnoses p95 (rules only)',
      value: round(overhead),
      unit: 'ms',
      target: '≤ 20 ms',
      pass: overhead <= 20,
      mcpP95Ms: round(percentile(mcp, 95)),
      httpP95Ms: round(percentile(http, 95)),
      mcpP50Ms: round(percentile(mcp, 50)),
      httpP50Ms: round(percentile(http, 50)),
      requests: REQUESTS,
      note: 'each tools/call is one stateless MCP session: tools/list of the registry, then the invoke, both over HTTP inside the backend',
    });
    print({
      figure: 'MCP tools/call diagnose-entity p95',
      value: round(percentile(mcp, 95)),
      unit: 'ms',
    });
    print({
      figure: 'HTTP POST /diagnoses p95 (same run)',
      value: round(percentile(http, 95)),
      unit: 'ms',
    });
    await backend.stop();
  } finally {
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
