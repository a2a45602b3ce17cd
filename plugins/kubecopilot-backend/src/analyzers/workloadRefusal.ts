import type { CoreV1Event } from '@kubernetes/client-node';
import type { ObjectRef } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import { clause, eventsFor } from './common';

/** Why a StatefulSet or DaemonSet controller cannot create its pods. */
export interface Refusal {
  event: CoreV1Event;
  /** The API server's refusal, e.g. `pods "web-1" is forbidden: exceeded quota: …`. */
  text: string;
}

/**
 * The latest FailedCreate warning of a workload whose controller creates
 * pods itself (StatefulSet, DaemonSet): a ResourceQuota, a LimitRange or an
 * admission policy refusing them. Only while pods are missing (`short`):
 * events outlive the refusal.
 */
export function refusalOf(
  ctx: AnalysisContext,
  ref: ObjectRef,
  short: boolean,
): Refusal | undefined {
  if (!short) return undefined;
  const events = eventsFor(ctx, ref.kind, ref.namespace, ref.name).filter(
    e => e.reason === 'FailedCreate' && e.type === 'Warning',
  );
  const event = events[events.length - 1];
  if (!event) return undefined;
  // "create Pod web-1 in StatefulSet web failed error: pods …" and
  // "Error creating: pods …" both end in the API server's answer.
  const message = event.message ?? '';
  const m = /(?:failed error:|Error creating:)\s*(.+)$/s.exec(message);
  return { event, text: clause(m ? m[1] : message) };
}
