import { createHash } from 'node:crypto';
import type { AnalysisContext } from '../analyzers';
import type { DiagnosisTarget } from './types';

type Versioned = {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
};

const LISTS = [
  'pods',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'services',
  'endpoints',
  'endpointslices',
  'ingresses',
  'hpas',
  'pvcs',
  'nodes',
  'jobs',
  'cronjobs',
  'events',
] as const;

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

/**
 * The identity of what a diagnosis was made from: every object by its
 * resourceVersion (an object without one, by its content), which logs were
 * read, which ConfigMaps/Secrets are missing and what could not be read.
 *
 * Logs carry no version, but a container only gets a new previous log by
 * restarting, which changes its pod's resourceVersion. Which logs were read
 * is part of the key, so a caller who may not read logs (or read fewer
 * objects) never gets an answer made from data they could not see: the key
 * can only match if the caller gathered exactly the same set.
 */
export function versionKey(input: {
  entityRef: string;
  target?: DiagnosisTarget;
  contexts: AnalysisContext[];
  errors: string[];
  /** What else changes the answer: model, prompt version, budget. */
  salt: string;
}): string {
  const parts: string[] = [];
  for (const ctx of input.contexts) {
    for (const list of LISTS) {
      for (const o of ctx[list] as Versioned[]) {
        const m = o.metadata;
        parts.push(
          `${ctx.cluster}|${list}|${m?.namespace ?? ''}|${m?.name ?? ''}|${
            m?.resourceVersion ?? sha256(JSON.stringify(o))
          }`,
        );
      }
    }
    for (const l of ctx.logs) {
      parts.push(
        `${ctx.cluster}|log|${l.namespace}|${l.pod}|${l.container}|${l.previous}`,
      );
    }
    for (const m of ctx.missing) {
      parts.push(`${ctx.cluster}|missing|${m.kind}|${m.namespace}|${m.name}`);
    }
    for (const m of ctx.missingEndpoints ?? []) {
      parts.push(`${ctx.cluster}|missing|Endpoints|${m.namespace}|${m.name}`);
    }
    for (const m of ctx.missingServices ?? []) {
      parts.push(`${ctx.cluster}|missing|Service|${m.namespace}|${m.name}`);
    }
    // Key names change without the pods changing (a key added to a ConfigMap).
    for (const k of ctx.objectKeys) {
      parts.push(
        `${ctx.cluster}|keys|${k.kind}|${k.namespace}|${k.name}|${k.keys.join(
          ',',
        )}`,
      );
    }
    for (const [list, items] of [
      ['storageclasses', ctx.storageclasses],
      ['ingressclasses', ctx.ingressclasses],
      ['pdbs', ctx.pdbs],
      ['networkpolicies', ctx.networkpolicies],
    ] as const) {
      for (const o of (items ?? []) as Versioned[]) {
        parts.push(
          `${ctx.cluster}|${list}|${o.metadata?.namespace ?? ''}|${
            o.metadata?.name ?? ''
          }|${o.metadata?.resourceVersion ?? sha256(JSON.stringify(o))}`,
        );
      }
    }
  }
  parts.sort();
  return sha256(
    JSON.stringify({
      entityRef: input.entityRef.toLocaleLowerCase('en-US'),
      target: input.target ?? null,
      salt: input.salt,
      parts,
      errors: [...input.errors].sort(),
    }),
  );
}
