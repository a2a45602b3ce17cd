/**
 * Deterministic reading of the common read questions about an entity's
 * workloads ("show pods in CrashLoopBackOff", "which pods restarted today?").
 * It never guesses: an unknown question is refused with examples.
 */
export type PodFilter =
  | { type: 'all' }
  | { type: 'reason'; reasons: string[]; label: string }
  | { type: 'phase'; phase: string }
  | { type: 'failing' }
  | { type: 'restarted'; sinceMs?: number; label: string };

export type ReadQuestion =
  | { kind: 'pods'; filter: PodFilter; understood: string }
  | { kind: 'workloads'; understood: string };

const WINDOWS: Array<[RegExp, (now: Date) => number, string]> = [
  [/\btoday\b/, now => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()), 'today (UTC)'],
  [/\b(?:in the )?last hour\b/, now => now.getTime() - 3_600_000, 'in the last hour'],
  [/\b(?:in the )?last (\d{1,3}) hours?\b/, () => NaN, ''],
  [/\b(?:in the )?last (\d{1,3}) minutes?\b/, () => NaN, ''],
];

export function parseQuestion(input: string, now: Date = new Date()): ReadQuestion | undefined {
  const q = input.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[?.!]+$/, '');
  if (!q) return undefined;

  if (/\b(deployments?|workloads?|statefulsets?|daemonsets?)\b/.test(q) && !/\bpods?\b/.test(q)) {
    return { kind: 'workloads', understood: 'the workloads of this entity' };
  }
  if (!/\b(pods?|containers?|instances?|replicas?)\b/.test(q) && !/crash|oom|image ?pull|restart/.test(q)) {
    return undefined;
  }

  if (/crash ?loop|crashloopbackoff|crash-?looping|crashing/.test(q)) {
    return pods({ type: 'reason', reasons: ['CrashLoopBackOff'], label: 'in CrashLoopBackOff' });
  }
  if (/image ?pull|errimagepull|imagepullbackoff|can'?t pull|cannot pull/.test(q)) {
    return pods({ type: 'reason', reasons: ['ImagePullBackOff', 'ErrImagePull'], label: 'that cannot pull their image' });
  }
  if (/\boom|out of memory|oomkilled/.test(q)) {
    return pods({ type: 'reason', reasons: ['OOMKilled'], label: 'killed for running out of memory' });
  }
  if (/restart/.test(q)) {
    for (const [pattern, since, label] of WINDOWS) {
      const match = pattern.exec(q);
      if (!match) continue;
      if (match[1]) {
        const n = Number(match[1]);
        const unit = /minute/.test(match[0]) ? 60_000 : 3_600_000;
        return pods({
          type: 'restarted',
          sinceMs: now.getTime() - n * unit,
          label: `restarted in the last ${n} ${unit === 60_000 ? 'minute' : 'hour'}${n === 1 ? '' : 's'}`,
        });
      }
      return pods({ type: 'restarted', sinceMs: since(now), label: `restarted ${label}` });
    }
    return pods({ type: 'restarted', label: 'that restarted at least once' });
  }
  if (/\bpending\b|unschedul|not scheduled/.test(q)) return pods({ type: 'phase', phase: 'Pending' });
  if (/fail|unhealthy|broken|not ready|problem|wrong|error|down/.test(q)) return pods({ type: 'failing' });
  if (/\brunning\b/.test(q)) return pods({ type: 'phase', phase: 'Running' });
  if (/^(show|list|get|which|what|all)\b/.test(q) || /^pods?$/.test(q)) return pods({ type: 'all' });
  return undefined;
}

function pods(filter: PodFilter): ReadQuestion {
  const understood = {
    all: () => 'all pods of this entity',
    failing: () => 'pods that are not healthy (not ready, failed, or waiting)',
    phase: () => `pods in phase ${(filter as { phase: string }).phase}`,
    reason: () => `pods ${(filter as { label: string }).label}`,
    restarted: () => `pods ${(filter as { label: string }).label}`,
  }[filter.type]();
  return { kind: 'pods', filter, understood };
}
