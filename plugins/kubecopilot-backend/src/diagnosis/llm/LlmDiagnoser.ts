import {
  Finding,
  Recommendation,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { LlmClient, LlmUsage, PromptTemplate, renderPrompt } from '../../llm';
import { findingsText } from '../budget';
import { checkGrounding, KnownObject } from './grounding';
import { recommendationAction } from './recommendationParams';
import { llmDiagnosisSchema } from './schema';

/** Everything the model may see: already redacted and fitted to the budget. */
export interface LlmDiagnoserInput {
  entityRef: string;
  findings: Finding[];
  /** The redacted, budget-fitted context as text. */
  context: string;
  known: KnownObject[];
  signal?: AbortSignal;
}

export type LlmDiagnoserResult =
  | {
      ok: true;
      summary: string;
      rootCause: string;
      findings: Finding[];
      recommendations: Recommendation[];
      model: string;
      promptVersion: string;
      usage: LlmUsage;
    }
  | {
      ok: false;
      /** Shown to the user as the reason the rules answered instead. */
      reason: string;
      model: string;
      promptVersion: string;
      usage?: LlmUsage;
    };

/**
 * Asks the model for a diagnosis on top of the rule-based findings and keeps
 * the answer only if it validates and is grounded. The answer is data: it can
 * add prose and recommendations, never trigger anything.
 */
export class LlmDiagnoser {
  constructor(
    private readonly llm: LlmClient,
    private readonly prompt: PromptTemplate,
  ) {}

  get model() {
    return this.llm.model;
  }

  get promptVersion() {
    return this.prompt.version;
  }

  async diagnose(input: LlmDiagnoserInput): Promise<LlmDiagnoserResult> {
    const ids = input.findings.map((_, i) => `F${i + 1}`);
    const rendered = renderPrompt(this.prompt, {
      entityRef: input.entityRef,
      objects: input.known
        .map(
          o =>
            `- ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${
              o.cluster ? ` (cluster ${o.cluster})` : ''
            }${o.containers?.length ? ` containers: ${o.containers.join(', ')}` : ''}`,
        )
        .join('\n'),
      findings: findingsText(input.findings),
      context: input.context,
    });
    const base = { model: this.llm.model, promptVersion: rendered.version };

    const result = await this.llm.completeJson({
      schemaName: 'kubecopilot_diagnosis',
      schema: llmDiagnosisSchema,
      system: rendered.system,
      user: rendered.user,
      signal: input.signal,
    });
    if (!result.ok) {
      return { ok: false, reason: describeFailure(result.reason, result.message), usage: result.usage, ...base };
    }

    const problems = checkGrounding(result.value, input.known, ids);
    if (problems.length > 0) {
      return {
        ok: false,
        reason: `the model's answer was rejected because it is not grounded in the data it was given: ${problems
          .slice(0, 3)
          .join('; ')}`,
        usage: result.usage,
        ...base,
      };
    }

    const answer = result.value;
    const clusterOf = (ref: { kind: string; namespace?: string; name: string }) =>
      input.known.find(
        o =>
          o.kind.toLowerCase() === ref.kind.toLowerCase() &&
          (o.namespace ?? '') === (ref.namespace ?? '') &&
          o.name === ref.name,
      )?.cluster;

    const confirmed = new Set(answer.confirmedFindings);
    // Rule findings are facts checked against the cluster: all are kept, the
    // ones the model confirmed first.
    const findings: Finding[] = [
      ...input.findings.filter((_, i) => confirmed.has(ids[i])),
      ...input.findings.filter((_, i) => !confirmed.has(ids[i])),
      ...answer.additionalFindings.map(f => ({
        analyzer: 'llm',
        code: f.code,
        severity: f.severity,
        cluster: clusterOf(f.resource) ?? '',
        resource: f.resource,
        container: f.container,
        message: f.message,
        evidence: f.evidence.map(message => ({ type: 'field' as const, message })),
      })),
    ];
    const recommendations: Recommendation[] = answer.recommendations.map(r => {
      const structured = recommendationAction(r.action, r.params);
      const target = r.target
        ? { ...r.target, cluster: clusterOf(r.target) }
        : undefined;
      if (!structured || 'reason' in structured) {
        return {
          title: r.title,
          detail: structured
            ? [r.detail, `(Not offered as a plan: ${structured.reason}.)`]
                .filter(Boolean)
                .join(' ')
            : r.detail,
          target,
        };
      }
      return { title: r.title, detail: r.detail, target, ...structured };
    });
    return {
      ok: true,
      summary: answer.summary,
      rootCause: answer.rootCause,
      findings,
      recommendations,
      usage: result.usage,
      ...base,
    };
  }
}

function describeFailure(reason: string, message: string) {
  if (reason === 'budget-exhausted') return `${message}; the rules answered`;
  const what: Record<string, string> = {
    timeout: 'the model did not answer in time',
    'rate-limited': 'the model endpoint is rate-limiting requests',
    'server-error': 'the model endpoint failed',
    network: 'the model endpoint could not be reached',
    malformed: 'the model answered with malformed JSON',
    'invalid-schema': 'the model answer did not match the diagnosis schema',
    refusal: 'the model refused to answer',
    truncated: 'the model answer was cut off',
    'request-rejected': 'the model endpoint rejected the request',
  };
  return `${what[reason] ?? reason} (${message})`;
}
