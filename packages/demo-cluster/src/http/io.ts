/** Reading request bodies (with a size limit) and writing JSON/YAML/Status responses. */
import { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import { ApiError, errors } from '../api/errors';

export const DEFAULT_MAX_BODY = 3 * 1024 * 1024;
/** Beyond this we stop draining an oversized body and close the connection. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/** Reads the whole body; rejects with 413 when it exceeds `limit` (the rest is drained). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    let settled = false;
    const finish = (fn: () => void) => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      if (size > DRAIN_LIMIT) {
        finish(() => reject(errors.tooLarge(limit)));
        req.destroy();
      }
    });
    req.on('end', () => finish(() => (tooLarge ? reject(errors.tooLarge(limit)) : resolve(Buffer.concat(chunks)))));
    req.on('error', e => finish(() => reject(e)));
    req.on('aborted', () => finish(() => reject(new Error('request aborted'))));
  });
}

export function send(
  res: ServerResponse,
  code: number,
  body: unknown,
  format: 'json' | 'yaml' = 'json',
  headers: Record<string, string> = {},
) {
  if (res.headersSent || res.destroyed) return;
  const text = format === 'yaml' ? toYaml(body) : `${JSON.stringify(body)}\n`;
  res.writeHead(code, {
    'Content-Type': format === 'yaml' ? 'application/yaml' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(code, {
    'Content-Type': 'text/plain',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError) {
  const headers: Record<string, string> = { ...(err.headers ?? {}) };
  send(res, err.code, err.toStatus(), 'json', headers);
}
