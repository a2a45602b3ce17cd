import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from '../analyzers/types';
import type { RiskContext } from '../risk/types';

/**
 * One fact a context provider adds to a diagnosis, e.g. a GitOps
 * application's sync status or a Secret's certificate annotations. Bounded
 * and redacted by KubeCopilot before anything sees it.
 *
 * @public
 */
export interface KubecopilotProvidedItem {
  /** The object the fact is about, when it is about one. */
  resource?: { kind: string; namespace?: string; name: string };
  /** One line, e.g. `Application checkout is OutOfSync`. */
  title: string;
  /** Short name → value pairs (at most 20, values cut at 300 characters). */
  facts: Record<string, string>;
}

/**
 * What one context provider added for one cluster.
 *
 * @public
 */
export interface KubecopilotProvidedContext {
  /** The provider's namespaced name (`acme/argocd`). */
  provider: string;
  items: KubecopilotProvidedItem[];
}

/**
 * The context a module's analyzer sees: everything the built-in analyzers
 * see (already redacted), plus what context providers added.
 *
 * @public
 */
export interface KubecopilotAnalysisContext extends AnalysisContext {
  provided: readonly KubecopilotProvidedContext[];
}

/**
 * An analyzer added by a backend module. Same shape as the built-in ones: a
 * pure function of the gathered context to findings with codes, evidence and
 * fixes. Its name and every code it reports are namespaced
 * (`acme/certificates`, `acme/ExpiredCertificate`), so they never collide
 * with built-in codes, which have no slash.
 *
 * @public
 */
export interface KubecopilotAnalyzer {
  /** `<namespace>/<name>`, e.g. `acme/certificates`. */
  readonly name: string;
  /** The kinds whose objects it reports on. */
  readonly kinds: readonly string[];
  /**
   * May return a promise; it has `kubecopilot.extensions.analyzerTimeoutMs`
   * (default 1000 ms) to answer. Findings whose code is not in the
   * analyzer's namespace are dropped with a note.
   */
  analyze(ctx: KubecopilotAnalysisContext): Finding[] | Promise<Finding[]>;
}

/**
 * What a module's risk rule may decide: a floor for the plan's level, or a
 * warning the approver must read. A floor can only raise the level the
 * built-in rules decided, never lower it.
 *
 * @public
 */
export type KubecopilotRiskEffect =
  | { level: 'low' | 'medium' | 'high'; message: string }
  | { warning: true; message: string };

/**
 * A risk rule added by a backend module, judged over the same change model
 * as the built-in rules (live object, desired object, params).
 *
 * @public
 */
export interface KubecopilotRiskRule {
  /** `<namespace>/<name>`, e.g. `acme/change-freeze`. */
  readonly name: string;
  readonly description: string;
  evaluate(context: RiskContext): KubecopilotRiskEffect | undefined;
}

/**
 * Read-only, metadata-only access to one cluster, as the user who asked
 * for the diagnosis: no spec, no data, no Secret values, no writes.
 *
 * @public
 */
export interface KubecopilotMetadataReader {
  /**
   * GET `path` as `PartialObjectMetadata` (or `…List` for a collection),
   * e.g. `/api/v1/namespaces/shop/secrets/checkout-tls`.
   */
  readMetadata<T = unknown>(path: string): Promise<T>;
}

/**
 * Adds bounded, redacted context to diagnoses, e.g. a GitOps sync status or
 * a cloud provider's events. It has `kubecopilot.extensions.contextTimeoutMs`
 * (default 2000 ms); late or failing providers are a note on the diagnosis.
 *
 * @public
 */
export interface KubecopilotContextProvider {
  /** `<namespace>/<name>`, e.g. `acme/argocd`. */
  readonly name: string;
  provide(input: {
    entityRef: string;
    cluster: string;
    /** What the gatherer read from this cluster (redacted). */
    context: AnalysisContext;
    kubernetes: KubecopilotMetadataReader;
    /** Aborted when the deadline passes. */
    signal: AbortSignal;
  }): Promise<KubecopilotProvidedItem[]>;
}

/** @public */
export interface KubecopilotAnalyzersExtensionPoint {
  addAnalyzer(...analyzers: KubecopilotAnalyzer[]): void;
}

/** @public */
export interface KubecopilotRiskRulesExtensionPoint {
  addRiskRule(...rules: KubecopilotRiskRule[]): void;
}

/** @public */
export interface KubecopilotContextProvidersExtensionPoint {
  addContextProvider(...providers: KubecopilotContextProvider[]): void;
}
