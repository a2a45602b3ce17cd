import { EntityEvent } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { redactText } from '../diagnosis/redaction/redactText';

/**
 * A core/v1 Event as the API server lists it. Recent clusters write core/v1
 * events through the events.k8s.io API, so the newer fields (`eventTime`,
 * `series`, `reportingController`) appear here too, often with
 * `firstTimestamp`/`lastTimestamp`/`count` left empty.
 */
export interface KubeEvent {
  metadata?: {
    uid?: string;
    name?: string;
    namespace?: string;
    creationTimestamp?: string;
  };
  involvedObject?: {
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    fieldPath?: string;
  };
  type?: string;
  reason?: string;
  message?: string;
  count?: number | null;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  source?: { component?: string; host?: string };
  reportingController?: string;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** Longest message kept: events are one line, a runaway one must not flood the page. */
export const MAX_MESSAGE = 2_000;

const CONTAINER_PATH =
  /^spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]+)\}$/;

function isoOrUndefined(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function sourceOf(e: KubeEvent): string | undefined {
  const who =
    e.reportingController || e.source?.component || e.reportingComponent;
  const where = e.source?.host || e.reportingInstance;
  if (!who) return where || undefined;
  return where && where !== who ? `${who} (${where})` : who;
}

/**
 * One event in the shape the timeline shows, or undefined when it carries
 * no time at all. The message is text from the cluster: masked for secrets
 * and capped, never interpreted.
 */
export function normalizeEvent(
  cluster: string,
  e: KubeEvent,
): EntityEvent | undefined {
  const involved = e.involvedObject ?? {};
  const namespace = involved.namespace ?? e.metadata?.namespace ?? '';
  const created = isoOrUndefined(e.metadata?.creationTimestamp);
  const eventTime = isoOrUndefined(e.eventTime);
  const first = isoOrUndefined(e.firstTimestamp) ?? eventTime ?? created;
  const last =
    isoOrUndefined(e.series?.lastObservedTime) ??
    isoOrUndefined(e.lastTimestamp) ??
    eventTime ??
    first;
  if (!first || !last) return undefined;
  const count = Math.max(1, e.series?.count ?? e.count ?? 1);
  const fieldPath = involved.fieldPath || undefined;
  const container = fieldPath?.match(CONTAINER_PATH)?.[1];
  const message = redactText(e.message ?? '').value;
  const source = sourceOf(e);
  return {
    uid:
      e.metadata?.uid ??
      `${cluster}/${namespace}/${e.metadata?.name ?? involved.name}/${first}`,
    cluster,
    namespace,
    object: { kind: involved.kind ?? 'Object', name: involved.name ?? '' },
    ...(fieldPath && { fieldPath }),
    ...(container && { container }),
    type: e.type || 'Normal',
    reason: e.reason ?? '',
    message:
      message.length > MAX_MESSAGE
        ? `${message.slice(0, MAX_MESSAGE)}…`
        : message,
    count,
    firstTime: first < last ? first : last,
    lastTime: last,
    ...(source && { source }),
  };
}
