import { isError } from '@backstage/errors';
import type { ResourceRef } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { MetricsClient } from '../prometheus';
import { escapePromQLString } from '../prometheus/queries';

/** How far back the checks look at what a workload's containers used. */
export const OBSERVED_WINDOW = '7d';
/** The checks wait at most this long for Prometheus. */
export const OBSERVED_TIMEOUT_MS = 2_000;

/** What a workload's containers used, as Prometheus saw it. */
export interface ObservedUse {
  /** The PromQL range, e.g. `7d`. */
  window: string;
  /** Peak memory working set of each container (by name) across the workload's pods. */
  memoryPeakBytes: Record<string, number>;
  /** The query per container, so a reader can run it again. */
  queries: Record<string, string>;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The pod names a workload's controller gives its pods, as a PromQL regex
 * (fully anchored there): `<deployment>-<pod-template-hash>-<5>`,
 * `<statefulset>-<ordinal>`, `<daemonset>-<5>`, `<job>-<5>`. cAdvisor series
 * carry the pod's name but not its owner, so this is how they are matched.
 */
export function podNamePattern(kind: string, name: string): string | undefined {
  const base = escapeRegex(name);
  switch (kind) {
    case 'Deployment':
      return `${base}-[a-z0-9]{1,10}-[a-z0-9]{5}`;
    case 'StatefulSet':
      return `${base}-[0-9]+`;
    case 'DaemonSet':
    case 'Job':
      return `${base}-[a-z0-9]{5}`;
    default:
      return undefined;
  }
}

/**
 * Peak memory working set per container of a workload over the window, from
 * cAdvisor's `container_memory_working_set_bytes` (what the kernel's OOM
 * killer compares with the limit). `undefined` when the cluster has no
 * Prometheus or the kind has no pods of its own; a `note` when Prometheus
 * could not answer, so the checks that need it say they did not run.
 */
export async function readObservedUse(
  client: MetricsClient | undefined,
  resource: ResourceRef & { namespace: string },
  containers: string[],
  options: { timeoutMs?: number; window?: string } = {},
): Promise<{ observed?: ObservedUse; note?: string }> {
  const pods = podNamePattern(resource.kind ?? '', resource.name);
  if (!client || !pods || containers.length === 0) return {};
  if (!client.isConfigured(resource.cluster ?? '')) return {};
  const window = options.window ?? OBSERVED_WINDOW;
  const timeoutMs = options.timeoutMs ?? OBSERVED_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const observed: ObservedUse = { window, memoryPeakBytes: {}, queries: {} };
  try {
    await Promise.all(
      containers.map(async container => {
        const selector = `namespace="${escapePromQLString(
          resource.namespace,
        )}",pod=~"${escapePromQLString(pods)}",container="${escapePromQLString(
          container,
        )}"`;
        const query = `max(max_over_time(container_memory_working_set_bytes{${selector}}[${window}]))`;
        const { value } = await client.query(resource.cluster!, query, {
          signal,
        });
        if (value !== null && value > 0) {
          observed.memoryPeakBytes[container] = value;
          observed.queries[container] = query;
        }
      }),
    );
  } catch (error) {
    return {
      note: signal.aborted
        ? `Prometheus did not answer within ${timeoutMs} ms, so the checks against observed memory use did not run`
        : `the checks against observed memory use did not run: ${
            isError(error) ? error.message : String(error)
          }`,
    };
  }
  return { observed };
}
