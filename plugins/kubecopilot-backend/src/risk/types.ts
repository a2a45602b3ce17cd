import {
  PlanAction,
  ResourceRef,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

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
}

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
