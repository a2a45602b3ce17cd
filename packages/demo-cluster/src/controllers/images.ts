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
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class ImageBehaviors {
  private readonly rules: { rule: ImageBehaviorRule; patterns: RegExp[] }[] = [];

  add(rule: ImageBehaviorRule) {
    this.rules.push({ rule, patterns: rule.images.map(globToRegExp) });
  }

  /** The first rule (in load order) whose pattern matches; undefined = default (Running). */
  match(image: string | undefined): ImageBehaviorRule | undefined {
    const img = String(image ?? '');
    return this.rules.find(r => r.patterns.some(p => p.test(img)))?.rule;
  }

  behaviorOf(image: string | undefined): Behavior {
    return this.match(image)?.behavior ?? 'Running';
  }

  list(): ImageBehaviorRule[] {
    return this.rules.map(r => r.rule);
  }
}
