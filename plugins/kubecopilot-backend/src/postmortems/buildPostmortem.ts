import { parseEntityRef } from '@backstage/catalog-model';
import {
  AuditEntry,
  FindingRecord,
  OperationPlan,
  Postmortem,
  PostmortemTimelineEntry,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { SEVERITY_RANK } from '../analyzers/common';
import { PostmortemInput } from './types';
import { renderMarkdown } from './renderMarkdown';

export type PostmortemDraft = Omit<
  Postmortem,
  'id' | 'version' | 'createdBy' | 'createdAt' | 'updatedBy' | 'updatedAt'
>;

/** The most entries of each kind a timeline shows (events repeat a lot). */
const MAX_EVENTS = 150;

/** Audit actions that are the plan's story (the rest are steps and samples). */
const PLAN_ACTIONS: Record<string, string> = {
  'plan.created': 'drafted',
  'plan.approved': 'approved',
  'plan.rejected': 'rejected',
  'plan.expired': 'expired',
  'plan.execution-started': 'execution started',
  'plan.executed': 'executed',
  'plan.failed': 'failed',
  'plan.revert-requested': 'revert requested',
  'plan.revert-started': 'revert started',
  'plan.reverted': 'reverted',
  'plan.revert-failed': 'revert failed',
  'plan.rollback-started': 'rollback started',
  'plan.paused': 'paused',
  'plan.step-confirmed': 'step confirmed',
  'plan.step-declined': 'step declined',
};
/** What counts as "done" about the incident. */
const DONE = new Set([
  'plan.executed',
  'plan.reverted',
  'plan.failed',
  'plan.revert-failed',
]);
const SOURCE_ORDER = ['kubernetes', 'alert', 'finding', 'diagnosis', 'plan'];

function describePlan(plan: OperationPlan | undefined, planId: string) {
  if (!plan) return `plan ${planId}`;
  const { kind, namespace, name } = plan.resource;
  return `${plan.action} ${kind} ${
    namespace ? `${namespace}/` : ''
  }${name} (plan ${planId})`;
}

function within(at: string | undefined, from: Date, to: Date): at is string {
  if (!at) return false;
  const t = Date.parse(at);
  return t >= from.getTime() && t <= to.getTime();
}

function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

function timelineOf(input: PostmortemInput): PostmortemTimelineEntry[] {
  const { from, to } = input;
  const entries: PostmortemTimelineEntry[] = [];
  const events = input.events
    .filter(e => within(e.at, from, to))
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(0, MAX_EVENTS);
  for (const e of events) {
    entries.push({
      at: e.at,
      source: 'kubernetes',
      text: `${e.type} ${e.reason} on ${e.object}: ${e.message}${
        e.count > 1 ? ` (×${e.count})` : ''
      }`,
      ref: `event:${e.uid}`,
    });
  }
  for (const a of input.alerts) {
    const summary = a.annotations.summary ? `: ${a.annotations.summary}` : '';
    if (within(a.startsAt, from, to)) {
      entries.push({
        at: a.startsAt,
        source: 'alert',
        text: `Alert ${a.alertname} firing${summary}`,
        ref: `alert:${a.id}`,
      });
    }
    if (a.status === 'resolved' && within(a.endsAt, from, to)) {
      entries.push({
        at: a.endsAt,
        source: 'alert',
        text: `Alert ${a.alertname} resolved`,
        ref: `alert:${a.id}`,
      });
    }
  }
  for (const f of input.findings) {
    if (within(f.firstSeen, from, to)) {
      entries.push({
        at: f.firstSeen,
        source: 'finding',
        text: `Finding opened (${f.severity}): ${f.title}`,
        ref: `finding:${f.fingerprint}`,
      });
    }
    if (f.status === 'resolved' && within(f.resolvedAt, from, to)) {
      entries.push({
        at: f.resolvedAt,
        source: 'finding',
        text: `Finding resolved: ${f.title}`,
        ref: `finding:${f.fingerprint}`,
      });
    }
  }
  for (const d of input.diagnoses) {
    if (within(d.createdAt, from, to)) {
      entries.push({
        at: d.createdAt,
        source: 'diagnosis',
        text: `Diagnosis (${d.source}): ${d.headline ?? d.summary}`,
        ref: `diagnosis:${d.id}`,
      });
    }
  }
  for (const entry of input.audit) {
    const verb = PLAN_ACTIONS[entry.action];
    if (!verb || !entry.planId || !within(entry.createdAt, from, to)) continue;
    const plan = input.plans.get(entry.planId);
    entries.push({
      at: entry.createdAt,
      source: 'plan',
      text: `Plan ${verb} by ${entry.actor}: ${describePlan(
        plan,
        entry.planId,
      )}`,
      ref: `audit:${entry.id}`,
    });
  }
  return entries.sort(
    (a, b) =>
      a.at.localeCompare(b.at) ||
      SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) ||
      a.ref.localeCompare(b.ref),
  );
}

function worst(findings: FindingRecord[]): FindingRecord | undefined {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.firstSeen.localeCompare(b.firstSeen),
  )[0];
}

function impactOf(input: PostmortemInput, name: string): string {
  const { from, to } = input;
  const opened = input.findings.filter(f => within(f.firstSeen, from, to));
  const fired = input.alerts.filter(a => within(a.startsAt, from, to));
  if (opened.length === 0 && fired.length === 0) {
    return `KubeCopilot recorded no finding and no alert for ${name} in this window.`;
  }
  const starts = [
    ...opened.map(f => f.firstSeen),
    ...fired.map(a => a.startsAt),
  ].sort();
  const stillOpen =
    opened.some(
      f => !f.resolvedAt || Date.parse(f.resolvedAt) > to.getTime(),
    ) || fired.some(a => !a.endsAt || Date.parse(a.endsAt) > to.getTime());
  const ends = [
    ...opened.flatMap(f => (f.resolvedAt ? [f.resolvedAt] : [])),
    ...fired.flatMap(a => (a.endsAt ? [a.endsAt] : [])),
  ].sort();
  const top = worst(opened);
  const parts = [
    `${name}: ${opened.length} finding(s) opened${
      top ? ` (worst: ${top.severity} ${top.title})` : ''
    } and ${fired.length} alert(s) fired${
      fired.length
        ? ` (${[...new Set(fired.map(a => a.alertname))].join(', ')})`
        : ''
    }.`,
  ];
  if (stillOpen) {
    parts.push(
      `Affected from ${starts[0]}; still open at the end of the window.`,
    );
  } else {
    const end = ends[ends.length - 1];
    parts.push(
      `Affected from ${starts[0]} to ${end} (${duration(
        Date.parse(end) - Date.parse(starts[0]),
      )}).`,
    );
  }
  return parts.join(' ');
}

function causeOf(input: PostmortemInput): PostmortemDraft['probableCause'] {
  const { from, to } = input;
  const diagnosis = [...input.diagnoses]
    .filter(d => within(d.createdAt, from, to) && d.findings.length > 0)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  const roots = input.findings.filter(
    f => within(f.firstSeen, from, to) && !f.finding.causedBy,
  );
  const root = worst(roots);
  if (diagnosis) {
    const text = diagnosis.headline ?? diagnosis.rootCause ?? diagnosis.summary;
    return {
      text,
      refs: [
        `diagnosis:${diagnosis.id}`,
        ...(root ? [`finding:${root.fingerprint}`] : []),
      ],
    };
  }
  if (root) {
    return {
      text: `${root.title}: ${root.finding.message}`,
      refs: [`finding:${root.fingerprint}`],
    };
  }
  return {
    text: 'No cause in KubeCopilot’s records for this window: no diagnosis and no finding.',
    refs: [],
  };
}

function actionsOf(input: PostmortemInput, audit: AuditEntry[]): string[] {
  return audit
    .filter(e => DONE.has(e.action) && e.planId)
    .map(
      e =>
        `${e.createdAt}: ${describePlan(
          input.plans.get(e.planId!),
          e.planId!,
        )} ${PLAN_ACTIONS[e.action]} by ${e.actor} [audit:${e.id}]`,
    );
}

function actionItemsOf(input: PostmortemInput): string[] {
  const { from, to } = input;
  const items: string[] = [];
  for (const f of input.findings) {
    const openAtEnd =
      Date.parse(f.firstSeen) <= to.getTime() &&
      (!f.resolvedAt || Date.parse(f.resolvedAt) > to.getTime());
    if (openAtEnd) {
      items.push(
        `Resolve ${f.title} (open since ${f.firstSeen}) [finding:${f.fingerprint}]`,
      );
    }
  }
  for (const plan of input.plans.values()) {
    if (plan.status === 'pending' || plan.status === 'confirmed') {
      items.push(
        `Decide or execute plan ${plan.id}: ${describePlan(plan, plan.id)} (${
          plan.status
        })`,
      );
    }
  }
  const opened = input.findings.filter(f => within(f.firstSeen, from, to));
  const fired = input.alerts.filter(a => within(a.startsAt, from, to));
  if (opened.length > 0 && fired.length === 0) {
    items.push(
      'Add an alert: the findings scan saw the problem, but no alert fired for it.',
    );
  }
  if (!input.verification.ok) {
    items.push(
      `Investigate the audit chain: it does not verify${
        input.verification.firstBrokenId !== undefined
          ? ` from entry ${input.verification.firstBrokenId}`
          : ''
      }${input.verification.reason ? ` (${input.verification.reason})` : ''}.`,
    );
  }
  return items;
}

const endOfWindow = (input: PostmortemInput) => input.to.toISOString();

/**
 * The draft, by rules and templates — no model: a timeline merged from the
 * entity's Kubernetes events, findings, alerts, diagnoses and plan audit
 * entries in the window; impact, probable cause (citing timeline refs),
 * what was done, open action items; and the audit chain's verification.
 */
export function buildPostmortem(input: PostmortemInput): PostmortemDraft {
  const { name } = parseEntityRef(input.entityRef);
  const audit = [...input.audit]
    .filter(e => within(e.createdAt, input.from, input.to))
    .sort((a, b) => a.id - b.id);
  const timeline = timelineOf(input);
  // Dated by the first sign of trouble, else by the end of the window.
  const started = timeline.find(
    e => e.source === 'alert' || e.source === 'finding',
  )?.at;
  const draft: Omit<PostmortemDraft, 'markdown'> = {
    entityRef: input.entityRef,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    title: `Postmortem: ${name}, ${(started ?? endOfWindow(input)).slice(0, 10)}`,
    impact: impactOf(input, name),
    probableCause: causeOf(input),
    actionsTaken: actionsOf(input, audit),
    actionItems: actionItemsOf(input),
    timeline,
    auditVerification: input.verification,
    errors: input.errors,
  };
  return { ...draft, markdown: renderMarkdown(draft) };
}
