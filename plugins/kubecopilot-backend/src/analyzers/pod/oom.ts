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
export function oomTermination(c: ContainerView): OomTermination | undefined {
  const candidates = [
    { t: c.status.state?.terminated, path: `${c.statusPath}.state.terminated` },
    {
      t: c.status.lastState?.terminated,
      path: `${c.statusPath}.lastState.terminated`,
    },
  ];
  for (const { t, path } of candidates) {
    if (!t) continue;
    // The runtime says OOMKilled when the kernel's OOM killer ended the
    // container. Exit code 137 with reason Error is a SIGKILL from someone
    // else (the kubelet after a grace period or a liveness failure, a
    // process of the container): not an OOM kill.
    if (t.reason === 'OOMKilled') {
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
  const how = 'was OOMKilled (exit code 137)';
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
