import type { V1Node } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import {
  clause,
  conditionEvidence,
  eventEvidence,
  eventsFor,
  field,
  latestEvents,
  makeFinding,
  refOf,
} from './common';
import { evictionsFrom } from './nodeEvictions';

const NAME = 'node';

const PRESSURES = ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

const PRESSURE_ADVICE: Record<(typeof PRESSURES)[number], string> = {
  MemoryPressure:
    'the kubelet evicts pods to reclaim memory: set memory requests/limits that match real use, or add memory',
  DiskPressure:
    'the kubelet evicts pods and garbage-collects images: free disk (logs, emptyDir, images) or grow the disk',
  PIDPressure:
    'the node runs out of process IDs: find the pod spawning processes, or set podPidsLimit',
};

export const nodeAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['Node'],
  analyze(ctx) {
    return ctx.nodes.flatMap(n => analyzeNode(ctx, n));
  },
};

function analyzeNode(ctx: AnalysisContext, node: V1Node): Finding[] {
  const findings: Finding[] = [];
  const name = node.metadata?.name ?? '';
  const ref = refOf('Node', node);
  const conds = node.status?.conditions ?? [];
  const ready = conds.find(c => c.type === 'Ready');
  // Node events live in `default` with no involvedObject namespace: match by name only.
  const events = eventsFor(ctx, 'Node', undefined, name);
  const notReadyEvents = events.filter(e =>
    ['NodeNotReady', 'ContainerGCFailed', 'KubeletNotReady'].includes(
      e.reason ?? '',
    ),
  );
  const pressureEvents = events.filter(e =>
    [
      'EvictionThresholdMet',
      'FreeDiskSpaceFailed',
      'ImageGCFailed',
      'SystemOOM',
    ].includes(e.reason ?? ''),
  );
  const taints = (node.spec?.taints ?? [])
    .map(t => `${t.key}:${t.effect}`)
    .join(', ');

  // `Unknown` means the kubelet stopped reporting, which is as bad as False.
  if (ready && ready.status !== 'True') {
    findings.push(
      makeFinding(NAME, ctx, {
        code: 'NodeNotReady',
        severity: 'critical',
        resource: ref,
        message: `Node ${name} is not Ready (${ready.status}${
          ready.reason ? `, ${ready.reason}` : ''
        }): ${clause(
          ready.message ?? 'the kubelet reports it unhealthy',
        )}. No new pods are scheduled there, and its pods are evicted once their toleration (300 s by default) runs out.`,
        evidence: [
          ...conditionEvidence('status.conditions', ready),
          ...(node.spec?.unschedulable
            ? [field('spec.unschedulable', true)]
            : []),
          ...(taints ? [field('spec.taints', taints)] : []),
          ...latestEvents(notReadyEvents, 2).map(eventEvidence),
        ],
        proposedFix: {
          description:
            ready.status === 'Unknown'
              ? `The kubelet on ${name} stopped posting status: check that the machine is up and reachable and that the kubelet and container runtime run.`
              : `Check the kubelet and container runtime on ${name} (journalctl -u kubelet); the condition message names what failed (often the network plugin).`,
        },
      }),
    );
  }

  const pressures = conds.filter(
    c =>
      (PRESSURES as readonly string[]).includes(c.type) && c.status === 'True',
  );
  if (pressures.length > 0) {
    const evictions = evictionsFrom(ctx, node);
    // One finding per node: the dedup key (code + resource) would merge per-condition ones.
    findings.push(
      makeFinding(NAME, ctx, {
        code: 'NodePressure',
        severity: 'warning',
        resource: ref,
        message: `Node ${name} is under ${pressures
          .map(p => p.type)
          .join(', ')}${
          pressures[0].message
            ? `: ${pressures
                .map(p => clause(p.message ?? ''))
                .filter(Boolean)
                .join('; ')}`
            : ''
        }.${evictions.sentence}`,
        evidence: [
          ...pressures.flatMap(p => conditionEvidence('status.conditions', p)),
          ...latestEvents(pressureEvents, 2).map(eventEvidence),
          ...evictions.evidence,
        ],
        proposedFix: {
          description: `On ${name}, ${[
            ...(evictions.advice ? [evictions.advice] : []),
            ...pressures.map(
              p => PRESSURE_ADVICE[p.type as (typeof PRESSURES)[number]],
            ),
          ].join('; ')}.`,
        },
      }),
    );
  }
  return findings;
}
