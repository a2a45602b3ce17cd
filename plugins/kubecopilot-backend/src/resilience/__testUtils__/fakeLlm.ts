import { AddressInfo } from 'node:net';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';

/** How the fake OpenAI-compatible endpoint answers the next calls. */
export type LlmBehaviour =
  | { type: 'answer'; content: unknown }
  | { type: 'hang' }
  | { type: 'status'; status: number; retryAfter?: string }
  | { type: 'garbage' }
  | { type: 'drop' };

/** The grounded answer for the demo cluster's checkout crash loop. */
export const groundedCheckoutAnswer = {
  summary:
    'checkout crash-loops at start-up because PAYMENT_GATEWAY_URL is not set.',
  rootCause:
    'Release 2.3.1 requires PAYMENT_GATEWAY_URL; the container exits with code 1.',
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

/**
 * A real HTTP server speaking just enough of the chat completions API, on a
 * real socket, so hangs and dropped connections are what a client sees from
 * a broken endpoint.
 */
export async function startFakeLlm() {
  let behaviour: LlmBehaviour = {
    type: 'answer',
    content: groundedCheckoutAnswer,
  };
  const calls: number[] = [];
  /** The parsed body of each chat completion request, since the last `set`. */
  const requests: any[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      if (!req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      calls.push(Date.now());
      try {
        requests.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        requests.push(undefined);
      }
      switch (behaviour.type) {
        case 'hang':
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        case 'drop':
          req.socket.destroy();
          return;
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('<html>502 Bad Gateway</html>');
          return;
        case 'status':
          res.writeHead(behaviour.status, {
            'content-type': 'application/json',
            ...(behaviour.retryAfter && {
              'retry-after': behaviour.retryAfter,
            }),
          });
          res.end(
            JSON.stringify({
              error: { message: `status ${behaviour.status}` },
            }),
          );
          return;
        default:
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id: 'chatcmpl-1',
              object: 'chat.completion',
              created: 1,
              model: 'fake-model',
              choices: [
                {
                  index: 0,
                  finish_reason: 'stop',
                  message: {
                    role: 'assistant',
                    content: JSON.stringify(behaviour.content),
                    refusal: null,
                  },
                },
              ],
              usage: {
                prompt_tokens: 100,
                completion_tokens: 50,
                total_tokens: 150,
              },
            }),
          );
      }
    });
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls,
    requests,
    set(next: LlmBehaviour) {
      behaviour = next;
      calls.length = 0;
      requests.length = 0;
    },
    async stop() {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise(done => server.close(done));
    },
  };
}

/** `kubecopilot.llm` for the fake endpoint. */
export const fakeLlmConfig = (
  baseUrl: string,
  extra: Record<string, unknown> = {},
) => ({
  provider: 'openai-compatible',
  baseUrl,
  apiKey: 'sk-test',
  model: 'fake-model',
  ...extra,
});
