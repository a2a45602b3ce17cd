import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { AnalysisContext } from '../../analyzers';
import type { DiagnosisTarget } from '../types';

export interface GatherStats {
  /** Wall time of the whole gather, in milliseconds. */
  wallMs: number;
  /** Kubernetes calls made, and how many failed or missed their deadline. */
  calls: number;
  failedCalls: number;
  /** Latency of the slowest single call, in milliseconds. */
  slowestCallMs: number;
  /** Values masked by redaction (secrets in objects, events and logs). */
  redactions: number;
}

/** What one gather read, already redacted. */
export interface GatheredContext {
  /** One per cluster where the entity (or the target) has objects. */
  contexts: AnalysisContext[];
  /**
   * What could not be read, one readable line each (cluster and what is
   * missing). A non-empty list means the diagnosis is partial.
   */
  errors: string[];
  stats: GatherStats;
}

/**
 * Reads everything a diagnosis needs about an entity, as the user. Never
 * throws because a call or a cluster failed: that is an entry in `errors`.
 */
export interface ContextGatherer {
  /**
   * @throws NotFoundError when `target` is given and is not one of the
   * entity's objects in any cluster that could be read.
   */
  gather(
    entityRef: string,
    options: { target?: DiagnosisTarget; credentials: BackstageCredentials },
  ): Promise<GatheredContext>;
}
