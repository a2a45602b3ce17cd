import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AnalysisContext, configReferencesOf } from '../analyzers';
import type { PromptTemplate } from '../llm';
import {
  estimateTokens,
  fitToBudget,
  PromptContext,
  toPromptContext,
} from './budget';
import type { KnownObject } from './llm/grounding';

type Named = { metadata?: { name?: string; namespace?: string } };

/**
 * Every object the model is shown, so that grounding can reject an answer
 * naming anything else. ConfigMaps and Secrets appear by name only (the pods
 * reference them; a missing one is what a fix would create).
 */
export function knownObjects(contexts: AnalysisContext[]): KnownObject[] {
  const out: KnownObject[] = [];
  const seen = new Set<string>();
  const add = (o: KnownObject) => {
    const key = `${o.cluster}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
    if (seen.has(key) || !o.name) return;
    seen.add(key);
    out.push(o);
  };
  for (const ctx of contexts) {
    const cluster = ctx.cluster;
    const each = (kind: string, items: Named[]) => {
      for (const o of items) {
        add({
          cluster,
          kind,
          ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
          name: o.metadata?.name ?? '',
        });
      }
    };
    for (const pod of ctx.pods) {
      add({
        cluster,
        kind: 'Pod',
        namespace: pod.metadata?.namespace,
        name: pod.metadata?.name ?? '',
        containers: [
          ...(pod.spec?.initContainers ?? []),
          ...(pod.spec?.containers ?? []),
        ].map(c => c.name),
      });
    }
    each('Deployment', ctx.deployments);
    each('ReplicaSet', ctx.replicasets);
    each('StatefulSet', ctx.statefulsets);
    each('DaemonSet', ctx.daemonsets);
    each('Job', ctx.jobs);
    each('CronJob', ctx.cronjobs);
    each('Service', ctx.services);
    each('Endpoints', ctx.endpoints);
    each('Ingress', ctx.ingresses);
    each('HorizontalPodAutoscaler', ctx.hpas);
    each('PersistentVolumeClaim', ctx.pvcs);
    each('Node', ctx.nodes);
    each('PodDisruptionBudget', ctx.pdbs ?? []);
    each('NetworkPolicy', ctx.networkpolicies ?? []);
    for (const pod of ctx.pods) {
      for (const ref of configReferencesOf(pod)) {
        add({
          cluster,
          kind: ref.kind,
          namespace: pod.metadata?.namespace,
          name: ref.name,
        });
      }
    }
    for (const m of ctx.missing) {
      add({ cluster, kind: m.kind, namespace: m.namespace, name: m.name });
    }
    for (const m of ctx.missingServices ?? []) {
      add({ cluster, kind: 'Service', namespace: m.namespace, name: m.name });
    }
  }
  return out;
}

/**
 * What the prompt costs besides the fitted context and the findings
 * themselves: the template, the known-objects list and the finding ids.
 * Same layout as LlmDiagnoser renders; an estimate with a small margin.
 */
export function promptOverheadTokens(
  prompt: PromptTemplate,
  entityRef: string,
  known: KnownObject[],
  findings: Finding[],
): number {
  const objects = known
    .map(
      o =>
        `- ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${
          o.cluster ? ` (cluster ${o.cluster})` : ''
        }${
          o.containers?.length ? ` containers: ${o.containers.join(', ')}` : ''
        }`,
    )
    .join('\n');
  return (
    estimateTokens(prompt.system) +
    estimateTokens(prompt.user) +
    estimateTokens(entityRef) +
    estimateTokens(objects) +
    // `"id": "F12",` per finding, and a nonce in each of four delimiters.
    findings.length * estimateTokens('"id": "F12",') +
    4 * estimateTokens('0123456789ab') +
    32
  );
}

export interface FittedPrompt {
  text: string;
  fits: boolean;
  rawChars: number;
  sentChars: number;
  estimatedTokens: number;
}

/**
 * Fits the contexts of several clusters into one budget. Each cluster first
 * gets what it needs after compression; when that is too much, the budget is
 * shared so that small clusters keep everything and the big ones are cut
 * (water-filling), and each is then fitted with `fitToBudget`.
 */
export function fitClusters(
  contexts: PromptContext[],
  maxTokens: number,
): FittedPrompt {
  if (contexts.length === 0) {
    return {
      text: '',
      fits: true,
      rawChars: 0,
      sentChars: 0,
      estimatedTokens: 0,
    };
  }
  const needs = contexts.map(
    c => fitToBudget(c, Number.POSITIVE_INFINITY).stats.estimatedTokens,
  );
  const shares = new Array<number>(contexts.length).fill(0);
  let left = Math.max(0, maxTokens);
  const order = needs.map((n, i) => ({ n, i })).sort((a, b) => a.n - b.n);
  order.forEach(({ n, i }, k) => {
    const share = Math.min(n, Math.floor(left / (order.length - k)));
    shares[i] = share;
    left -= share;
  });
  const fitted = contexts.map((c, i) => fitToBudget(c, shares[i]));
  return {
    text: fitted.map(f => f.text).join('\n\n'),
    fits: maxTokens > 0 && fitted.every(f => f.fits),
    rawChars: fitted.reduce((n, f) => n + f.stats.rawChars, 0),
    sentChars: fitted.reduce((n, f) => n + f.stats.sentChars, 0),
    estimatedTokens: fitted.reduce((n, f) => n + f.stats.estimatedTokens, 0),
  };
}

/**
 * One prompt context per cluster, each with that cluster's findings and
 * what backend modules' context providers added for it (`provided`).
 */
export function promptContexts(
  contexts: AnalysisContext[],
  findings: Finding[],
  provided: ReadonlyMap<string, string[]> = new Map(),
): PromptContext[] {
  return contexts.map(ctx => {
    const prompt = toPromptContext(
      ctx,
      findings.filter(f => f.cluster === ctx.cluster),
    );
    const lines = provided.get(ctx.cluster) ?? [];
    return lines.length ? { ...prompt, provided: lines } : prompt;
  });
}
