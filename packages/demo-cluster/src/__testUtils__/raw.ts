/** Raw HTTPS requests to a demo cluster (no client library involved). */
import https from 'node:https';
import path from 'node:path';
import { DemoCluster } from '../types';

export const SCENARIO_DIR = path.resolve(__dirname, '../../../../examples/scenarios');

export interface RawOptions {
  body?: string | Buffer | object;
  headers?: Record<string, string>;
  token?: string | null;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export function rawRequest(
  cluster: Pick<DemoCluster, 'url' | 'token' | 'caPem'>, method: string, p: string, opts: RawOptions = {}): Promise<RawResponse> {
  const url = new URL(p, cluster.url);
  let body: Buffer | undefined;
  if (Buffer.isBuffer(opts.body)) body = opts.body;
  else if (typeof opts.body === 'string') body = Buffer.from(opts.body);
  else if (opts.body !== undefined) body = Buffer.from(JSON.stringify(opts.body));
  const token = opts.token === undefined ? cluster.token : opts.token;
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: cluster.caPem,
        agent: false,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}),
          ...(opts.headers ?? {}),
        },
        timeout: opts.timeoutMs ?? 10_000,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

