import { isError } from '@backstage/errors';
import type {
  Finding,
  FindingEvidence,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { MetricsClient } from '../prometheus';
import { escapePromQLString } from '../prometheus/queries';

/** A diagnosis waits at most this long for Prometheus. */
export const METRIC_EVIDENCE_TIMEOUT_MS = 1_000;
/** How far back a diagnosis looks in Prometheus. */
export const EVIDENCE_WINDOW = '15m';
/** At most this many findings get metric evidence (two queries each). */
export const MAX_FINDINGS_WITH_METRICS = 6;
/** Throttling below this share of CFS periods is not worth a line. */
export const THROTTLING_WORTH_NOTING = 0.1;

const MI = 2 ** 20;

const percent = (v: number) => `${Math.round(v * 100)}%`;
const mebibytes = (v: number) => `${Math.round(v / MI)} MiB`;

/**
 * Metric facts for a diagnosis's findings, from the Prometheus of each
 * finding's cluster: an OOM-killed container's memory working set against
 * its limit, a crashing or unready container's CPU throttling. Each fact is
 * a `field` evidence item whose path is the PromQL (window included) and
 * whose value is what Prometheus answered, so a reader can run it again.
 * Bounded in findings and time: past its deadline the diagnosis goes on
 * without them, with a note.
 */
export class MetricEvidence {
  constructor(
    private readonly deps: { client: MetricsClient; timeoutMs: number },
  ) {}

  /** Adds evidence to `findings` in place; the notes for `errors`. */
  async enrich(findings: Finding[]): Promise<string[]> {
    const candidates = findings
      .filter(
        f =>
          // Notes (a recovered container, a rollout in progress) need no
          // numbers, and must not make a calm diagnosis partial.
          f.severity !== 'info' &&
          f.resource.kind === 'Pod' &&
          f.resource.namespace &&
          f.container &&
          this.deps.client.isConfigured(f.cluster),
      )
      .slice(0, MAX_FINDINGS_WITH_METRICS);
    if (candidates.length === 0) return [];
    const deadline = AbortSignal.timeout(this.deps.timeoutMs);
    const notes = new Set<string>();
    await Promise.all(
      candidates.map(async finding => {
        try {
          finding.evidence.push(...(await this.evidenceOf(finding, deadline)));
        } catch (error) {
          notes.add(
            deadline.aborted
              ? `cluster '${finding.cluster}': Prometheus did not answer within ${this.deps.timeoutMs} ms; the diagnosis has no metric evidence`
              : `cluster '${finding.cluster}': metric evidence: ${
                  isError(error) ? error.message : String(error)
                }`,
          );
        }
      }),
    );
    return [...notes];
  }

  private async evidenceOf(
    finding: Finding,
    signal: AbortSignal,
  ): Promise<FindingEvidence[]> {
    const selector = `namespace="${escapePromQLString(
      finding.resource.namespace!,
    )}",pod="${escapePromQLString(
      finding.resource.name,
    )}",container="${escapePromQLString(finding.container!)}"`;
    const ask = (promql: string) =>
      this.deps.client
        .query(finding.cluster, promql, { signal })
        .then(r => r.value);
    const evidence: FindingEvidence[] = [];

    if (finding.code === 'OOMKilled') {
      const peakQuery = `max(max_over_time(container_memory_working_set_bytes{${selector}}[${EVIDENCE_WINDOW}]))`;
      const limitQuery = `max(kube_pod_container_resource_limits{${selector},resource="memory"})`;
      const [peak, limit] = await Promise.all([
        ask(peakQuery),
        ask(limitQuery),
      ]);
      if (peak !== null) {
        evidence.push({
          type: 'field',
          path: peakQuery,
          value: mebibytes(peak),
          message:
            limit === null
              ? `memory working set peak over the last ${EVIDENCE_WINDOW} (no memory limit in kube-state-metrics)`
              : `memory working set peaked at ${percent(
                  peak / limit,
                )} of its ${mebibytes(
                  limit,
                )} limit over the last ${EVIDENCE_WINDOW}`,
        });
      }
    }

    const throttlingQuery =
      `max(rate(container_cpu_cfs_throttled_periods_total{${selector}}[${EVIDENCE_WINDOW}])` +
      ` / rate(container_cpu_cfs_periods_total{${selector}}[${EVIDENCE_WINDOW}]))`;
    const throttled = await ask(throttlingQuery);
    if (throttled !== null && throttled >= THROTTLING_WORTH_NOTING) {
      evidence.push({
        type: 'field',
        path: throttlingQuery,
        value: percent(throttled),
        message: `of CPU periods throttled over the last ${EVIDENCE_WINDOW}: the container hits its CPU limit`,
      });
    }
    return evidence;
  }
}
