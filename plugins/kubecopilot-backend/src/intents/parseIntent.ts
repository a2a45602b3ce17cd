/**
 * A deterministic parser for the common write intents, so "restart checkout"
 * or "scale checkout to 5" never need a model. It only extracts what was said;
 * resolving the target against the entity's workloads is `resolveTarget`.
 */

export type IntentKindHint = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';

export type ParsedIntent =
  | {
      type: 'restart';
      target: { name: string; kind?: IntentKindHint };
      namespace?: string;
      cluster?: string;
    }
  | {
      type: 'scale';
      target: { name: string; kind?: IntentKindHint };
      /** Absolute replica count, or a signed change for "up/down by N". */
      replicas?: number;
      delta?: number;
      namespace?: string;
      cluster?: string;
    }
  | {
      type: 'rollback';
      target: { name: string; kind?: IntentKindHint };
      /** The revision to restore; absent = the previous one. */
      toRevision?: number;
      /** Or the newest revision that ran this image (a tag or reference). */
      toImage?: string;
      namespace?: string;
      cluster?: string;
    }
  | {
      type: 'delete';
      target: { name: string; kind: 'Pod' };
      namespace?: string;
      cluster?: string;
    };

const KINDS: Record<string, IntentKindHint> = {
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  'deployment.apps': 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
};

// A Kubernetes object name (DNS-1123 subdomain, as used for workloads).
const NAME = '[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?';
const KIND = `(?:${Object.keys(KINDS)
  .sort((a, b) => b.length - a.length)
  .map(k => k.replace('.', '\\.'))
  .join('|')})`;
// "deployment checkout", "deployment/checkout", "the checkout deployment", "checkout"
const TARGET = `(?:the\\s+)?(?:(?<kind1>${KIND})(?:\\s+|/))?(?<name>${NAME})(?:\\s+(?<kind2>${KIND}))?`;
const NUMBER = '(?<n>\\d{1,5})';

// "to revision 2", "--to-revision=2", "to 2", or "to 2.2.0" / "to version 2.2.0" (an image tag).
const TO_REVISION = `(?:\\s+(?:to\\s+(?:(?:revision|rev)\\s+)?|--to-revision[= ])${NUMBER}|\\s+to\\s+(?:(?:version|image|tag|release)\\s+)?(?<image>[a-z0-9_][a-z0-9._\\-/:@]{0,511}))?`;

const PATTERNS: Array<{ type: ParsedIntent['type']; re: RegExp }> = [
  { type: 'restart', re: new RegExp(`^(?:kubectl\\s+)?(?:rollout\\s+restart|restart|redeploy|bounce)\\s+${TARGET}$`) },
  { type: 'scale', re: new RegExp(`^(?:kubectl\\s+)?scale\\s+${TARGET}\\s+(?:to\\s+|--replicas[= ])${NUMBER}(?:\\s+(?:replicas?|pods?|instances?))?$`) },
  { type: 'scale', re: new RegExp(`^(?:set\\s+)?(?:the\\s+)?replicas\\s+(?:of|for)\\s+${TARGET}\\s+to\\s+${NUMBER}$`) },
  { type: 'scale', re: new RegExp(`^scale\\s+${TARGET}\\s+(?<dir>up|down)\\s+by\\s+${NUMBER}(?:\\s+(?:replicas?|pods?|instances?))?$`) },
  { type: 'scale', re: new RegExp(`^scale\\s+(?<dir>up|down)\\s+${TARGET}\\s+by\\s+${NUMBER}(?:\\s+(?:replicas?|pods?|instances?))?$`) },
  { type: 'rollback', re: new RegExp(`^(?:kubectl\\s+)?(?:roll\\s*back|rollout\\s+undo|undo)\\s+${TARGET}${TO_REVISION}$`) },
  { type: 'rollback', re: new RegExp(`^undo\\s+(?:the\\s+)?(?:last|latest)\\s+(?:rollout|deploy(?:ment)?|release)\\s+(?:of|for)\\s+${TARGET}$`) },
  { type: 'delete', re: new RegExp(`^(?:kubectl\\s+)?(?:delete|kill|remove)\\s+(?:the\\s+)?(?:pod|po|pods)(?:\\s+|/)(?<name>${NAME})$`) },
];

// "-n shop", "--namespace=shop", "in namespace shop", "in cluster east", "on east"
const SCOPE = new RegExp(
  `\\s+(?:(?:-n|--namespace)(?:\\s+|=)(?<ns1>${NAME})|in\\s+(?:the\\s+)?namespace\\s+(?<ns2>${NAME})|(?:--cluster|--context)(?:\\s+|=)(?<c1>${NAME})|(?:in|on)\\s+(?:the\\s+)?cluster\\s+(?<c2>${NAME})|on\\s+(?<c3>${NAME})\\s+cluster)`,
  'g',
);

/** Parses an intent, or returns undefined when it is not a known form. */
export function parseIntent(input: string): ParsedIntent | undefined {
  let text = input
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!?]+$/, '')
    .replace(/^(?:please\s+)?(?:can you\s+|could you\s+)?(?:please\s+)?/, '')
    .replace(/\s+please$/, '');

  let namespace: string | undefined;
  let cluster: string | undefined;
  text = text.replace(SCOPE, (...args) => {
    const groups = args[args.length - 1] as Record<string, string | undefined>;
    namespace = groups.ns1 ?? groups.ns2 ?? namespace;
    cluster = groups.c1 ?? groups.c2 ?? groups.c3 ?? cluster;
    return '';
  });
  text = text.trim();

  for (const { type, re } of PATTERNS) {
    const match = re.exec(text);
    if (!match?.groups) continue;
    const g = match.groups;
    const kindWord = g.kind1 ?? g.kind2;
    const kind = kindWord ? KINDS[kindWord] : undefined;
    const scope = {
      ...(namespace ? { namespace } : {}),
      ...(cluster ? { cluster } : {}),
    };
    if (type === 'delete') {
      return { type, target: { name: g.name, kind: 'Pod' }, ...scope };
    }
    const target = { name: g.name, ...(kind ? { kind } : {}) };
    if (type === 'restart') {
      if (kind === 'Pod') return undefined;
      return { type, target, ...scope };
    }
    if (kind === 'Pod' || kind === 'DaemonSet') return undefined;
    const n = Number(g.n);
    if (type === 'rollback') {
      if (g.image !== undefined) {
        return { type, target, toImage: g.image, ...scope };
      }
      if (g.n === undefined) return { type, target, ...scope };
      if (n === 0) return undefined;
      return { type, target, toRevision: n, ...scope };
    }
    if (g.dir) {
      if (n === 0) return undefined;
      return { type, target, delta: g.dir === 'up' ? n : -n, ...scope };
    }
    return { type, target, replicas: n, ...scope };
  }
  return undefined;
}

/**
 * The plan parameters an intent carries: `{ replicas }` or `{ delta }` for
 * scale, `{ toRevision }` for a rollback to a named revision.
 */
export function intentParams(
  intent: ParsedIntent,
): Record<string, number | string> {
  if (intent.type === 'rollback') {
    if (intent.toImage !== undefined) return { toImage: intent.toImage };
    return intent.toRevision !== undefined ? { toRevision: intent.toRevision } : {};
  }
  if (intent.type !== 'scale') return {};
  if (intent.replicas !== undefined) return { replicas: intent.replicas };
  return { delta: intent.delta ?? 0 };
}

/** "scale Deployment checkout to 4 replicas", for showing what was understood. */
export function describeIntent(intent: ParsedIntent): string {
  const what = `${intent.type} ${intent.target.kind ?? 'workload'} ${intent.target.name}`;
  if (intent.type === 'rollback') {
    if (intent.toImage !== undefined) {
      return `${what} to the revision that ran ${intent.toImage}`;
    }
    return `${what} to ${
      intent.toRevision !== undefined
        ? `revision ${intent.toRevision}`
        : 'the previous revision'
    }`;
  }
  if (intent.type !== 'scale') return what;
  if (intent.replicas !== undefined) return `${what} to ${intent.replicas} replicas`;
  const delta = intent.delta ?? 0;
  return `${what} ${delta > 0 ? 'up' : 'down'} by ${Math.abs(delta)}`;
}
