import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  ago,
  compact,
  conditionEvidence,
  describePod,
  field,
  findLog,
  logEvidence,
  makeFinding,
  refOf,
  stamp,
} from '../common';
import { headlineError } from './crashLoop';
import { runningFor } from './history';
import { ContainerView, NAME, PodScope, truncate } from './scope';

/**
 * How long an init container may run before the pod waiting on it is
 * called stuck. One whose log repeats the same line is a wait loop
 * (`until nslookup db; do echo waiting; sleep 2; done`): after a few
 * minutes it waits for something that is not coming. One whose log moves
 * on (a long migration) gets much longer before it is called stuck.
 */
export const INIT_STUCK_MS = { looping: 5 * 60_000, other: 20 * 60_000 };
const INIT_STUCK_ERROR_MS = { looping: 15 * 60_000, other: 60 * 60_000 };

const TIMESTAMP = /\d{4}-\d\d-\d\d[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?/g;

/**
 * The line a waiting loop repeats: the most frequent of the last ones, once
 * it has come at least three times. Timestamps are ignored, so
 * `… 11:58:02Z waiting for db` and `… 11:58:04Z waiting for db` are one line.
 */
function repeatedLine(lines: string[]): string | undefined {
  const recent = lines
    .map(l => l.replace(TIMESTAMP, '').trim())
    .filter(Boolean)
    .slice(-30);
  const counts = new Map<string, number>();
  for (const l of recent) counts.set(l, (counts.get(l) ?? 0) + 1);
  const [line, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  return line && n && n >= 3 ? line : undefined;
}

/**
 * An init container that neither fails nor finishes: it runs, the pod is
 * not initialized, and nothing after it starts (`Init:0/1` for many
 * minutes). Typically a loop waiting for a dependency (`until nslookup db`).
 */
export function initStuck(s: PodScope, c: ContainerView): Finding | undefined {
  if (!c.specPath.startsWith('spec.initContainers')) return undefined;
  // A native sidecar (restartPolicy Always) runs for the pod's whole life.
  if (c.spec?.restartPolicy === 'Always') return undefined;
  const ms = runningFor(s, c);
  if (ms === undefined || ms < INIT_STUCK_MS.looping) return undefined;
  const initialized = s.pod.status?.conditions?.find(
    x => x.type === 'Initialized',
  );
  if (initialized?.status === 'True') return undefined;
  const log = findLog(
    s.ctx,
    s.pod.metadata?.namespace,
    s.pod.metadata?.name,
    c.name,
    false,
  );
  const lines = log?.lines ?? [];
  const repeated = repeatedLine(lines);
  const pace = repeated ? 'looping' : 'other';
  if (ms < INIT_STUCK_MS[pace]) return undefined;
  const error = headlineError(lines);
  const inits = s.pod.spec?.initContainers ?? [];
  const done = (s.pod.status?.initContainerStatuses ?? []).filter(
    x => x.state?.terminated?.exitCode === 0,
  ).length;
  const says = [
    repeated ? ` Its log repeats: ${truncate(repeated, 200)}` : '',
    error && error.trim() !== repeated
      ? ` It also says: ${truncate(error.trim(), 200)}`
      : '',
  ].join('');
  const command = [...(c.spec?.command ?? []), ...(c.spec?.args ?? [])].join(
    ' ',
  );
  return makeFinding(NAME, s.ctx, {
    code: 'InitContainerStuck',
    severity: ms >= INIT_STUCK_ERROR_MS[pace] ? 'error' : 'warning',
    resource: refOf('Pod', s.pod),
    container: c.name,
    message: `Init container "${c.name}" of ${describePod(
      s.pod,
      s.owner,
    )} has been running for ${ago(ms)} without finishing (Init:${done}/${
      inits.length
    }), so the pod's containers cannot start.${says}`,
    evidence: compact([
      ...s.base,
      field(
        `${c.statusPath}.state.running.startedAt`,
        stamp(c.status.state?.running?.startedAt),
      ),
      ...(initialized
        ? conditionEvidence('status.conditions', initialized)
        : []),
      command ? field(`${c.specPath}.command`, command) : undefined,
      logEvidence(log),
    ]),
    proposedFix: {
      description: `Init container "${
        c.name
      }" waits for something it does not get${
        command ? ` (its command: ${truncate(command, 160)})` : ''
      }: make that dependency available (the Service, database or file it checks for) or fix what the command waits for. The pod starts by itself once the init container exits 0.`,
      note: 'A restart alone will not help: a new pod runs the same init container and waits for the same thing.',
    },
  });
}
