import type { AnalysisContext } from '../../analyzers';
import { redactObject } from './redactObject';
import { RedactionResult, redactLogLines } from './redactText';

/**
 * Redacts everything gathered from one cluster. The gatherer calls this once,
 * before the analyzers run, so findings, the stored diagnosis, the HTTP
 * response and the LLM prompt are all built from the same redacted data.
 */
export function redactAnalysisContext(
  ctx: AnalysisContext,
): RedactionResult<AnalysisContext> {
  let redactions = 0;
  const objects = <T>(items: T[]): T[] => {
    const r = redactObject(items);
    redactions += r.redactions;
    return r.value;
  };
  const logs = ctx.logs.map(log => {
    const r = redactLogLines(log.lines);
    redactions += r.redactions;
    return { ...log, lines: r.value };
  });
  const value: AnalysisContext = {
    cluster: ctx.cluster,
    pods: objects(ctx.pods),
    deployments: objects(ctx.deployments),
    replicasets: objects(ctx.replicasets),
    statefulsets: objects(ctx.statefulsets),
    daemonsets: objects(ctx.daemonsets),
    services: objects(ctx.services),
    endpoints: objects(ctx.endpoints),
    endpointslices: objects(ctx.endpointslices),
    ingresses: objects(ctx.ingresses),
    hpas: objects(ctx.hpas),
    pvcs: objects(ctx.pvcs),
    nodes: objects(ctx.nodes),
    jobs: objects(ctx.jobs),
    cronjobs: objects(ctx.cronjobs),
    events: objects(ctx.events),
    logs,
    missing: ctx.missing.map(m => ({ ...m })),
    // Key names only (never values): nothing to redact.
    objectKeys: ctx.objectKeys.map(k => ({ ...k, keys: [...k.keys] })),
    ...(ctx.storageclasses
      ? { storageclasses: objects(ctx.storageclasses) }
      : {}),
    ...(ctx.ingressclasses
      ? { ingressclasses: objects(ctx.ingressclasses) }
      : {}),
    ...(ctx.pdbs ? { pdbs: objects(ctx.pdbs) } : {}),
    ...(ctx.missingServices
      ? { missingServices: ctx.missingServices.map(m => ({ ...m })) }
      : {}),
    ...(ctx.networkpolicies
      ? { networkpolicies: objects(ctx.networkpolicies) }
      : {}),
    ...(ctx.missingEndpoints
      ? { missingEndpoints: ctx.missingEndpoints.map(m => ({ ...m })) }
      : {}),
    ...(ctx.now !== undefined ? { now: ctx.now } : {}),
  };
  return { value, redactions };
}
