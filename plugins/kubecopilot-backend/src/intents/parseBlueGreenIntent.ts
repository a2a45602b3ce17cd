import { CreateBlueGreenPlanRequest } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** A blue-green request read from words, without the entity. */
export type ParsedBlueGreenIntent = Omit<
  CreateBlueGreenPlanRequest,
  'entityRef' | 'confirmSwitch' | 'bakeSeconds'
> &
  Partial<Pick<CreateBlueGreenPlanRequest, 'confirmSwitch' | 'bakeSeconds'>>;

const HEAD =
  /^\s*blue[\s-]*green(?:[\s-]+(?:release|rollout|deploy(?:ment)?|switch))?\s+(?:deployment\s+)?([a-z0-9][a-z0-9.-]*)\s+(?:to|with|on)\s+(?:image\s+)?([A-Za-z0-9][A-Za-z0-9._\-/:@]*)/i;
const BOUND =
  '(?:<=?|>=?|≤|≥|below|under|above|over|exceeds?|is\\s+(?:below|under|above|over)|less\\s+than|greater\\s+than|more\\s+than)';
const ERROR_RATE = new RegExp(
  `error(?:s|\\s+rate|\\s+ratio)?\\s*${BOUND}\\s*(\\d+(?:\\.\\d+)?)\\s*%`,
  'i',
);
const P99 = new RegExp(
  `p99(?:\\s+latency)?\\s*${BOUND}\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s)\\b`,
  'i',
);
const DURATION = '(\\d{1,4})\\s*(s|sec|seconds?|m|min|minutes?|h|hours?)\\b';
/** "… < 1% for 5m": how long green must hold before the switch. */
const HOLD = new RegExp(`%\\s*(?:for|over)\\s+${DURATION}`, 'i');
/** "bake 10m", "keep blue for 10 minutes". */
const BAKE = new RegExp(
  `(?:bake(?:\\s+time)?(?:\\s+(?:of|for))?|keep\\s+blue\\s+(?:for\\s+)?)\\s*${DURATION}`,
  'i',
);

function seconds(value: string, unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('h')) return Number(value) * 3600;
  if (u.startsWith('m')) return Number(value) * 60;
  return Number(value);
}

/** Gate sampling that spans `total` seconds: every 30 s (or faster when short). */
function holdFor(total: number) {
  const intervalSeconds = Math.min(30, Math.max(1, Math.floor(total / 3)));
  return {
    intervalSeconds,
    samples: Math.min(100, Math.max(1, Math.ceil(total / intervalSeconds))),
  };
}

/**
 * Reads "blue-green checkout to image 2.4.0, switch after error rate < 1%
 * for 5m" deterministically. Undefined when the words are not a blue-green
 * request; the values are validated by the request schema afterwards.
 */
export function parseBlueGreenIntent(
  intent: string,
): ParsedBlueGreenIntent | undefined {
  const head = HEAD.exec(intent);
  if (!head) return undefined;
  const [, name, image] = head;
  const rest = intent.slice(head[0].length);
  const errorRate = ERROR_RATE.exec(rest);
  const p99 = P99.exec(rest);
  const hold = HOLD.exec(rest);
  const bake = BAKE.exec(rest);
  return {
    target: { name: name.toLowerCase() },
    image: image.replace(/[.,;]+$/, ''),
    ...(errorRate ? { maxErrorRate: Number(errorRate[1]) / 100 } : {}),
    ...(p99
      ? {
          maxP99LatencyMs:
            Number(p99[1]) * (p99[2].toLowerCase() === 's' ? 1000 : 1),
        }
      : {}),
    ...(hold ? { analysis: holdFor(seconds(hold[1], hold[2])) } : {}),
    ...(bake ? { bakeSeconds: seconds(bake[1], bake[2]) } : {}),
    ...(/\bconfirm|\bapprov|\bmanual(?:ly)?\s+switch/i.test(rest)
      ? { confirmSwitch: true }
      : {}),
  };
}

/** A blue-green request in words, for "Understood: …". */
export function describeBlueGreenIntent(bg: ParsedBlueGreenIntent): string {
  const conditions = [
    bg.maxErrorRate !== undefined
      ? `error rate ≤ ${+(bg.maxErrorRate * 100).toFixed(3)}%`
      : undefined,
    bg.maxP99LatencyMs !== undefined
      ? `p99 ≤ ${bg.maxP99LatencyMs} ms`
      : undefined,
  ].filter(Boolean);
  return `blue-green of Deployment ${bg.target.name} to ${
    bg.image
  }: green runs beside it, then the Service switches all traffic at once${
    conditions.length
      ? ` after green holds ${conditions.join(' and ')}`
      : ' (no metric gate)'
  }${bg.confirmSwitch ? ', confirming before the switch' : ''}`;
}
