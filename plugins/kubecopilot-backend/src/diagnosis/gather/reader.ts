import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { KubernetesBackendClient } from '../../kubernetes/types';
import { CallRunner, errorMessage } from './calls';

/** How one cluster is read: its calls share a runner, a deadline and the error list. */
export interface ClusterReads {
  cluster: string;
  kubernetes: KubernetesBackendClient;
  credentials: BackstageCredentials;
  calls: CallRunner;
  errors: string[];
}

export type Named = { metadata?: { name?: string; namespace?: string } };
export type List<T> = { items?: T[] };

export const objectKey = (
  kind: string,
  namespace: string | undefined,
  name: string,
) => `${kind}/${namespace ?? ''}/${name}`;

export const errorName = (e: unknown) =>
  (e as { name?: string } | undefined)?.name;
export const isNotFound = (e: unknown) => errorName(e) === 'NotFoundError';
export const isDenied = (e: unknown) => errorName(e) === 'NotAllowedError';

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

export type Query = Record<string, string | number | boolean>;

/** Reads of one cluster as the user, each under the runner's deadline. */
export function reader(reads: ClusterReads) {
  const { cluster, kubernetes, credentials, calls } = reads;
  const run = <T>(what: string, fn: (signal: AbortSignal) => Promise<T>) =>
    calls.run(`${what} in cluster '${cluster}'`, fn);
  return {
    read: <T>(what: string, path: string, query?: Query) =>
      run(what, signal =>
        kubernetes.read<T>({ cluster, path, query, credentials, signal }),
      ),
    /** Metadata only (`PartialObjectMetadata[List]`): never a spec, never data. */
    readMetadata: <T>(what: string, path: string, query?: Query) =>
      run(what, signal =>
        kubernetes.readMetadata<T>({
          cluster,
          path,
          query,
          credentials,
          signal,
        }),
      ),
    readText: (what: string, path: string, query?: Query) =>
      run(what, signal =>
        kubernetes.readText({ cluster, path, query, credentials, signal }),
      ),
    failed: (what: string) => (error: unknown) => {
      reads.errors.push(
        `cluster '${cluster}': ${what} could not be read: ${errorMessage(
          error,
        )}`,
      );
    },
  };
}
