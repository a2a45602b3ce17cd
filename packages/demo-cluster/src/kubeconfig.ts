/** kubeconfig generation for the demo cluster. */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  caData: string;
  token: string;
  namespace?: string;
  contextName?: string;
}

export function buildKubeconfig(opts: KubeconfigOptions): string {
  const name = opts.contextName ?? 'kubecopilot-demo';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server, 'certificate-authority-data': opts.caData } }],
    users: [{ name, user: { token: opts.token } }],
    contexts: [
      {
        name,
        context: { cluster: name, user: name, ...(opts.namespace ? { namespace: opts.namespace } : {}) },
      },
    ],
    'current-context': name,
    preferences: {},
  });
}

/** Writes a kubeconfig file (mode 0600, like kubectl does), creating the directory. */
export function writeKubeconfig(file: string, content: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
