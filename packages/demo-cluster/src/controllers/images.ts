/**
 * Image behaviour rules: how containers of pods created after start behave, decided by their
 * image. Declared in scenarios as `kubecopilot.dev/v1alpha1 ImageBehavior` documents; any image
 * no rule matches comes up Running and Ready.
 */

export const BEHAVIORS = [
  'Running',
  'NotReady',
  'CrashLoopBackOff',
  'OOMKilled',
  'ImagePullBackOff',
  'Completed',
] as const;
export type Behavior = (typeof BEHAVIORS)[number];

export interface ImageBehaviorRule {
  /** Rule name (metadata.name of the document). */
  name: string;
  /** Image patterns: exact, or glob with `*` matching any characters. */
  images: string[];
  behavior: Behavior;
  /** Exit code of a crashing container (CrashLoopBackOff default 1, OOMKilled 137, Completed 0). */
  exitCode?: number;
  /**
   * Detail message: the pull error (ImagePullBackOff), the probe failure (NotReady), or the
   * termination message (CrashLoopBackOff).
   */
  message?: string;
  /** Log lines of the current container. */
  logs?: string[];
  /** Log lines of the previous (crashed) container instance. */
  previousLogs?: string[];
  /** Simulated HTTP traffic of Running and Ready pods, served by the metrics exporter. */
  traffic?: TrafficProfile;
  /**
   * The rule applies only while one of these environment variables is not set on the
   * container (no `env` entry with a non-empty `value` or a `valueFrom`): a release that
   * exits without its configuration runs once it is given.
   */
  whenEnvMissing?: string[];
}

/** What of a container decides its behaviour besides the image. */
export interface ContainerEnv {
  env?: Array<{ name?: string; value?: string; valueFrom?: unknown }>;
}

function envMissing(
  rule: ImageBehaviorRule,
  container: ContainerEnv | undefined,
): boolean {
  if (!rule.whenEnvMissing?.length) return true;
  const set = new Set(
    (container?.env ?? [])
      .filter(e => (e.value ?? '') !== '' || e.valueFrom)
      .map(e => e.name),
  );
  return rule.whenEnvMissing.some(name => !set.has(name));
}

/**
 * The HTTP traffic a Running and Ready pod of an image serves, as the metrics exporter
 * reports it (`http_requests_total`, `http_request_duration_seconds`). Every field is optional;
 * see {@link DEFAULT_TRAFFIC}.
 */
export interface TrafficProfile {
  /** Requests per second. */
  rps?: number;
  /** Fraction of requests answered 500, between 0 and 1. */
  errorRate?: number;
  /** Median latency in milliseconds. */
  p50Ms?: number;
  /** 99th percentile latency in milliseconds (at least p50Ms). */
  p99Ms?: number;
}

/** The traffic of a pod whose image has no `traffic` profile. */
export const DEFAULT_TRAFFIC: Required<TrafficProfile> = Object.freeze({
  rps: 20,
  errorRate: 0.002,
  p50Ms: 40,
  p99Ms: 150,
});

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class ImageBehaviors {
  private readonly rules: { rule: ImageBehaviorRule; patterns: RegExp[] }[] =
    [];

  add(rule: ImageBehaviorRule) {
    this.rules.push({ rule, patterns: rule.images.map(globToRegExp) });
  }

  /**
   * The first rule (in load order) whose pattern matches and whose environment condition
   * holds for `container` (when given); undefined = default (Running).
   */
  match(
    image: string | undefined,
    container?: ContainerEnv,
  ): ImageBehaviorRule | undefined {
    const img = String(image ?? '');
    return this.rules.find(
      r => r.patterns.some(p => p.test(img)) && envMissing(r.rule, container),
    )?.rule;
  }

  behaviorOf(image: string | undefined, container?: ContainerEnv): Behavior {
    return this.match(image, container)?.behavior ?? 'Running';
  }

  list(): ImageBehaviorRule[] {
    return this.rules.map(r => r.rule);
  }
}

/**
 * Checks an ImageBehavior `spec.traffic` document; `fail` is called with the reason (naming
 * the field) when it is malformed.
 */
export function parseTrafficProfile(
  value: unknown,
  fail: (reason: string) => never,
): TrafficProfile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(
      'ImageBehavior spec.traffic must be a mapping of rps, errorRate, p50Ms, p99Ms',
    );
  }
  const doc = value as Record<string, unknown>;
  const known = ['rps', 'errorRate', 'p50Ms', 'p99Ms'];
  const unknown = Object.keys(doc).filter(k => !known.includes(k));
  if (unknown.length) {
    fail(
      `ImageBehavior spec.traffic has unknown field ${JSON.stringify(
        unknown[0],
      )} (expected ${known.join(', ')})`,
    );
  }
  const profile: TrafficProfile = {};
  for (const key of known as (keyof TrafficProfile)[]) {
    const v = doc[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      fail(
        `ImageBehavior spec.traffic.${key} must be a non-negative number, got ${JSON.stringify(
          v,
        )}`,
      );
    }
    profile[key] = v as number;
  }
  if (profile.errorRate !== undefined && profile.errorRate > 1) {
    fail(
      `ImageBehavior spec.traffic.errorRate is a fraction between 0 and 1, got ${profile.errorRate}`,
    );
  }
  for (const key of ['p50Ms', 'p99Ms'] as const) {
    if (profile[key] === 0)
      fail(`ImageBehavior spec.traffic.${key} must be greater than 0`);
  }
  const p50 = profile.p50Ms ?? DEFAULT_TRAFFIC.p50Ms;
  const p99 = profile.p99Ms ?? DEFAULT_TRAFFIC.p99Ms;
  if (p99 < p50) {
    fail(
      `ImageBehavior spec.traffic.p99Ms (${p99}) must be at least p50Ms (${p50})`,
    );
  }
  return profile;
}

/** The traffic of a pod running `image`: the matching rule's profile over the defaults. */
export function trafficOf(
  behaviors: ImageBehaviors,
  image: string | undefined,
  container?: ContainerEnv,
): Required<TrafficProfile> {
  return { ...DEFAULT_TRAFFIC, ...behaviors.match(image, container)?.traffic };
}
