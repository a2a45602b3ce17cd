import type { V1Probe } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  compact,
  conditionEvidence,
  describePod,
  eventConcernsContainer,
  eventEvidence,
  field,
  findLog,
  isRestartable,
  latestEvents,
  logEvidence,
  makeFinding,
  refOf,
  refString,
} from '../common';
import { loopState } from './crashLoop';
import { runningFor } from './history';
import { ContainerView, describeProbe, NAME, PodScope } from './scope';

/** The time a readiness/startup probe may take to pass on a healthy start. */
function startAllowanceMs(c: ContainerView): number {
  const allowance = (p: V1Probe | undefined) =>
    p
      ? ((p.initialDelaySeconds ?? 0) +
          (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3)) *
        1000
      : 0;
  return Math.max(
    60_000,
    allowance(c.spec?.startupProbe) + allowance(c.spec?.readinessProbe),
  );
}

function warmingUp(s: PodScope, c: ContainerView): boolean {
  // Only a first start warms up; a restarted container failing its probes
  // is failing, not starting.
  if ((c.status.restartCount ?? 0) > 0) return false;
  const ms = runningFor(s, c);
  return ms !== undefined && ms < startAllowanceMs(c);
}

export function probe(s: PodScope, c: ContainerView): Finding | undefined {
  const { status } = c;
  if (!status.state?.running || status.ready !== false) return undefined;
  const ready = s.pod.status?.conditions?.find(x => x.type === 'Ready');
  if (ready?.status !== 'False') return undefined;
  // A crash loop already reports a failing liveness probe as its cause.
  if (loopState(s, c).looping) return undefined;
  // A container still inside its probes' start-up allowance is warming up
  // (a new pod of a rollout or scale-up), not failing.
  if (warmingUp(s, c)) return undefined;
  const unhealthy = s.events.filter(
    e => e.reason === 'Unhealthy' && eventConcernsContainer(e, s.pod, c.name),
  );
  if (unhealthy.length === 0) return undefined;
  const kinds = new Set(
    unhealthy.map(
      e =>
        /^(Readiness|Liveness|Startup) probe/i
          .exec(e.message ?? '')?.[1]
          ?.toLowerCase() ?? 'readiness',
    ),
  );
  // The most severe kind wins: a failing liveness probe restarts the container.
  const kind =
    (['liveness', 'startup', 'readiness'] as const).find(k => kinds.has(k)) ??
    'readiness';
  const probeSpec = {
    liveness: c.spec?.livenessProbe,
    startup: c.spec?.startupProbe,
    readiness: c.spec?.readinessProbe,
  }[kind];
  const latest = unhealthy[unhealthy.length - 1];
  const log = findLog(
    s.ctx,
    s.pod.metadata?.namespace,
    s.pod.metadata?.name,
    c.name,
    false,
  );
  const target = isRestartable(s.owner?.ref) ? s.owner!.ref : undefined;
  const description =
    kind === 'readiness'
      ? `The readiness probe (${describeProbe(
          probeSpec,
        )}) keeps failing, so the pod receives no Service traffic. Fix what the endpoint checks or the probe itself (path, port, timeoutSeconds);${
          target
            ? ` if it failed on a dependency that has since recovered and the pod stays stuck, restart ${refString(
                target,
              )}.`
            : ' if it failed on a dependency that has since recovered, recreate the pod.'
        }`
      : `The ${kind} probe (${describeProbe(
          probeSpec,
        )}) keeps failing and the kubelet will restart the container: make the probe match the application (path, port, timing) or fix the endpoint.`;
  return makeFinding(NAME, s.ctx, {
    code: 'ProbeFailure',
    // A failing liveness probe kills the container; readiness only takes it out of rotation.
    severity: kind === 'readiness' ? 'warning' : 'error',
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: `Container "${c.name}" of ${describePod(
      s.pod,
      s.owner,
    )} is running but not ready: its ${kind} probe fails (${latest.message}).`,
    evidence: compact([
      ...s.base,
      field(`${c.statusPath}.ready`, false),
      ...conditionEvidence('status.conditions', ready),
      probeSpec
        ? field(`${c.specPath}.${kind}Probe`, describeProbe(probeSpec))
        : undefined,
      ...latestEvents(unhealthy).map(eventEvidence),
      logEvidence(log),
    ]),
    // Restart is offered only for readiness: it is the one case where pods
    // can stay stuck after the cause went away.
    proposedFix:
      kind === 'readiness' && target
        ? { description, action: 'restart', target }
        : { description },
  });
}
