import { randomUUID } from 'node:crypto';
import {
  Diagnosis,
  diagnosisSchema,
  Finding,
  Recommendation,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { GatheredContext } from './gather/types';

/** What answered, before it becomes a Diagnosis. */
export interface Outcome {
  source: 'rules' | 'llm';
  summary: string;
  rootCause?: string;
  findings: Finding[];
  recommendations: Recommendation[];
  model?: string;
  promptVersion?: string;
  fallbackReason?: string;
  usage?: Diagnosis['usage'];
  /** Served from the cache: no model call was made for this request. */
  cached?: boolean;
}

/** The validated Diagnosis for an outcome (optional fields only when set). */
export function toDiagnosis({
  entityRef,
  createdAt,
  outcome,
  headline,
  errors,
}: {
  entityRef: string;
  createdAt: string;
  outcome: Outcome;
  headline: string | undefined;
  errors: string[];
}): Diagnosis {
  return diagnosisSchema.parse({
    id: randomUUID(),
    entityRef,
    createdAt,
    source: outcome.source,
    ...(outcome.model ? { model: outcome.model } : {}),
    ...(outcome.promptVersion ? { promptVersion: outcome.promptVersion } : {}),
    summary: outcome.summary,
    ...(headline ? { headline } : {}),
    ...(outcome.rootCause ? { rootCause: outcome.rootCause } : {}),
    findings: outcome.findings,
    recommendations: outcome.recommendations,
    errors,
    ...(outcome.fallbackReason
      ? { fallbackReason: outcome.fallbackReason }
      : {}),
    ...(outcome.usage ? { usage: outcome.usage } : {}),
  });
}

/** The one log line per diagnosis: what answered, what was found, timings. */
export function logLine(d: {
  diagnosis: Diagnosis;
  entityRef: string;
  actor: string;
  gathered: GatheredContext;
  outcome: Outcome;
  started: number;
}): string {
  const { diagnosis, gathered, outcome } = d;
  return `Diagnosis ${diagnosis.id} of ${d.entityRef} for ${d.actor}: source=${
    diagnosis.source
  } findings=[${[...new Set(diagnosis.findings.map(f => f.code))].join(
    ',',
  )}] errors=${diagnosis.errors.length} calls=${
    gathered.stats.calls
  } gather=${Math.round(gathered.stats.wallMs)}ms total=${Math.round(
    performance.now() - d.started,
  )}ms${outcome.cached ? ' (cached model answer)' : ''}${
    diagnosis.fallbackReason
      ? `; rules because ${diagnosis.fallbackReason}`
      : ''
  }`;
}
