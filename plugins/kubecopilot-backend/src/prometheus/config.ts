import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  CanaryQueryTemplates,
  DEFAULT_CANARY_QUERY_TEMPLATES,
  templateProblems,
} from './queries';
import {
  defaultMetricQueryTemplates,
  METRIC_QUERY_KEYS,
  MetricQueryTemplates,
  metricTemplateProblems,
} from './metricQueries';

/** Where the Prometheus of one cluster is, and how to authenticate. */
export interface PrometheusTarget {
  baseUrl: string;
  /** Sent with every query (e.g. `Authorization`); never logged or returned. */
  headers: Record<string, string>;
}

/** `kubecopilot.prometheus.*`, with defaults applied and checked at start-up. */
export interface PrometheusConfig {
  /** The Prometheus of every cluster without an entry in `clusters`. */
  baseUrl?: string;
  /** Deadline of one query, in ms. */
  timeoutMs: number;
  /** Per-cluster Prometheus, by cluster name. */
  clusters: Map<string, PrometheusTarget>;
  /** The PromQL templates of the canary gates. */
  queries: CanaryQueryTemplates;
  /** The entity's charts: templates and the deadline of one `GET /metrics`. */
  metrics: { queries: MetricQueryTemplates; timeoutMs: number };
}

const KEY = 'kubecopilot.prometheus';

const httpUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be an http(s) URL without query or fragment, e.g. http://prometheus.monitoring:9090',
    });
  } else if (url.username || url.password) {
    // fetch refuses them, and they would show in messages.
    ctx.addIssue({
      code: 'custom',
      message:
        'must not contain credentials: send them as a header (clusters[].headers.Authorization)',
    });
  }
});

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const templateSchema = z
  .string()
  .min(1, { message: 'must be a non-empty PromQL template' })
  .superRefine((template, ctx) => {
    for (const problem of templateProblems(template)) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });

const metricTemplateSchema = z
  .string()
  .min(1, { message: 'must be a non-empty PromQL template' })
  .superRefine((template, ctx) => {
    for (const problem of metricTemplateProblems(template)) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });

const millis = (max: number) =>
  z.preprocess(
    // Config from environment variables arrives as text.
    value =>
      typeof value === 'string' && /^\d+$/.test(value.trim())
        ? Number(value)
        : value,
    z
      .number()
      .int({ message: 'must be a whole number of milliseconds' })
      .min(1, { message: 'must be a positive number of milliseconds' })
      .max(max, { message: `must be at most ${max}` }),
  );

const prometheusSchema = z.strictObject({
  baseUrl: httpUrl.optional(),
  timeoutMs: z
    .preprocess(
      // Config from environment variables arrives as text.
      value =>
        typeof value === 'string' && /^\d+$/.test(value.trim())
          ? Number(value)
          : value,
      z
        .number()
        .int({ message: 'must be a whole number of milliseconds' })
        .min(1, { message: 'must be a positive number of milliseconds' })
        .max(300_000, { message: 'must be at most 300000 (5 minutes)' }),
    )
    .optional(),
  clusters: z
    .array(
      z.strictObject({
        cluster: z.string().min(1, { message: 'must be a cluster name' }),
        baseUrl: httpUrl,
        headers: z
          .record(z.string(), z.string(), {
            // Never echo a header value (it may be a secret).
            error: 'must map header names to string values',
          })
          .optional()
          .superRefine((headers, ctx) => {
            for (const name of Object.keys(headers ?? {})) {
              if (!headerName.test(name)) {
                ctx.addIssue({
                  code: 'custom',
                  message: `has an invalid header name ${JSON.stringify(name)}`,
                });
              }
            }
          }),
      }),
    )
    .optional(),
  queries: z
    .strictObject({
      errorRate: templateSchema.optional(),
      p99Latency: templateSchema.optional(),
    })
    .optional(),
  metrics: z
    .strictObject({
      timeoutMs: millis(60_000).optional(),
      queries: z
        .strictObject(
          Object.fromEntries(
            METRIC_QUERY_KEYS.map(key => [
              key,
              metricTemplateSchema.optional(),
            ]),
          ) as Record<
            (typeof METRIC_QUERY_KEYS)[number],
            z.ZodOptional<typeof metricTemplateSchema>
          >,
        )
        .optional(),
    })
    .optional(),
});

function keyOf(path: PropertyKey[]): string {
  return path.reduce<string>(
    (key, part) =>
      typeof part === 'number' ? `${key}[${part}]` : `${key}.${String(part)}`,
    KEY,
  );
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `${keyOf(issue.path)} has unknown key${
      issue.keys.length > 1 ? 's' : ''
    } ${issue.keys.join(', ')}`;
  }
  // zod's own texts ("Invalid input: expected string, received number")
  // never show the value; ours read on from the key.
  return /^[A-Z]/.test(issue.message)
    ? `${keyOf(issue.path)}: ${issue.message}`
    : `${keyOf(issue.path)} ${issue.message}`;
}

/**
 * Reads and checks `kubecopilot.prometheus`. Throws an InputError naming the
 * offending key; never includes header values in its messages.
 */
export function readPrometheusConfig(root: Config): PrometheusConfig {
  const raw = root.getOptional(KEY) ?? {};
  const parsed = prometheusSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      `Invalid Prometheus configuration: ${parsed.error.issues
        .map(describeIssue)
        .join('; ')}`,
    );
  }
  const clusters = new Map<string, PrometheusTarget>();
  parsed.data.clusters?.forEach((entry, index) => {
    if (clusters.has(entry.cluster)) {
      throw new InputError(
        `Invalid Prometheus configuration: ${KEY}.clusters[${index}].cluster '${entry.cluster}' is listed twice`,
      );
    }
    clusters.set(entry.cluster, {
      baseUrl: entry.baseUrl.replace(/\/+$/, ''),
      headers: entry.headers ?? {},
    });
  });
  const queries = {
    errorRate:
      parsed.data.queries?.errorRate ??
      DEFAULT_CANARY_QUERY_TEMPLATES.errorRate,
    p99Latency:
      parsed.data.queries?.p99Latency ??
      DEFAULT_CANARY_QUERY_TEMPLATES.p99Latency,
  };
  const metricQueries = { ...defaultMetricQueryTemplates(queries) };
  for (const key of METRIC_QUERY_KEYS) {
    const configured = parsed.data.metrics?.queries?.[key];
    if (configured) metricQueries[key] = configured;
  }
  return {
    baseUrl: parsed.data.baseUrl?.replace(/\/+$/, ''),
    timeoutMs: parsed.data.timeoutMs ?? 10_000,
    clusters,
    queries,
    metrics: {
      queries: metricQueries,
      timeoutMs: parsed.data.metrics?.timeoutMs ?? 8_000,
    },
  };
}
