import type { V1ContainerStateTerminated } from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { compact, describePod, field, makeFinding, refOf } from '../common';
import { recovery } from './history';
import { ContainerView, NAME, ownerName, PodScope } from './scope';

export interface OomTermination {
  t: V1ContainerStateTerminated;
  path: string;
}

/** The last termination that looks like the OOM killer, if any. */
export function oomTermination(
  c: ContainerView,
  livenessFailing: boolean,
): OomTermination | undefined {
  const candidates = [
    { t: c.status.state?.terminated, path: `${c.statusPath}.state.terminated` },
    {
      t: c.status.lastState?.terminated,
      path: `${c.statusPath}.lastState.terminated`,
    },
  ];
  for (const { t, path } of candidates) {
    if (!t) continue;
    // Exit code 137 is SIGKILL: the OOM killer, unless the kubelet killed the
    // container for a failing liveness probe, which also ends in SIGKILL.
    if (t.reason === 'OOMKilled' || (t.exitCode === 137 && !livenessFailing)) {
      return { t, path };
    }
  }
  return undefined;
}

/** What the crash rule already gathered about the container. */
export interface CrashEvidence {
  looping: boolean;
  waitingEv: FindingEvidence[];
  restarts: FindingEvidence;
  logEv: FindingEvidence | undefined;
}

/**
 * One root cause, one finding: an OOM crash loop is reported as OOMKilled
 * with the loop as evidence, not twice.
 */
export function oomFinding(
  s: PodScope,
  c: ContainerView,
  oom: OomTermination,
  e: CrashEvidence,
): Finding {
  const { status } = c;
  const limit = c.spec?.resources?.limits?.memory;
  const how =
    oom.t.reason === 'OOMKilled'
      ? 'was OOMKilled (exit code 137)'
      : `was killed with SIGKILL (exit code 137, reason ${
          oom.t.reason ?? 'unknown'
        }), most likely by the kernel OOM killer`;
  // An OOM kill the container has recovered from is a warning; one that
  // keeps it down (crash loop, or terminated now) is an error.
  // How much it matters now: an OOM kill long ago is information.
  const down = e.looping || !!status.state?.terminated;
  const back = down ? undefined : recovery(s, c);
  return makeFinding(NAME, s.ctx, {
    code: 'OOMKilled',
    severity: down ? 'error' : back?.severity ?? 'warning',
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: `Container "${c.name}" of ${describePod(s.pod, s.owner)} ${how}${
      limit ? ` at its memory limit of ${limit}` : ''
    }; it ${
      back
        ? back.sentence
        : `has restarted ${status.restartCount} times${
            down ? '' : ' and is running again'
          }`
    }.`,
    evidence: compact([
      ...s.base,
      ...e.waitingEv,
      field(`${oom.path}.reason`, oom.t.reason ?? ''),
      field(`${oom.path}.exitCode`, oom.t.exitCode),
      e.restarts,
      limit ? field(`${c.specPath}.resources.limits.memory`, limit) : undefined,
      e.logEv,
    ]),
    // The right memory size is a judgement call, so no structured action.
    proposedFix: {
      description: limit
        ? `Raise resources.limits.memory of container "${
            c.name
          }" (now ${limit}) in ${ownerName(
            s,
          )}, or bound the application's memory use (heap size, caches, concurrency) below it.`
        : `Container "${
            c.name
          }" has no memory limit, so the node ran out of memory: set resources.requests.memory and limits.memory in ${ownerName(
            s,
          )} to what the application really uses.`,
      ...(down
        ? {
            note: 'A restart alone will not help: the container runs out of memory again under the same load.',
          }
        : {}),
    },
  });
}
