import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { RiskLevel } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { DEFAULT_MAX_REPLICAS } from '../changes/params';
import { ActionWhitelist } from '../changes/whitelist';

const LEVELS: RiskLevel[] = ['low', 'medium', 'high'];

/** `kubecopilot.risk.*`, `kubecopilot.approval.*` and `kubecopilot.actions.*`. */
export function readPlanConfig(config: Config) {
  const secondApproverFor = (config.getOptionalStringArray(
    'kubecopilot.approval.secondApproverFor',
  ) ?? ['high']) as RiskLevel[];
  for (const level of secondApproverFor) {
    if (!LEVELS.includes(level)) {
      throw new InputError(
        `kubecopilot.approval.secondApproverFor: '${level}' is not one of ${LEVELS.join(
          ', ',
        )}`,
      );
    }
  }
  const expireAfterHours =
    config.getOptionalNumber('kubecopilot.plans.expireAfterHours') ?? 72;
  if (!(expireAfterHours > 0)) {
    throw new InputError(
      'kubecopilot.plans.expireAfterHours must be a positive number',
    );
  }
  const maxReplicas =
    config.getOptionalNumber('kubecopilot.plans.maxReplicas') ??
    DEFAULT_MAX_REPLICAS;
  if (!Number.isInteger(maxReplicas) || maxReplicas < 1 || maxReplicas > 100_000) {
    throw new InputError(
      'kubecopilot.plans.maxReplicas must be a whole number from 1 to 100000',
    );
  }
  return {
    expireAfterMs: expireAfterHours * 3_600_000,
    maxReplicas,
    productionNamespaces:
      config.getOptionalStringArray('kubecopilot.risk.productionNamespaces') ??
      [],
    secondApproverFor,
    whitelist: ActionWhitelist.fromConfig(
      config.getOptionalStringArray('kubecopilot.actions.allow'),
    ),
  };
}
