import { mockCredentials } from '@backstage/backend-test-utils';

export const alice = mockCredentials.user.header('user:default/alice');
export const bob = mockCredentials.user.header('user:default/bob');

/** A JSON call to a running backend (fetch, so it works across processes). */
export async function call(
  base: string,
  method: string,
  path: string,
  as: string = alice,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/api/kubecopilot${path}`, {
    method,
    headers: {
      authorization: as,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

/**
 * Resolves with `probe()`'s value once `done` holds for it; fails with the
 * last value after `timeoutMs`. For waiting on work another process or a
 * scheduler does, where there is no event to await.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(
          value,
        )}`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
