import { CreateCanaryPlanRequest } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** A canary request read from words, without the entity. */
export type ParsedCanaryIntent = Omit<CreateCanaryPlanRequest, 'entityRef'>;

const HEAD =
  /^\s*(?:canary(?:[\s-]+(?:release|rollout|deploy))?|progressively\s+(?:roll\s*out|deploy))\s+(?:deployment\s+)?([a-z0-9][a-z0-9.-]*)\s+(?:to|with|on)\s+(?:image\s+)?([A-Za-z0-9][A-Za-z0-9._\-/:@]*)/i;
const THRESHOLD = '(?:>=?|≥|above|over|exceeds?|is\\s+(?:above|over)|greater\\s+than|more\\s+than)';
const ERROR_RATE = new RegExp(
  `error(?:s|\\s+rate|\\s+ratio)?\\s*${THRESHOLD}\\s*(\\d+(?:\\.\\d+)?)\\s*%`,
  'i',
);
const P99 = new RegExp(
  `p99(?:\\s+latency)?\\s*${THRESHOLD}\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s)\\b`,
  'i',
);

/**
 * Reads "canary checkout to image v2 at 10%, then 50%, then 100%, rollback
 * if error rate > 1% or p99 > 500 ms" deterministically. Returns undefined
 * when the words are not a canary request; the shares and thresholds are
 * validated by the request schema afterwards.
 */
export function parseCanaryIntent(
  intent: string,
): ParsedCanaryIntent | undefined {
  const head = HEAD.exec(intent);
  if (!head) return undefined;
  const [, name, image] = head;
  const rest = intent.slice(head[0].length);
  // Shares come before the rollback conditions: "at 10%, then 50% …".
  const conditionsAt = rest.search(/\b(?:roll\s*back|abort|if|unless|when)\b/i);
  const sharesText = conditionsAt === -1 ? rest : rest.slice(0, conditionsAt);
  const conditions = conditionsAt === -1 ? '' : rest.slice(conditionsAt);
  const steps = [...sharesText.matchAll(/(\d{1,3})\s*%/g)].map(m => Number(m[1]));
  const errorRate = ERROR_RATE.exec(conditions);
  const p99 = P99.exec(conditions);
  let maxP99LatencyMs: number | undefined;
  if (p99) {
    maxP99LatencyMs = Number(p99[1]) * (p99[2].toLowerCase() === 's' ? 1000 : 1);
  }
  return {
    target: { name: name.toLowerCase() },
    image: image.replace(/[.,;]+$/, ''),
    steps: steps.length > 0 ? steps : [10, 50, 100],
    ...(errorRate ? { maxErrorRate: Number(errorRate[1]) / 100 } : {}),
    ...(maxP99LatencyMs !== undefined ? { maxP99LatencyMs } : {}),
    confirmPromotion: /\bconfirm|\bapprov|\bmanual(?:ly)?\s+promot/i.test(rest),
  };
}

/** A canary request in words, for "Understood: …". */
export function describeCanaryIntent(canary: ParsedCanaryIntent): string {
  const conditions = [
    canary.maxErrorRate !== undefined
      ? `error rate > ${+(canary.maxErrorRate * 100).toFixed(3)}%`
      : undefined,
    canary.maxP99LatencyMs !== undefined
      ? `p99 > ${canary.maxP99LatencyMs} ms`
      : undefined,
  ].filter(Boolean);
  return `canary of Deployment ${canary.target.name} to ${canary.image} at ${canary.steps
    .map(w => `${w}%`)
    .join(' → ')}${
    conditions.length
      ? `, rolling back if ${conditions.join(' or ')}`
      : ', with no metric gate'
  }${canary.confirmPromotion ? ', confirming before promotion' : ''}`;
}
