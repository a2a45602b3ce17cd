import {
  PermissionRule,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';

/**
 * A ruleset of the given (built-in) rules. The plugin hands the permissions
 * registry's ruleset around instead, which also holds rules other modules
 * added; this is for tests and for wiring without the registry.
 */
export function rulesetOf<TResource, TQuery>(
  rules: Record<string, PermissionRule<TResource, TQuery, string, any>>,
): PermissionRuleset<TResource, TQuery> {
  const byName = new Map(Object.values(rules).map(r => [r.name, r]));
  return {
    getRuleByName(name) {
      const rule = byName.get(name);
      if (!rule) throw new Error(`Unknown permission rule '${name}'`);
      return rule as any;
    },
  };
}
