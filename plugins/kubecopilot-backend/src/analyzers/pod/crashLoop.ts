import type { CoreV1Event } from '@kubernetes/client-node';
import type {
  Finding,
  ProposedFix,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  compact,
  describePod,
  eventConcernsContainer,
  eventEvidence,
  eventLastSeen,
  field,
  findLog,
  importantLogLines,
  isErrorLine,
  latestEvents,
  logEvidence,
  makeFinding,
  refOf,
} from '../common';
import { explainExit } from './exitCodes';
import { settled } from './history';
import { oomFinding, oomTermination } from './oom';
import { secretAdvice, setVariableFix } from './typedFixes';
import {
  ContainerView,
  describeProbe,
  NAME,
  ownerName,
  PodScope,
  truncate,
} from './scope';

// Containers that exit and restart: crash loops by exit code, by failing
// liveness probe, and (through ./oom) by the OOM killer.

export interface LoopState {
  looping: boolean;
  liveness: CoreV1Event[];
  backOff: CoreV1Event[];
  /** The kubelet's "failed liveness probe, will be restarted" events. */
  killed: CoreV1Event[];
  /** The probe whose failures make the kubelet restart the container. */
  probeKind: 'liveness' | 'startup';
}

/** The probes whose failure makes the kubelet kill the container. */
const KILLING_PROBE = /^(Liveness|Startup) probe/i;
const KILLED_BY_PROBE = /failed (liveness|startup) probe/i;

export function loopState(s: PodScope, c: ContainerView): LoopState {
  const cEvents = s.events.filter(e =>
    eventConcernsContainer(e, s.pod, c.name),
  );
  // A startup probe that never passes kills the container just like a
  // liveness probe (`Container app failed startup probe, will be restarted`).
  const liveness = cEvents.filter(
    e => e.reason === 'Unhealthy' && KILLING_PROBE.test(e.message ?? ''),
  );
  const backOff = cEvents.filter(
    e =>
      e.reason === 'BackOff' &&
      /restarting failed container/i.test(e.message ?? ''),
  );
  const killed = cEvents.filter(
    e => e.reason === 'Killing' && KILLED_BY_PROBE.test(e.message ?? ''),
  );
  const last = c.status.lastState?.terminated;
  // A crash-looping container alternates between waiting (CrashLoopBackOff)
  // and running; the BackOff event catches the loop when the snapshot
  // happened to land on a running phase, and so do the kubelet's liveness
  // kills (whatever the exit code the process chose on its way out). Once
  // the container has run past the kubelet's back-off reset, those events
  // are history, not the present.
  // An init container that has completed is done: its restarts and
  // BackOff events are from before it succeeded.
  const completedInit =
    c.specPath.startsWith('spec.initContainers') &&
    c.status.state?.terminated?.exitCode === 0;
  const looping =
    c.status.state?.waiting?.reason === 'CrashLoopBackOff' ||
    (!!last &&
      !completedInit &&
      !settled(s, c) &&
      ((last.exitCode !== 0 && backOff.length > 0) ||
        ((c.status.restartCount ?? 0) > 0 && killed.length > 0)));
  // The probe of the latest kill (or failure) is the one to fix.
  const latest = [...killed, ...liveness].sort(
    (a, b) => eventLastSeen(b) - eventLastSeen(a),
  )[0];
  const probeKind = /startup probe/i.test(latest?.message ?? '')
    ? 'startup'
    : 'liveness';
  return { looping, liveness, backOff, killed, probeKind };
}

export function crash(s: PodScope, c: ContainerView): Finding | undefined {
  const { status } = c;
  const { looping, liveness, backOff, killed, probeKind } = loopState(s, c);
  const waiting = status.state?.waiting;
  const last = status.lastState?.terminated;
  const oom = oomTermination(c);
  if (!oom && !looping) return undefined;

  const log =
    findLog(
      s.ctx,
      s.pod.metadata?.namespace,
      s.pod.metadata?.name,
      c.name,
      true,
    ) ??
    findLog(
      s.ctx,
      s.pod.metadata?.namespace,
      s.pod.metadata?.name,
      c.name,
      false,
    );
  const logEv = logEvidence(log);
  const where = describePod(s.pod, s.owner);
  const restarts = field(`${c.statusPath}.restartCount`, status.restartCount);
  const waitingEv =
    waiting?.reason === 'CrashLoopBackOff'
      ? [field(`${c.statusPath}.state.waiting.reason`, waiting.reason)]
      : [];

  if (oom)
    return oomFinding(s, c, oom, { looping, waitingEv, restarts, logEv });

  const exit = last?.exitCode;
  const headline = log ? headlineError(log.lines) : undefined;
  // The kubelet kills it for its liveness (or startup) probe: the probe is the cause
  // (one root cause, one finding), the restarts are its evidence.
  const byProbe = liveness.length > 0 || killed.length > 0;
  // Codes from 126 up say more than the number (not found, a signal).
  const meaning =
    last && !byProbe && exit !== undefined && exit >= 126
      ? `: ${explainExit(last)}`
      : '';
  const parts = [
    byProbe
      ? `Container "${c.name}" of ${where} is restarted over and over by its failing ${probeKind} probe`
      : `Container "${c.name}" of ${where} is crash-looping`,
    last
      ? `: it exited with code ${exit}${
          last.reason ? ` (${last.reason})` : ''
        }${meaning} and has restarted ${status.restartCount} times.`
      : `: it has restarted ${status.restartCount} times.`,
  ];
  if (liveness.length > 0) {
    parts.push(
      ` Its ${probeKind} probe fails: ${liveness[liveness.length - 1].message}`,
    );
  } else if (headline) {
    parts.push(` Its log says: ${truncate(headline.trim(), 240)}`);
  }
  return makeFinding(NAME, s.ctx, {
    code: byProbe ? 'ProbeFailure' : 'CrashLoopBackOff',
    severity: 'error',
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: parts.join(''),
    evidence: compact([
      ...s.base,
      ...waitingEv,
      restarts,
      last?.reason
        ? field(`${c.statusPath}.lastState.terminated.reason`, last.reason)
        : undefined,
      last
        ? field(`${c.statusPath}.lastState.terminated.exitCode`, last.exitCode)
        : undefined,
      last?.message
        ? field(`${c.statusPath}.lastState.terminated.message`, last.message)
        : undefined,
      ...latestEvents(liveness, 2).map(eventEvidence),
      ...latestEvents(killed, 1).map(eventEvidence),
      ...latestEvents(backOff, 1).map(eventEvidence),
      logEv,
    ]),
    proposedFix: byProbe
      ? probeKillFix(c, probeKind)
      : crashFix(s, c, exit, log?.lines ?? []),
  });
}

/**
 * The log line that best names the failure: the innermost `Caused by:` of a
 * Java trace, else the last exception/panic line, else the last error line.
 * The last line of a crash log is often a generic "Application run failed".
 */
export function headlineError(lines: string[]): string | undefined {
  const important = importantLogLines(lines).reverse();
  return (
    important.find(l => /^\s*Caused by: /.test(l)) ??
    important.find(l =>
      /^panic: |^\s*[\w.$]+(?:Exception|Error)(?::|$)|^\w+(?:\.\w+)*\.\w+: /.test(
        l,
      ),
    ) ??
    important.find(isErrorLine)
  );
}

/** Said wherever a restart is the obvious plan and changes nothing. */
export const RESTART_WONT_HELP =
  'A restart alone will not help: the container exits the same way after every restart.';

/**
 * The environment variable a crash log says is missing, if one is named:
 * "Missing required environment variable X", "X is not set", "env: required
 * key X missing value" (envconfig), "KeyError: 'X'" next to os.environ.
 */
export function missingVariableOf(lines: string[]): string | undefined {
  const patterns = [
    /missing (?:required )?(?:environment|env) (?:variable|var)s?:? ['"`]?([A-Za-z_][A-Za-z0-9_]*)/i,
    /(?:environment|env) (?:variable|var) ['"`]?([A-Za-z_][A-Za-z0-9_]*)['"`]? (?:is )?(?:not set|not defined|missing|is required|must be set)/i,
    /required key ([A-Za-z_][A-Za-z0-9_]*) missing value/i,
    /\b([A-Z][A-Z0-9_]{2,})['"`]? (?:is not set|is required|must be set|not defined)/,
  ];
  for (const line of [...lines].reverse()) {
    for (const re of patterns) {
      const m = re.exec(line);
      if (m) return m[1];
    }
  }
  return undefined;
}

/** The kubelet restarts a container whose liveness or startup probe fails. */
function probeKillFix(
  c: ContainerView,
  kind: 'liveness' | 'startup',
): ProposedFix {
  const note = `A restart alone will not help: the kubelet already restarts the container each time its ${kind} probe fails.`;
  if (kind === 'startup') {
    const p = c.spec?.startupProbe;
    const window = p
      ? ` It allows ${
          (p.initialDelaySeconds ?? 0) +
          (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3)
        } s (initialDelaySeconds + failureThreshold × periodSeconds) before the kubelet kills the container.`
      : '';
    return {
      description: `The kubelet kills container "${
        c.name
      }" because its startup probe (${describeProbe(
        p,
      )}) never passes.${window} If the application needs longer to start, raise failureThreshold; otherwise make the probe match the application (path, port) or fix what keeps it from starting.`,
      note,
    };
  }
  return {
    description: `The kubelet kills container "${
      c.name
    }" because its liveness probe (${describeProbe(
      c.spec?.livenessProbe,
    )}) fails: make the probe match the application (path, port, timeoutSeconds), and give slow starters a startupProbe or a longer initialDelaySeconds.`,
    note,
  };
}

function crashFix(
  s: PodScope,
  c: ContainerView,
  exit: number | undefined,
  logLines: string[],
): ProposedFix {
  const variable = missingVariableOf(logLines);
  let cause = `The application in container "${c.name}" exits on its own; the log lines in the evidence show why. Fix the cause (code, configuration, or a dependency it needs at startup).`;
  const last = c.status.lastState?.terminated;
  const wrongArch = logLines.some(l => /exec format error/i.test(l));
  if (wrongArch) {
    cause = `Container "${
      c.name
    }" cannot execute its program ("exec format error"): image ${
      c.spec?.image ?? c.status.image
    } was built for another CPU architecture than node ${
      s.pod.spec?.nodeName ?? 'its node'
    }. Build and push it for the nodes' platform (e.g. docker buildx build --platform linux/amd64,linux/arm64), or keep the pods on matching nodes with a nodeSelector on kubernetes.io/arch.`;
  } else if (exit === 0) {
    cause = `The main process of container "${c.name}" exits successfully, but a long-running workload must keep running: fix its command/args so it does not return.`;
  } else if (
    last?.reason === 'StartError' ||
    last?.reason === 'ContainerCannotRun' ||
    exit === 126 ||
    exit === 127
  ) {
    // The process never ran: there is no application log to read.
    cause = `The runtime cannot run the command of container "${c.name}"${
      last?.message ? ` (${truncate(last.message, 200)})` : ''
    }: fix its command/args (or the image's entrypoint) in the pod template of ${ownerName(
      s,
    )} so it names an executable the image contains.`;
  } else if (variable) {
    const update = setVariableFix(s, c, variable, RESTART_WONT_HELP);
    if (update) return update;
    cause = `Container "${
      c.name
    }" exits because environment variable ${variable} is not set: set it in the pod template of ${ownerName(
      s,
    )}, or run an image that does not need it.${secretAdvice(variable)}`;
  }
  // A crash caused by code or configuration comes back after any restart,
  // so no restart is proposed: the plans that help change the pod template.
  return { description: cause, note: RESTART_WONT_HELP };
}
