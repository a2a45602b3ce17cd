import type { Config } from '@backstage/config';
import { DEFAULT_EXPIRY_ANNOTATIONS } from './certificates';
import type { ChangeFreeze } from './changeFreeze';

export interface ExampleModuleConfig {
  warnDays: number;
  expiryAnnotations: string[];
  freezes: ChangeFreeze[];
}

function time(value: string, key: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new Error(`${key} must be an ISO 8601 time, got '${value}'`);
  }
  return date;
}

/** `kubecopilotExample.*`; a bad freeze window fails startup, not a plan. */
export function readExampleConfig(config: Config): ExampleModuleConfig {
  const root = config.getOptionalConfig('kubecopilotExample');
  const freezes = (root?.getOptionalConfigArray('changeFreezes') ?? []).map(
    (c, i) => {
      const key = `kubecopilotExample.changeFreezes[${i}]`;
      const freeze = {
        name: c.getString('name'),
        start: time(c.getString('start'), `${key}.start`),
        end: time(c.getString('end'), `${key}.end`),
      };
      if (freeze.end <= freeze.start) {
        throw new Error(`${key}.end must be after its start`);
      }
      return freeze;
    },
  );
  return {
    warnDays: root?.getOptionalNumber('certificates.warnDays') ?? 14,
    expiryAnnotations:
      root?.getOptionalStringArray('certificates.expiryAnnotations') ??
      DEFAULT_EXPIRY_ANNOTATIONS,
    freezes,
  };
}
