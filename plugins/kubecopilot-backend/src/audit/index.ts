export { DatabaseAuditStore } from './DatabaseAuditStore';
export { ChainVerifier, chainHash, verifyChain } from './chain';
export { canonicalJson, objectHash, GENESIS_HASH } from './canonical';
export type {
  AuditEntry,
  AuditEntryInput,
  AuditStore,
  AuditVerification,
} from './types';
