import {
  Finding,
  findingSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from '../analyzers/types';
import { redactText } from '../diagnosis/redaction';
import { isModuleCode, namespaceOf } from './ModuleExtensions';
import type {
  KubecopilotAnalyzer,
  KubecopilotContextProvider,
  KubecopilotMetadataReader,
  KubecopilotProvidedContext,
  KubecopilotProvidedItem,
} from './types';

/** Bounds on what one provider may add for one cluster. */
export const CONTEXT_LIMITS = {
  items: 50,
  facts: 20,
  keyChars: 100,
  valueChars: 300,
  titleChars: 200,
};
/** At most this many findings are kept from one module analyzer. */
const MAX_FINDINGS = 100;

export interface ModuleRunOptions {
  analyzers: readonly KubecopilotAnalyzer[];
  providers: readonly KubecopilotContextProvider[];
  analyzerTimeoutMs: number;
  contextTimeoutMs: number;
}

export interface ModuleRunResult {
  findings: Finding[];
  /** Notes for the diagnosis' `errors`: what a module could not add. */
  errors: string[];
  provided: KubecopilotProvidedContext[];
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

class DeadlineError extends Error {}

/** Resolves with `work`'s answer, or rejects once `ms` passed. */
async function withDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => T | Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new DeadlineError(`no answer within ${ms} ms`));
      reject(new DeadlineError(`no answer within ${ms} ms`));
    }, ms);
  });
  const started = performance.now();
  try {
    const value = await Promise.race([
      Promise.resolve().then(() => work(controller.signal)),
      late,
    ]);
    // Synchronous work cannot be interrupted in Node; an answer that came
    // after the deadline is still dropped, so the deadline means the same
    // thing whether the module awaited or not.
    if (performance.now() - started > ms) {
      throw new DeadlineError(`answered after its ${ms} ms deadline`);
    }
    return value;
  } finally {
    clearTimeout(timer);
  }
}

function clip(text: string, max: number): string {
  const redacted = redactText(String(text)).value;
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}

/** Cuts a provider's answer to the bounds and masks secret-looking values. */
export function boundItems(raw: unknown): KubecopilotProvidedItem[] {
  if (!Array.isArray(raw)) return [];
  return raw.slice(0, CONTEXT_LIMITS.items).flatMap(item => {
    if (!item || typeof item !== 'object' || typeof item.title !== 'string') {
      return [];
    }
    const facts = Object.entries(
      item.facts && typeof item.facts === 'object' ? item.facts : {},
    )
      .slice(0, CONTEXT_LIMITS.facts)
      .map(([k, v]) => [
        clip(k, CONTEXT_LIMITS.keyChars),
        clip(String(v), CONTEXT_LIMITS.valueChars),
      ]);
    const r = item.resource;
    const resource =
      r && typeof r.kind === 'string' && typeof r.name === 'string'
        ? {
            kind: r.kind,
            name: r.name,
            ...(typeof r.namespace === 'string'
              ? { namespace: r.namespace }
              : {}),
          }
        : undefined;
    return [
      {
        ...(resource ? { resource } : {}),
        title: clip(item.title, CONTEXT_LIMITS.titleChars),
        facts: Object.fromEntries(facts),
      },
    ];
  });
}

/**
 * Runs the modules' context providers, then the modules' analyzers, over
 * one cluster's (already redacted) context. Never throws: a provider or an
 * analyzer that fails, answers late or reports a code outside its namespace
 * is a note, and everything else stands.
 */
export async function runModules(
  input: {
    entityRef: string;
    context: AnalysisContext;
    kubernetes: KubecopilotMetadataReader;
  },
  options: ModuleRunOptions,
): Promise<ModuleRunResult> {
  const { context } = input;
  const cluster = context.cluster;
  const errors: string[] = [];
  // Modules see a copy: nothing they do can change what the built-in rules
  // and the model see.
  const copy = () => structuredClone(context);

  const provided = (
    await Promise.all(
      options.providers.map(async provider => {
        try {
          const items = await withDeadline(options.contextTimeoutMs, signal =>
            provider.provide({
              entityRef: input.entityRef,
              cluster,
              context: copy(),
              kubernetes: input.kubernetes,
              signal,
            }),
          );
          return [{ provider: provider.name, items: boundItems(items) }];
        } catch (e) {
          errors.push(
            `cluster '${cluster}': context provider ${provider.name} ${
              e instanceof DeadlineError
                ? e.message
                : `failed (${messageOf(e)})`
            }; the diagnosis goes on without its context`,
          );
          return [];
        }
      }),
    )
  ).flat();

  const findings: Finding[] = [];
  for (const analyzer of options.analyzers) {
    const namespace = namespaceOf(analyzer.name, 'analyzer');
    let found: unknown;
    try {
      found = await withDeadline(options.analyzerTimeoutMs, () =>
        analyzer.analyze({ ...copy(), provided: structuredClone(provided) }),
      );
    } catch (e) {
      errors.push(
        `cluster '${cluster}': module analyzer ${analyzer.name} ${
          e instanceof DeadlineError ? e.message : `failed (${messageOf(e)})`
        }; its findings are missing, the rest of the diagnosis is complete`,
      );
      continue;
    }
    if (!Array.isArray(found)) {
      errors.push(
        `cluster '${cluster}': module analyzer ${analyzer.name} answered something other than a list of findings; ignored`,
      );
      continue;
    }
    const list: unknown[] = found;
    let dropped = 0;
    for (const raw of list.slice(0, MAX_FINDINGS)) {
      const parsed = findingSchema.safeParse({
        ...(raw && typeof raw === 'object' ? raw : {}),
        analyzer: analyzer.name,
        cluster,
      });
      if (!parsed.success || !isModuleCode(parsed.data.code, namespace)) {
        dropped += 1;
        continue;
      }
      // Links between findings are the built-in rules' to make.
      const { id: _id, causedBy: _causedBy, ...finding } = parsed.data;
      findings.push(finding);
    }
    if (dropped > 0 || list.length > MAX_FINDINGS) {
      errors.push(
        `cluster '${cluster}': module analyzer ${analyzer.name}: ${
          dropped + Math.max(0, list.length - MAX_FINDINGS)
        } finding(s) dropped (not a finding, too many, or a code outside '${namespace}/')`,
      );
    }
  }
  return { findings, errors, provided };
}
