import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CanaryAnalysisDefaults } from './canaryPlan';

const KEY = 'kubecopilot.canary.analysis';

/**
 * `kubecopilot.canary.analysis.*`: how canary gates sample by default (a
 * request's own `analysis` wins). Unset keys keep the built-in defaults.
 */
export function readCanaryAnalysisConfig(
  config: Config,
): Partial<CanaryAnalysisDefaults> {
  const analysis = config.getOptionalConfig(KEY);
  if (!analysis) return {};
  const out: Partial<CanaryAnalysisDefaults> = {};
  const int = (key: 'delaySeconds' | 'intervalSeconds' | 'samples', min: number) => {
    const value = analysis.getOptionalNumber(key);
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > 3_600) {
      throw new InputError(
        `${KEY}.${key} must be a whole number from ${min} to 3600, got ${value}`,
      );
    }
    out[key] = value;
  };
  int('delaySeconds', 0);
  int('intervalSeconds', 1);
  int('samples', 1);
  const window = analysis.getOptionalString('window');
  if (window !== undefined) {
    if (!/^[1-9][0-9]{0,3}[smh]$/.test(window)) {
      throw new InputError(
        `${KEY}.window must look like 30s, 1m or 1h, got '${window}'`,
      );
    }
    out.window = window;
  }
  return out;
}
