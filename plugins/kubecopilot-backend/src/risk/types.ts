import {
  PlanAction,
  ResourceRef,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { KubeObject } from '../kubernetes/types';

export type { KubeObject };

/** What a risk rule may look at. Everything is read when the plan is made. */
export interface RiskContext {
  action: PlanAction;
  resource: ResourceRef;
  params: Record<string, unknown>;
  /** The live object (`diff.before`). */
  before: KubeObject | null;
  /** The desired object (`diff.after`). */
  after: KubeObject | null;
  /** HorizontalPodAutoscalers in the object's namespace. */
  hpas: KubeObject[];
  /** PodDisruptionBudgets in the object's namespace. */
  pdbs: KubeObject[];
  /** Labels of the pod a `delete` targets, or of the workload's pods. */
  podLabels?: Record<string, string>;
  productionNamespaces: string[];
  /** Remaining error budget of the entity's SLO, 0..1, when known. */
  errorBudgetRemaining?: number;
  /**
   * The error budget of the entity's SLOs when the plan is made (its
   * `kubecopilot.io/openslo` file); undefined when it declares none.
   */
  errorBudget?: ErrorBudgetFact;
}

/**
 * What the plan's entity's SLOs say: the SLO closest to trouble (budget
 * spent, or burning fastest), or why the budget could not be measured.
 */
export type ErrorBudgetFact =
  | {
      state: 'known';
      slo: string;
      /** e.g. 0.995 */
      target: number;
      /** e.g. `28d` */
      timeWindow: string;
      /** 1 − error ratio / budget over the window; ≤ 0 when spent. */
      remaining: number;
      /** Good events / all events over the window. */
      sli: number;
      /** Burn rates by window (`1h`, `5m`, `6h`, `30m`), null without traffic. */
      burnRates: Record<string, number | null>;
      /** The 1h/5m ≥ 14.4× alert fires. */
      fastBurn: boolean;
      /** The 6h/30m ≥ 6× alert fires. */
      slowBurn: boolean;
    }
  | { state: 'unknown'; slo?: string; reason: string };

/**
 * What a rule contributes: a floor (`level`), a one-step `raise`, or a
 * `warning` that changes no level but must be read by the approver.
 */
export type RiskEffect =
  | { level: RiskLevel; message: string }
  | { raise: true; message: string }
  | { warning: true; message: string };

/**
 * One named rule. Adding a rule is adding an object to the list in
 * `rules.ts`; the engine never changes.
 */
export interface RiskRule {
  name: string;
  description: string;
  evaluate(context: RiskContext): RiskEffect | undefined;
}

/** Reads an entity's error budget for a plan's risk, within its own deadline; never rejects. */
export type ErrorBudgetSource = (
  entityRef: string,
  credentials: BackstageCredentials,
) => Promise<ErrorBudgetFact | undefined>;
