import type { KubeObject } from '../../kubernetes/types';
import { CheckContext, ManifestCheck, ManifestRule } from '../types';
import { availabilityRule } from './availability';
import { envSecretsRule } from './env';
import { imagesRule } from './images';
import { observedUseRule } from './observed';
import { probesRule } from './probes';
import { resourcesRule } from './resources';
import { securityRule } from './security';

/** Every rule, in the order a reviewer reads them. */
export const MANIFEST_RULES: ManifestRule[] = [
  envSecretsRule,
  resourcesRule,
  observedUseRule,
  probesRule,
  imagesRule,
  availabilityRule,
  securityRule,
];

const ORDER = { error: 0, warning: 1, info: 2 };

/**
 * Runs every rule over a manifest: the worst first, then in the order of
 * the rules. A rule that throws on an odd manifest is reported in `errors`
 * and the others still run.
 */
export function runChecks(
  object: KubeObject,
  context: CheckContext,
  rules: ManifestRule[] = MANIFEST_RULES,
): { checks: ManifestCheck[]; errors: string[] } {
  const errors: string[] = [];
  const checks = rules.flatMap(rule => {
    try {
      return rule(object, context);
    } catch (error) {
      errors.push(
        `the ${rule.name || 'unnamed'} check could not read this manifest: ${
          (error as Error).message
        }`,
      );
      return [];
    }
  });
  return {
    checks: checks
      .map((check, i) => ({ check, i }))
      .sort(
        (a, b) =>
          ORDER[a.check.severity] - ORDER[b.check.severity] || a.i - b.i,
      )
      .map(({ check }) => check),
    errors,
  };
}
