// What other packages may import from the data plane: the snapshot contract.

export {
  type AuditBatchV1,
  type AuditEventV1,
  auditBatchV1Schema,
  auditEventV1Schema,
} from "./audit/audit-event-schema.ts";
export { API_KEY_PREFIX, formatApiKey, parseApiKey } from "./keys/api-key-format.ts";
export { type PolicyDocument, policyDocumentSchema } from "./policy/policy-schema.ts";
export { canonicalJson, sha256Hex } from "./snapshots/canonical.ts";
export * from "./snapshots/schema.ts";
export { TrustedKeys, type VerifiedSnapshot, type VerifyResult, verifySnapshot } from "./snapshots/verify.ts";
