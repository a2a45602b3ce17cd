import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * The deadline passed before Kubernetes answered. Still a
 * `ServiceUnavailableError` (503) for HTTP callers; a distinct class because
 * after a write it means the outcome is unknown and the object must be re-read.
 */
export class KubernetesTimeoutError extends ServiceUnavailableError {}

/** What a failed call was, for messages: `GET /api/v1/… in cluster 'east'`. */
export interface CallTarget {
  description: string;
  cluster?: string;
}

function where(target: CallTarget): string {
  return target.cluster
    ? `${target.description} in cluster '${target.cluster}'`
    : target.description;
}

/**
 * The message of an error body: a Kubernetes `Status`, or the Kubernetes
 * backend's own `{ error: { name, message } }`, or the raw text.
 */
function messageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text);
    if (body?.kind === 'Status' && typeof body.message === 'string') {
      return body.message;
    }
    if (typeof body?.error?.message === 'string') {
      return body.error.message;
    }
    if (typeof body?.error === 'string') {
      return body.error;
    }
  } catch {
    // not JSON; fall through to the text
  }
  const trimmed = text.trim();
  return trimmed ? trimmed.slice(0, 500) : undefined;
}

/** Maps an unsuccessful response of the Kubernetes backend to an error. */
export async function errorFromResponse(
  response: Response,
  target: CallTarget,
): Promise<Error> {
  const message =
    messageOf(await response.text().catch(() => '')) ??
    `HTTP ${response.status} ${response.statusText}`;
  switch (response.status) {
    case 400:
    case 422:
      return new InputError(`${where(target)} was rejected: ${message}`);
    case 401:
    case 403:
      return new NotAllowedError(`${where(target)} was denied: ${message}`);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return new ServiceUnavailableError(
        target.cluster
          ? `Kubernetes cluster '${target.cluster}' failed ${target.description} (HTTP ${response.status}): ${message}`
          : `The Kubernetes backend failed ${target.description} (HTTP ${response.status}): ${message}`,
      );
  }
}

/** Maps a fetch that threw (deadline, connection refused, …) to an error. */
export function errorFromFailedFetch(
  error: unknown,
  target: CallTarget,
  timeoutMs: number,
  options: { write: boolean },
): Error {
  // AbortSignal.timeout() rejects with a DOMException, which is not always
  // an `instanceof Error` (other realms), so go by the name.
  if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') {
    return new KubernetesTimeoutError(
      `${where(target)} did not answer within ${timeoutMs} ms${
        options.write ? '; the outcome of the write is unknown' : ''
      }`,
    );
  }
  return new ServiceUnavailableError(
    `The Kubernetes backend is unreachable for ${where(target)}`,
    error,
  );
}
