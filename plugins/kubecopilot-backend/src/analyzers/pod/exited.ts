import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  compact,
  describePod,
  field,
  findLog,
  logEvidence,
  makeFinding,
  refOf,
} from '../common';
import { headlineError, missingVariableOf } from './crashLoop';
import { explainExit } from './exitCodes';
import { ContainerView, NAME, PodScope, truncate } from './scope';

/**
 * A container that has exited with an error and is not (yet) in a crash
 * loop: the first failure, before the kubelet's back-off makes a pattern of
 * it, or a pod that never restarts (`restartPolicy: Never`). The exit code
 * says what kind of failure it was; the log line says why.
 */
export function exited(s: PodScope, c: ContainerView): Finding | undefined {
  const t = c.status.state?.terminated;
  if (!t || t.exitCode === 0) return undefined;
  // OOM kills have their own rule (./oom).
  if (t.reason === 'OOMKilled') return undefined;
  const namespace = s.pod.metadata?.namespace;
  const podName = s.pod.metadata?.name;
  // The current instance is the one that exited; its log is the current log.
  const log =
    findLog(s.ctx, namespace, podName, c.name, false) ??
    findLog(s.ctx, namespace, podName, c.name, true);
  const line = log ? headlineError(log.lines) : undefined;
  const variable = log ? missingVariableOf(log.lines) : undefined;
  const restarts =
    s.pod.spec?.restartPolicy === 'Never'
      ? 'The pod does not restart it (restartPolicy Never).'
      : `It has not restarted yet (restartCount ${
          c.status.restartCount ?? 0
        }).`;
  const why = [
    line ? ` Its log says: ${truncate(line.trim(), 240)}` : '',
    !line && t.message ? ` The runtime says: ${truncate(t.message, 240)}` : '',
  ].join('');
  const fix = exitFix(c.name, t.exitCode, variable);
  return makeFinding(NAME, s.ctx, {
    code: 'ContainerExited',
    severity: 'error',
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: `Container "${c.name}" of ${describePod(
      s.pod,
      s.owner,
    )} exited with code ${t.exitCode}${
      t.reason ? ` (${t.reason})` : ''
    }: ${explainExit(t)}. ${restarts}${why}`,
    evidence: compact([
      ...s.base,
      field(`${c.statusPath}.state.terminated.exitCode`, t.exitCode),
      t.reason
        ? field(`${c.statusPath}.state.terminated.reason`, t.reason)
        : undefined,
      t.message
        ? field(`${c.statusPath}.state.terminated.message`, t.message)
        : undefined,
      field(`${c.statusPath}.restartCount`, c.status.restartCount ?? 0),
      c.spec?.command
        ? field(`${c.specPath}.command`, c.spec.command.join(' '))
        : undefined,
      logEvidence(log),
    ]),
    proposedFix: {
      description: fix,
      note: 'A restart alone will not help: the same command with the same configuration exits the same way.',
    },
  });
}

function exitFix(
  container: string,
  code: number,
  variable: string | undefined,
): string {
  if (variable) {
    return `Set environment variable ${variable} for container "${container}": its log says it is missing.`;
  }
  if (code === 127 || code === 126 || code === 128) {
    return `Fix the command/args of container "${container}" (or the image's entrypoint) so that it names an executable that exists in the image.`;
  }
  if (code === 137) {
    return `Find what killed container "${container}": raise its memory limit if the node's kernel log shows the OOM killer, or let it stop within terminationGracePeriodSeconds.`;
  }
  if (code === 143) {
    return `Container "${container}" was asked to stop (SIGTERM): if nobody stopped it on purpose, look for a liveness probe or an eviction in the pod's events.`;
  }
  return `Fix the cause the log lines in the evidence show (code, configuration, or a dependency container "${container}" needs at startup).`;
}
