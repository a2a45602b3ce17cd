import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { FindingEvidence } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import { ago, field, nowOf, timeOf } from './common';

// The pods of the context a node under pressure evicted, and the container
// the kubelet named as the biggest consumer: the kubelet's eviction message
// says "Container X was using Q, request is R, has larger consumption of
// <resource>", which turns "the node is full" into "this workload fills it".

export interface NodeEvictions {
  /** One sentence for the finding's message, empty when nothing was evicted. */
  sentence: string;
  evidence: FindingEvidence[];
  /** Advice on the consumer the kubelet named, if any. */
  advice?: string;
}

const CONSUMER =
  /Container (\S+) was using (\S+), request is (\S+), has larger consumption of ([\w-]+)/;

function evictedAt(pod: V1Pod): number {
  const c = pod.status?.conditions?.find(x => x.type === 'DisruptionTarget');
  const terminated = (pod.status?.containerStatuses ?? [])
    .map(s => timeOf(s.state?.terminated?.finishedAt))
    .filter(t => t > 0);
  return timeOf(c?.lastTransitionTime) || Math.max(0, ...terminated);
}

export function evictionsFrom(
  ctx: AnalysisContext,
  node: V1Node,
): NodeEvictions {
  const name = node.metadata?.name;
  const evicted = ctx.pods
    .filter(
      p =>
        p.spec?.nodeName === name &&
        p.status?.phase === 'Failed' &&
        p.status?.reason === 'Evicted',
    )
    .sort((a, b) => evictedAt(b) - evictedAt(a));
  if (evicted.length === 0) return { sentence: '', evidence: [] };
  const latest = evicted[0];
  const when = evictedAt(latest);
  const consumer = CONSUMER.exec(latest.status?.message ?? '');
  const names = evicted.map(p => p.metadata?.name).join(', ');
  const sentence = ` It evicted ${
    evicted.length
  } pod(s) of this entity (${names})${
    when ? `, the latest ${ago(nowOf(ctx) - when)} ago` : ''
  }${
    consumer
      ? `: container ${consumer[1]} was using ${consumer[2]} of ${consumer[4]} (request ${consumer[3]})`
      : ''
  }.`;
  const evidence = [
    field(`pods evicted from ${name}`, names),
    field(
      `Pod/${latest.metadata?.name}.status.message`,
      (latest.status?.message ?? '').trim(),
    ),
  ];
  if (!consumer) return { sentence, evidence };
  const [, container, using, request, resource] = consumer;
  const unrequested = request === '0';
  const advice =
    resource === 'ephemeral-storage'
      ? `container ${container} wrote ${using} to the node's disk${
          unrequested ? ' with no ephemeral-storage request' : ''
        }: find what it writes (logs, temp files, its writable layer), and set resources.requests/limits.ephemeral-storage or an emptyDir sizeLimit so the scheduler counts it and only it is evicted`
      : `container ${container} used ${using} of ${resource}${
          unrequested ? ' with no request' : ` over its request of ${request}`
        }: set its ${resource} request to what it really uses`;
  return { sentence, evidence, advice };
}
