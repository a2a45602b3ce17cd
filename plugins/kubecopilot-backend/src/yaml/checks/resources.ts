import { containersOf } from '../manifest';
import { ManifestCheck, ManifestRule } from '../types';

const SOURCE = {
  cpuRequest:
    'kube-score: container-resources · Polaris: cpuRequestsMissing · kube-linter: unset-cpu-requirements',
  memoryRequest:
    'kube-score: container-resources · Polaris: memoryRequestsMissing · kube-linter: unset-memory-requirements',
  memoryLimit:
    'kube-score: container-resources · Polaris: memoryLimitsMissing · kube-linter: unset-memory-requirements',
  cpuLimit: 'kube-score: container-resources · Polaris: cpuLimitsMissing',
};

/** `500m` → 500, `1.5` → 1500; undefined when it is not a CPU quantity. */
export function millicores(value: unknown): number | undefined {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string') return undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(value.trim());
  if (!m) return undefined;
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

function formatMillicores(value: number): string {
  return value % 1000 === 0 ? String(value / 1000) : `${Math.round(value)}m`;
}

/**
 * Requests are what the scheduler reserves; limits are where the kernel
 * stops a container. Missing either is how one pod hurts its neighbours.
 */
export const resourcesRule: ManifestRule = object =>
  containersOf(object).flatMap(({ container, path }) => {
    const name = container.name ?? '(unnamed)';
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    const checks: ManifestCheck[] = [];
    if (requests.cpu === undefined) {
      checks.push({
        id: 'resources-cpu-request-missing',
        severity: 'warning',
        path: `${path}.resources.requests.cpu`,
        message: `Container ${name} has no CPU request, so the scheduler reserves no CPU for it: it can land on a node that is already busy and be starved exactly when traffic peaks.`,
        fix: `Set resources.requests.cpu to what it uses at a normal peak (100m is a tenth of a core). The scheduler reserves that much on the node, and the container is guaranteed at least that share under contention.`,
        source: SOURCE.cpuRequest,
        ...(limits.cpu !== undefined
          ? {
              suggestion: {
                path: `${path}.resources.requests.cpu`,
                value: limits.cpu,
              },
            }
          : {}),
      });
    }
    if (requests.memory === undefined) {
      checks.push({
        id: 'resources-memory-request-missing',
        severity: 'warning',
        path: `${path}.resources.requests.memory`,
        message: `Container ${name} has no memory request, so the scheduler assumes it needs none and may pack it onto a node without room; when that node runs short, pods without requests are the first to be evicted.`,
        fix: `Set resources.requests.memory to its steady-state use (its working set after warm-up).`,
        source: SOURCE.memoryRequest,
        ...(limits.memory !== undefined
          ? {
              suggestion: {
                path: `${path}.resources.requests.memory`,
                value: limits.memory,
              },
            }
          : {}),
      });
    }
    if (limits.memory === undefined) {
      checks.push({
        id: 'resources-memory-limit-missing',
        severity: 'warning',
        path: `${path}.resources.limits.memory`,
        message: `Container ${name} has no memory limit: a leak grows until the node runs out of memory, and the kernel then kills whichever process it picks — possibly another team's pod.`,
        fix: `Set resources.limits.memory a little above its real peak${
          requests.memory !== undefined
            ? ` — equal to the request (${requests.memory}) is the safe start`
            : ''
        }. With a limit only this container is OOM-killed and restarted, and the restart count tells you it happened.`,
        source: SOURCE.memoryLimit,
        ...(requests.memory !== undefined
          ? {
              suggestion: {
                path: `${path}.resources.limits.memory`,
                value: requests.memory,
              },
            }
          : {}),
      });
    }
    if (limits.cpu === undefined) {
      const request = millicores(requests.cpu);
      const suggested =
        request !== undefined && request > 0
          ? formatMillicores(request * 2)
          : undefined;
      checks.push({
        id: 'resources-cpu-limit-missing',
        severity: 'info',
        path: `${path}.resources.limits.cpu`,
        message: `Container ${name} has no CPU limit: it may use any idle CPU on its node. That is good for latency, but one busy container can then slow everything else on the node.`,
        fix: suggested
          ? `If it must not affect its neighbours, set resources.limits.cpu — twice the request (${suggested}) leaves room for bursts. If you leave it off on purpose, keep the request accurate.`
          : `If it must not affect its neighbours, set resources.limits.cpu a few times above its request; if you leave it off on purpose, keep the request accurate.`,
        source: SOURCE.cpuLimit,
        ...(suggested
          ? {
              suggestion: {
                path: `${path}.resources.limits.cpu`,
                value: suggested,
              },
            }
          : {}),
      });
    }
    return checks;
  });
