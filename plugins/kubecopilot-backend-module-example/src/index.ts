/**
 * An example KubeCopilot backend module: an analyzer for TLS certificates
 * about to expire (from Secret metadata, never data) and a change-freeze
 * risk rule.
 *
 * @packageDocumentation
 */

export { kubecopilotModuleExample as default } from './module';
export {
  createCertificateAnalyzer,
  createTlsSecretsProvider,
} from './certificates';
export { createChangeFreezeRule } from './changeFreeze';
export type { ChangeFreeze } from './changeFreeze';
