export { KubernetesContextGatherer } from './KubernetesContextGatherer';
export type { KubernetesContextGathererOptions } from './KubernetesContextGatherer';
export { selectTarget } from './target';
export type { EntityObjects } from './target';
export type { ContextGatherer, GatheredContext, GatherStats } from './types';
