import {
  describeBlueGreenIntent,
  parseBlueGreenIntent,
} from '../intents/parseBlueGreenIntent';
import { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kubecopilotDiagnosePermission,
  QueryResponse,
  QueryResultItem,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { outOfScope } from '../intents/outOfScope';
import { describeIntent, intentParams, parseIntent } from '../intents/parseIntent';
import {
  describeCanaryIntent,
  parseCanaryIntent,
} from '../canary/parseCanaryIntent';
import { KubernetesBackendClient } from '../kubernetes/types';
import { WorkloadsService } from '../workloads/types';
import { parseEntityRef } from '@backstage/catalog-model';
import { parseQuestion, PodFilter } from './parseQuestion';

type Pod = {
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string };
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{
      ready?: boolean;
      restartCount?: number;
      state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
      lastState?: { terminated?: { reason?: string; finishedAt?: string } };
    }>;
  };
};

/**
 * `POST /query`: read questions about an entity's workloads, answered from
 * the same objects the Kubernetes plugin maps to the entity; write intents
 * are only recognised, never acted on here.
 */
export class QueryService {
  constructor(
    private readonly options: {
      kubernetes: KubernetesBackendClient;
      workloads: WorkloadsService;
      permissions: PermissionsService;
      now?: () => Date;
    },
  ) {}

  async query(
    entityRef: string,
    question: string,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<QueryResponse> {
    const [decision] = await this.options.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You are not allowed to read workloads (kubecopilot.diagnose)');
    }

    // A blue-green is drafted from these words by POST /plans as well.
    const blueGreen = parseBlueGreenIntent(question);
    if (blueGreen) {
      return {
        type: 'intent',
        question,
        understood: describeBlueGreenIntent(blueGreen),
        action: 'blue-green',
        target: { kind: 'Deployment', name: blueGreen.target.name },
        params: { ...blueGreen },
      };
    }

    // A canary is drafted from these words by POST /plans as well.
    const canary = parseCanaryIntent(question);
    if (canary) {
      return {
        type: 'intent',
        question,
        understood: describeCanaryIntent(canary),
        action: 'canary',
        target: { kind: 'Deployment', name: canary.target.name },
        params: { ...canary },
      };
    }

    const intent = parseIntent(question);
    if (intent) {
      return {
        type: 'intent',
        question,
        understood: describeIntent(intent),
        action: intent.type,
        target: intent.target,
        params: intentParams(intent),
      };
    }

    const parsed = parseQuestion(question, this.now());
    if (!parsed) {
      const refused = outOfScope(question);
      if (refused) throw new InputError(refused);
      throw new InputError(
        `KubeCopilot did not understand "${question.slice(0, 120)}". Try "show failing pods", "pods in CrashLoopBackOff", "which pods restarted today?", "show workloads", or a change such as "restart checkout" or "roll back checkout".`,
      );
    }

    if (parsed.kind === 'workloads') {
      const result = await this.options.workloads.getWorkloads(parseEntityRef(entityRef), { credentials });
      return {
        type: 'resources',
        question,
        understood: parsed.understood,
        items: result.workloads.map(w => ({
          cluster: w.cluster,
          kind: w.kind,
          namespace: w.namespace,
          name: w.name,
          status: w.reasons[0] ?? (w.ready >= w.desired ? 'Available' : 'Unavailable'),
          ready: `${w.ready}/${w.desired}`,
          restarts: w.restarts,
        })),
        errors: result.errors,
      };
    }

    const objects = await this.options.kubernetes.getObjectsByEntity(entityRef, { credentials });
    const items: QueryResultItem[] = [];
    const errors: Array<{ cluster: string; message: string }> = [];
    for (const cluster of objects.items) {
      for (const error of cluster.errors) {
        errors.push({ cluster: cluster.cluster.name, message: describeError(error) });
      }
      for (const fetched of cluster.resources) {
        if (fetched.type !== 'pods') continue;
        for (const pod of fetched.resources as Pod[]) {
          const item = podItem(cluster.cluster.name, pod);
          if (matches(parsed.filter, pod, item)) items.push(item);
        }
      }
    }
    return { type: 'resources', question, understood: parsed.understood, items, errors };
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }
}

function podItem(cluster: string, pod: Pod): QueryResultItem {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = statuses.map(s => s.state?.waiting?.reason).find(Boolean);
  const terminated = statuses.map(s => s.state?.terminated?.reason).find(Boolean);
  const lastRestart = statuses
    .map(s => s.lastState?.terminated?.finishedAt)
    .filter((t): t is string => Boolean(t))
    .sort()
    .pop();
  return {
    cluster,
    kind: 'Pod',
    namespace: pod.metadata?.namespace,
    name: pod.metadata?.name ?? '',
    status: waiting ?? terminated ?? pod.status?.phase ?? 'Unknown',
    ready: `${statuses.filter(s => s.ready).length}/${statuses.length}`,
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    ...(lastRestart ? { since: lastRestart } : {}),
  };
}

function matches(filter: PodFilter, pod: Pod, item: QueryResultItem): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  switch (filter.type) {
    case 'all':
      return true;
    case 'phase':
      return pod.status?.phase === filter.phase;
    case 'reason':
      return statuses.some(
        s =>
          filter.reasons.includes(s.state?.waiting?.reason ?? '') ||
          filter.reasons.includes(s.state?.terminated?.reason ?? '') ||
          filter.reasons.includes(s.lastState?.terminated?.reason ?? ''),
      );
    case 'failing': {
      const ready = pod.status?.conditions?.find(c => c.type === 'Ready')?.status === 'True';
      return !ready || pod.status?.phase !== 'Running' || statuses.some(s => s.state?.waiting);
    }
    case 'restarted':
      if (!item.restarts) return false;
      if (filter.sinceMs === undefined) return true;
      return item.since !== undefined && Date.parse(item.since) >= filter.sinceMs;
    default:
      return false;
  }
}

function describeError(error: { errorType: string; message?: string; statusCode?: number }) {
  return error.message ?? `${error.errorType}${error.statusCode ? ` (${error.statusCode})` : ''}`;
}
