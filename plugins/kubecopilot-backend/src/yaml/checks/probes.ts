import { containersOf, isLongRunning } from '../manifest';
import { ManifestCheck, ManifestRule } from '../types';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Readiness decides traffic, liveness decides restarts: a serving workload
 * needs both, and they must not be the same question.
 */
export const probesRule: ManifestRule = object => {
  if (!isLongRunning(object.kind)) return [];
  return containersOf(object).flatMap(({ container, path }) => {
    const name = container.name ?? '(unnamed)';
    const checks: ManifestCheck[] = [];
    const { readinessProbe, livenessProbe } = container;
    if (!readinessProbe) {
      checks.push({
        id: 'probe-readiness-missing',
        severity: 'warning',
        path: `${path}.readinessProbe`,
        message: `Container ${name} has no readiness probe, so it gets traffic the moment it starts — before it has loaded its config or warmed up — and keeps getting it while it hangs.`,
        fix: `Add a readinessProbe on a cheap endpoint that fails when the container cannot serve, e.g. httpGet /healthz on its http port every 10 s. A rollout then also waits for new pods to be ready before taking old ones away.`,
        source:
          'kube-score: pod-probes · Polaris: readinessProbeMissing · kube-linter: no-readiness-probe',
      });
    }
    if (!livenessProbe) {
      checks.push({
        id: 'probe-liveness-missing',
        severity: 'info',
        path: `${path}.livenessProbe`,
        message: `Container ${name} has no liveness probe: if the process deadlocks without exiting, Kubernetes never restarts it and the pod sits there unready.`,
        fix: `Add a livenessProbe that only checks the process itself (not the database or other services), with a generous failureThreshold. A liveness probe that checks dependencies restarts every pod at once when a dependency blips.`,
        source:
          'Polaris: livenessProbeMissing · kube-linter: no-liveness-probe',
      });
    }
    if (
      readinessProbe &&
      livenessProbe &&
      canonical(readinessProbe) === canonical(livenessProbe)
    ) {
      checks.push({
        id: 'probes-identical',
        severity: 'warning',
        path: `${path}.livenessProbe`,
        message: `Container ${name}'s liveness and readiness probes are identical: when the check fails (under load, say), Kubernetes stops sending traffic and restarts the pods at the same moment — a slow minute turns into a restart storm.`,
        fix: `Make the liveness probe more lenient than readiness: a higher failureThreshold and periodSeconds, or a separate endpoint that only says the process is alive.`,
        source: 'kube-score: pod-probes',
      });
    }
    return checks;
  });
};
