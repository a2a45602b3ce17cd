import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/**
 * The part of OpenSLO v1 (https://github.com/OpenSLO/OpenSLO) KubeCopilot
 * evaluates: `kind: SLO` documents with an inline ratio indicator whose good
 * (or bad) and total metrics are Prometheus queries, objectives with a
 * `target`, and one rolling `timeWindow`. Other kinds in the same file
 * (Service, DataSource, AlertPolicy, …) are skipped.
 */

/** OpenSLO durations: a number and a unit (m, h, d, w). */
const DURATION = /^([1-9]\d*)(m|h|d|w)$/;

const UNIT_SECONDS: Record<string, number> = {
  m: 60,
  h: 3600,
  d: 86400,
  w: 7 * 86400,
};

/** Seconds of an OpenSLO duration such as `28d`. */
export function durationSeconds(duration: string): number {
  const m = DURATION.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * UNIT_SECONDS[m[2]];
}

const metricSchema = z.object({
  metricSource: z.object({
    /** The DataSource: KubeCopilot reads it as the cluster whose Prometheus to ask. */
    metricSourceRef: z.string().min(1).optional(),
    type: z.string().refine(t => t.toLowerCase() === 'prometheus', {
      message: 'only Prometheus metric sources are evaluated',
    }),
    spec: z.object({
      query: z.string().trim().min(1, { message: 'must be a PromQL query' }),
    }),
  }),
});

const ratioSchema = z
  .object({
    /** true: the queries select counters, and KubeCopilot takes their increase over each window. */
    counter: z.boolean(),
    good: metricSchema.optional(),
    bad: metricSchema.optional(),
    total: metricSchema,
  })
  .refine(r => Boolean(r.good) !== Boolean(r.bad), {
    message: 'needs exactly one of good and bad',
  });

export const sloDocumentSchema = z.object({
  apiVersion: z.literal('openslo/v1', {
    error: 'must be openslo/v1',
  }),
  kind: z.literal('SLO'),
  metadata: z.object({
    name: z.string().min(1),
    displayName: z.string().optional(),
  }),
  spec: z.object({
    description: z.string().optional(),
    service: z.string().optional(),
    budgetingMethod: z.literal('Occurrences', {
      error: 'only the Occurrences budgeting method is evaluated',
    }),
    timeWindow: z
      .array(
        z.object({
          duration: z.string().regex(DURATION, {
            message: 'must be a duration such as 28d, 4w, 24h',
          }),
          isRolling: z.literal(true, {
            error: 'only rolling windows are evaluated',
          }),
        }),
      )
      .length(1, { message: 'must hold exactly one window' }),
    indicator: z.object({
      metadata: z.object({ name: z.string().min(1) }).optional(),
      spec: z.object({ ratioMetric: ratioSchema }),
    }),
    objectives: z
      .array(
        z.object({
          displayName: z.string().optional(),
          target: z
            .number()
            .gt(0, { message: 'must be a fraction above 0' })
            .lt(1, { message: 'must be a fraction below 1 (e.g. 0.995)' }),
        }),
      )
      .min(1, { message: 'must hold at least one objective' }),
  }),
});

/** An SLO as KubeCopilot evaluates it. */
export interface SloDefinition {
  name: string;
  displayName?: string;
  description?: string;
  /** The strictest objective's target, e.g. 0.995. */
  target: number;
  /** e.g. `28d` */
  timeWindow: string;
  timeWindowSeconds: number;
  /** The cluster whose Prometheus is asked (`metricSourceRef`), if named. */
  cluster?: string;
  counter: boolean;
  /** `good` or `bad` events over `total`. */
  events: 'good' | 'bad';
  eventsQuery: string;
  totalQuery: string;
}

function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * The SLOs of an OpenSLO file, or the problems that make it unusable,
 * each naming the document and field. Never throws on bad input.
 */
export function parseOpenSlo(text: string): {
  slos: SloDefinition[];
  problems: string[];
} {
  const slos: SloDefinition[] = [];
  const problems: string[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch (error) {
    return { slos, problems: [`not YAML: ${(error as Error).message}`] };
  }
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    if (doc.errors.length) {
      problems.push(
        `document ${index + 1} is not YAML: ${doc.errors[0].message}`,
      );
      return;
    }
    const value = doc.toJS();
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || (value as any).kind !== 'SLO') return;
    const parsed = sloDocumentSchema.safeParse(value);
    const name = (value as any).metadata?.name;
    const where = `SLO ${
      typeof name === 'string' ? `'${name}'` : `document ${index + 1}`
    }`;
    if (!parsed.success) {
      problems.push(
        `${where}: ${parsed.error.issues.map(describe).join('; ')}`,
      );
      return;
    }
    const { metadata, spec } = parsed.data;
    const ratio = spec.indicator.spec.ratioMetric;
    const events = ratio.good ? 'good' : 'bad';
    const eventsMetric = (ratio.good ?? ratio.bad)!;
    const refs = new Set(
      [eventsMetric, ratio.total].map(m => m.metricSource.metricSourceRef),
    );
    if (refs.size > 1) {
      problems.push(
        `${where}: ${events} and total must use the same metricSourceRef`,
      );
      return;
    }
    const [window] = spec.timeWindow;
    slos.push({
      name: metadata.name,
      displayName: metadata.displayName,
      description: spec.description,
      target: Math.max(...spec.objectives.map(o => o.target)),
      timeWindow: window.duration,
      timeWindowSeconds: durationSeconds(window.duration),
      cluster: [...refs][0],
      counter: ratio.counter,
      events,
      eventsQuery: eventsMetric.metricSource.spec.query,
      totalQuery: ratio.total.metricSource.spec.query,
    });
  });
  return { slos, problems };
}

/**
 * The PromQL of the error ratio over `window`: counters are summed over
 * their increase; gauges (`counter: false`) must carry `{{window}}` where
 * the window goes.
 */
export function errorRatioQuery(slo: SloDefinition, window: string): string {
  const over = (query: string) =>
    slo.counter
      ? `sum(increase(${query}[${window}]))`
      : `(${query.replace(/\{\{\s*window\s*\}\}/g, window)})`;
  const ratio = `${over(slo.eventsQuery)} / ${over(slo.totalQuery)}`;
  return slo.events === 'good' ? `1 - (${ratio})` : ratio;
}
