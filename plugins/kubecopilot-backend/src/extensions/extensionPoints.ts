import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  KubecopilotAnalyzersExtensionPoint,
  KubecopilotContextProvidersExtensionPoint,
  KubecopilotRiskRulesExtensionPoint,
} from './types';

/**
 * Lets a backend module add analyzers to every diagnosis.
 *
 * @public
 */
export const kubecopilotAnalyzersExtensionPoint =
  createExtensionPoint<KubecopilotAnalyzersExtensionPoint>({
    id: 'kubecopilot.analyzers',
  });

/**
 * Lets a backend module add risk rules to every plan. A module's rule can
 * raise a plan's level, never lower it.
 *
 * @public
 */
export const kubecopilotRiskRulesExtensionPoint =
  createExtensionPoint<KubecopilotRiskRulesExtensionPoint>({
    id: 'kubecopilot.risk-rules',
  });

/**
 * Lets a backend module add bounded, redacted context to diagnoses.
 *
 * @public
 */
export const kubecopilotContextProvidersExtensionPoint =
  createExtensionPoint<KubecopilotContextProvidersExtensionPoint>({
    id: 'kubecopilot.context-providers',
  });
