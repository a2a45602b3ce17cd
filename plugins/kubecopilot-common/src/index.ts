/**
 * Isomorphic schemas, types and permissions shared by the KubeCopilot plugins.
 *
 * @packageDocumentation
 */

export * from './plan';
export * from './blueGreen';
export * from './diagnosis';
export * from './workloads';
export * from './permissions';
export * from './audit';
export * from './query';
export * from './clusterAuth';
export * from './actors';
export * from './findings';
export * from './yaml';
export * from './metrics';
export * from './slo';
export * from './alerts';
export * from './postmortems';
export * from './events';
