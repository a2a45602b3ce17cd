import type { ManifestCheck } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { KubeObject } from '../kubernetes/types';
import type { ObservedUse } from './observedUse';

export type { ManifestCheck };

/** What a check may look at besides the manifest itself. */
export interface CheckContext {
  /** `kubecopilot.risk.productionNamespaces`. */
  productionNamespaces: string[];
  /** The namespace's PodDisruptionBudgets; undefined when they could not be read. */
  pdbs?: KubeObject[];
  /** The namespace's HorizontalPodAutoscalers; undefined when they could not be read. */
  hpas?: KubeObject[];
  /** What the workload's containers used; undefined without Prometheus for the cluster. */
  observed?: ObservedUse;
}

/**
 * One best-practice rule: a pure function of the manifest and its
 * surroundings, answering one check per problem it sees.
 */
export type ManifestRule = (
  object: KubeObject,
  context: CheckContext,
) => ManifestCheck[];
