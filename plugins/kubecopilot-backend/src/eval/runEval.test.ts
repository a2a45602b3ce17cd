/**
 * The harness end to end on a few scenarios of the corpus: the demo cluster,
 * this plugin with the real Kubernetes backend, the HTTP API — and, for the
 * model path, a local OpenAI-compatible server standing in for the endpoint
 * a user would point `npm run eval` at.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadCorpus } from './corpus';
import { resultsDocument, textReport } from './report';
import { runEval } from './runEval';

const corpus = loadCorpus(
  path.resolve(__dirname, '../../../../eval/scenarios'),
  ['k8sgpt-pod-crashloop', 'aibench-fix-service-routing'],
);

/** Answers like an OpenAI-compatible server; records the requests. */
async function fakeModelServer() {
  const requests: Array<{ path: string; body: any }> = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw);
      requests.push({ path: req.url ?? '', body });
      const prompt = JSON.stringify(body.messages);
      // The crash loop is explained with the objects it was given; the
      // routing scenario gets a root cause naming a pod that does not exist.
      const answer = prompt.includes('k8sgpt-pod-crashloop')
        ? {
            summary: 'example crash-loops on start-up.',
            rootCause:
              'Container example of pod example-7c5f8b9d4d-x2kqp exits 1: LISTEN_PORT is "eighty", not a number.',
            confirmedFindings: ['F1'],
            additionalFindings: [],
            recommendations: [],
          }
        : {
            summary: 'No endpoints.',
            rootCause: 'Pod checkout-api-9c6d8f7b5f-zzzzz was deleted.',
            confirmedFindings: ['F1'],
            additionalFindings: [],
            recommendations: [],
          };
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: 1768478400,
          model: body.model,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: JSON.stringify(answer),
                refusal: null,
              },
              finish_reason: 'stop',
            },
          ],
          usage: {
            prompt_tokens: 1500,
            completion_tokens: 120,
            total_tokens: 1620,
          },
        }),
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

describe('runEval', () => {
  it('diagnoses each scenario through the HTTP API, rules only and with a model k times', async () => {
    const model = await fakeModelServer();
    try {
      const run = await runEval({
        scenarios: corpus,
        model: {
          baseUrl: model.url,
          model: 'fake-model',
          apiKey: 'sk-test',
          k: 2,
          pricing: { promptPer1k: 0.1, completionPer1k: 0.4 },
        },
      });

      const crash = run.rules.find(r => r.id === 'k8sgpt-pod-crashloop')!;
      expect(crash.found).toContain('CrashLoopBackOff');
      expect(crash).toMatchObject({
        healthy: false,
        expected: ['CrashLoopBackOff'],
        missing: [],
      });
      const routing = run.rules.find(
        r => r.id === 'aibench-fix-service-routing',
      )!;
      expect(routing.found).toContain('ServiceNoEndpoints');

      // Both scenarios asked the model twice: the answer is not cached.
      expect(model.requests).toHaveLength(4);
      expect(model.requests[0].path).toBe('/v1/chat/completions');
      expect(model.requests[0].body.model).toBe('fake-model');

      const m = run.model!;
      const crashRuns = m.scenarios.find(s => s.id === 'k8sgpt-pod-crashloop')!;
      expect(crashRuns).toMatchObject({
        passAtK: true,
        passHatK: true,
        promptTokens: 3000,
        completionTokens: 240,
      });
      expect(
        crashRuns.runs.every(r => r.answered && r.agrees && r.latencyMs > 0),
      ).toBe(true);
      const routingRuns = m.scenarios.find(
        s => s.id === 'aibench-fix-service-routing',
      )!;
      expect(routingRuns).toMatchObject({ passAtK: false, passHatK: false });
      expect(
        routingRuns.runs.every(r => r.groundingViolation && r.schemaValid),
      ).toBe(true);
      expect(m.summary).toMatchObject({
        model: 'fake-model',
        k: 2,
        passAtK: 0.5,
        passHatK: 0.5,
        schemaValidRate: 1,
        groundingViolations: 2,
        promptTokens: 6000,
        completionTokens: 480,
        costUsd: 0.792,
      });

      const doc = resultsDocument(run, corpus);
      expect(doc.summary).toMatchObject({
        scenarios: 2,
        ported: 2,
        falseAlarms: 0,
      });
      expect(doc.scenarios.map(s => Object.keys(s).slice(0, 6))).toEqual([
        ['id', 'source', 'healthy', 'expected', 'found', 'pass'],
        ['id', 'source', 'healthy', 'expected', 'found', 'pass'],
      ]);
      const text = textReport(run, corpus);
      expect(text).toContain('k8sgpt-pod-crashloop');
      expect(text).toMatch(/k=2: pass@k 50%, pass\^k 50%/);
    } finally {
      await model.close();
    }
  }, 180_000);
});
