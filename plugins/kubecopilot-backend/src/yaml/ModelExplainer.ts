import { createHash } from 'node:crypto';
import { CacheService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type {
  ManifestCheck,
  ManifestExplanation,
  ManifestModelPoint,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import {
  configuredModel,
  LlmBudgetWrapper,
  LlmClient,
  PromptTemplate,
  renderPrompt,
} from '../llm';
import type { KubeObject } from '../kubernetes/types';

const answerSchema = z
  .object({
    points: z
      .array(
        z
          .object({
            path: z.string().trim().min(1).max(300),
            text: z.string().trim().min(1).max(600),
          })
          .strict(),
      )
      .min(1)
      .max(8),
  })
  .strict();

/** What the model is shown: the manifest as the YAML view shows it. */
export interface ExplainInput {
  kind: string;
  name: string;
  /** The manifest (masked, without status) as an object and as its YAML text. */
  object: KubeObject;
  text: string;
  rules: ManifestExplanation[];
  checks: ManifestCheck[];
}

export type ModelExplanation =
  | {
      ok: true;
      points: ManifestModelPoint[];
      dropped: string[];
      model: string;
      promptVersion: string;
    }
  | { ok: false; reason: string };

/** Answers are cached this long per manifest, prompt and model. */
const CACHE_TTL_MS = 60 * 60 * 1000;

/**
 * `spec.template.spec.containers[0].resources` → the value there, or
 * `undefined` when the manifest has no such field.
 */
export function valueAtPath(object: unknown, path: string): unknown {
  const segments = path.match(/[^.[\]]+|\[\d+\]/g);
  if (!segments || segments.join('').length !== path.replace(/\./g, '').length)
    return undefined;
  let at: any = object;
  for (const segment of segments) {
    if (at === null || typeof at !== 'object') return undefined;
    const index = /^\[(\d+)\]$/.exec(segment);
    if (index) {
      if (!Array.isArray(at)) return undefined;
      at = at[Number(index[1])];
    } else {
      if (Array.isArray(at) || !Object.hasOwn(at, segment)) return undefined;
      at = at[segment];
    }
    if (at === undefined) return undefined;
  }
  return at;
}

const QUANTITY = /(?<![\w.])\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|m|k|M|G)(?![\w])/g;
const IMAGE =
  /\b[a-z0-9][a-z0-9.-]*(?::\d+)?(?:\/[a-z0-9._-]+)+(?::[A-Za-z0-9._-]+|@sha256:[a-f0-9]+)/g;

/**
 * Why a point is not grounded in the manifest, or undefined when it is: its
 * path must exist, and every value it quotes as code, every quantity
 * (`256Mi`, `500m`) and every image reference must appear in the manifest.
 */
export function ungrounded(
  point: ManifestModelPoint,
  object: KubeObject,
  text: string,
): string | undefined {
  if (valueAtPath(object, point.path) === undefined) {
    return `${point.path}: the manifest has no such field`;
  }
  for (const [, raw] of point.text.matchAll(/`([^`]+)`/g)) {
    const quoted = raw.trim().replace(/^["']|["']$/g, '');
    // A field path in the prompt's notation must exist; anything else
    // quoted as code must be written in the manifest.
    const isPath = /^[A-Za-z][\w-]*(?:\.[\w-]+|\[\d+\])+$/.test(quoted);
    const found = isPath
      ? valueAtPath(object, quoted) !== undefined || text.includes(quoted)
      : text.includes(quoted);
    if (!found) {
      return `${point.path}: quotes "${quoted}", which is not in the manifest`;
    }
  }
  for (const [match] of [
    ...point.text.matchAll(QUANTITY),
    ...point.text.matchAll(IMAGE),
  ]) {
    // A sentence's full stop is not part of a tag.
    const value = match.replace(/[.-]+$/, '');
    if (!text.includes(value)) {
      return `${point.path}: says ${value}, which is not in the manifest`;
    }
  }
  return undefined;
}

/**
 * The model's explanation of a manifest, beside the rules' one: schema-checked,
 * and each point grounded in the manifest it was shown (a point that cites a
 * field, value or image the manifest does not have is left out, and says
 * why). The model reads the manifest as delimited data; its answer is text
 * for a person, never an action. Answers are cached per manifest, prompt
 * and model.
 */
export class ManifestModelExplainer {
  constructor(
    private readonly llm: LlmClient,
    private readonly prompt: PromptTemplate,
    private readonly cache?: CacheService,
  ) {}

  async explain(input: ExplainInput): Promise<ModelExplanation> {
    const key = `yaml-explain:${createHash('sha256')
      .update(JSON.stringify([this.prompt.version, this.llm.model, input.text]))
      .digest('hex')}`;
    const cached = (await this.cache?.get(key).catch(() => undefined)) as
      | ModelExplanation
      | undefined;
    if (cached) return cached;
    const answer = await this.ask(input);
    if (answer.ok) {
      await this.cache
        ?.set(key, answer as any, { ttl: CACHE_TTL_MS })
        .catch(() => undefined);
    }
    return answer;
  }

  private async ask(input: ExplainInput): Promise<ModelExplanation> {
    const rendered = renderPrompt(this.prompt, {
      kind: input.kind,
      name: input.name,
      rules:
        input.rules.map(r => `- ${r.path}: ${r.text}`).join('\n') || '(none)',
      checks:
        input.checks
          .map(c => `- ${c.id} (${c.severity}) at ${c.path}`)
          .join('\n') || '(none)',
      manifest: input.text,
    });
    const result = await this.llm.completeJson({
      schemaName: 'manifest_explanation',
      schema: answerSchema,
      system: rendered.system,
      user: rendered.user,
    });
    if (!result.ok) {
      return {
        ok: false,
        reason: `the model did not answer usably (${result.reason}): ${result.message}`,
      };
    }
    const points: ManifestModelPoint[] = [];
    const dropped: string[] = [];
    for (const point of result.value.points) {
      const why = ungrounded(point, input.object, input.text);
      if (why) dropped.push(why);
      else points.push(point);
    }
    if (points.length === 0) {
      return {
        ok: false,
        reason: `every point the model made cited something the manifest does not have (${dropped.join(
          '; ',
        )})`,
      };
    }
    return {
      ok: true,
      points,
      dropped,
      model: result.model,
      promptVersion: rendered.version,
    };
  }
}

/** The explainer, or undefined when no model is configured. */
export async function createManifestModelExplainer(
  config: Config,
  options: { llmBudget?: LlmBudgetWrapper; cache?: CacheService } = {},
): Promise<ManifestModelExplainer | undefined> {
  const model = await configuredModel(config, 'yaml-explain', options);
  return (
    model &&
    new ManifestModelExplainer(model.client, model.prompt, options.cache)
  );
}
