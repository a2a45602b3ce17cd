export { DatabaseAuditStore } from './DatabaseAuditStore';
export {
  createAuditStore,
  readAuditCheckpointConfig,
} from './createAuditStore';
export { CheckpointKeyring, CheckpointSigner } from './checkpoint';
export type { AuditCheckpoint } from './checkpoint';
export { verifyAuditDatabase } from './verifyAudit';
export { ChainVerifier, chainHash, verifyChain } from './chain';
export { canonicalJson, objectHash, GENESIS_HASH } from './canonical';
export type {
  AuditEntry,
  AuditEntryInput,
  AuditStore,
  AuditVerification,
  CheckpointVerification,
} from './types';
