import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  ago,
  compact,
  describePod,
  field,
  makeFinding,
  nowOf,
  refOf,
  stamp,
  timeOf,
} from '../common';
import { explainExit } from './exitCodes';
import { ContainerView, NAME, PodScope } from './scope';

// The present decides, history is context: restart counts, `lastState` and
// old BackOff events say what happened, `state` and `ready` say what is.

/**
 * How long a container must run before the kubelet forgets its crash
 * back-off (the kubelet's reset period). A container that has run this long
 * is no longer in a crash loop, whatever its restart count.
 */
export const BACKOFF_RESET_MS = 10 * 60_000;

/** A last exit this recent, after this many restarts, means restarts keep coming. */
const RECURRING_WITHIN_MS = 60 * 60_000;
const RECURRING_RESTARTS = 3;

/** Milliseconds the container has been running now, or undefined when it is not running. */
export function runningFor(s: PodScope, c: ContainerView): number | undefined {
  const started = c.status.state?.running?.startedAt;
  if (!c.status.state?.running) return undefined;
  const t = timeOf(started as Date | string | undefined);
  return t ? Math.max(0, nowOf(s.ctx) - t) : undefined;
}

/** Running long enough that the kubelet's back-off has reset: no loop now. */
export function settled(s: PodScope, c: ContainerView): boolean {
  const ms = runningFor(s, c);
  return ms !== undefined && ms >= BACKOFF_RESET_MS;
}

export interface Recovery {
  severity: 'info' | 'warning';
  /** "recovered 3 h ago after 2 restarts" or "restarts repeatedly …". */
  sentence: string;
}

/**
 * The severity and the words for a container that restarted and runs now:
 * info once it has run past the back-off reset and the restarts are not
 * recurring; a warning while it has only just come back or keeps restarting.
 */
export function recovery(s: PodScope, c: ContainerView): Recovery | undefined {
  const ms = runningFor(s, c);
  const last = c.status.lastState?.terminated;
  const restarts = c.status.restartCount ?? 0;
  if (ms === undefined || !last || restarts === 0) return undefined;
  const now = nowOf(s.ctx);
  const exitedAt = timeOf(last.finishedAt as Date | string | undefined);
  const sinceExit = exitedAt ? now - exitedAt : ms;
  const times = `${restarts} ${restarts === 1 ? 'restart' : 'restarts'}`;
  if (ms < BACKOFF_RESET_MS) {
    return {
      severity: 'warning',
      sentence: `is running again for ${ago(
        ms,
      )} after ${times}; it has not yet run long enough to call it recovered`,
    };
  }
  if (restarts >= RECURRING_RESTARTS && sinceExit < RECURRING_WITHIN_MS) {
    return {
      severity: 'warning',
      sentence: `runs now, but has restarted ${restarts} times, the last time ${ago(
        sinceExit,
      )} ago: the restarts keep coming back`,
    };
  }
  return {
    severity: 'info',
    sentence: `recovered ${ago(
      ms,
    )} ago after ${times} and has been running since`,
  };
}

/**
 * A container that failed before and runs now: at most information, with
 * how it last ended. Not reported when its last exit was a clean one.
 */
export function recovered(s: PodScope, c: ContainerView): Finding | undefined {
  const last = c.status.lastState?.terminated;
  if (!last || last.exitCode === 0) return undefined;
  const r = recovery(s, c);
  if (!r) return undefined;
  const ready = c.status.ready !== false;
  return makeFinding(NAME, s.ctx, {
    code: 'ContainerRecovered',
    severity: r.severity,
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: `Container "${c.name}" of ${describePod(s.pod, s.owner)} ${
      r.sentence
    }${ready ? '' : ' (not ready yet)'}. Its last exit: code ${last.exitCode}${
      last.reason ? ` (${last.reason})` : ''
    }, ${explainExit(last)}.`,
    evidence: compact([
      ...s.base,
      field(
        `${c.statusPath}.state.running.startedAt`,
        stamp(c.status.state?.running?.startedAt),
      ),
      field(`${c.statusPath}.ready`, c.status.ready ?? true),
      field(`${c.statusPath}.restartCount`, c.status.restartCount ?? 0),
      field(`${c.statusPath}.lastState.terminated.exitCode`, last.exitCode),
      last.reason
        ? field(`${c.statusPath}.lastState.terminated.reason`, last.reason)
        : undefined,
      last.finishedAt
        ? field(
            `${c.statusPath}.lastState.terminated.finishedAt`,
            stamp(last.finishedAt),
          )
        : undefined,
    ]),
    ...(r.severity === 'warning'
      ? {
          proposedFix: {
            description: `Watch container "${c.name}": if it exits again, its previous log (kubectl logs --previous) and last exit code name the cause.`,
          },
        }
      : {}),
  });
}
