// What other packages may import from the data plane: the snapshot contract.

export { API_KEY_PREFIX, formatApiKey, parseApiKey } from "./keys/api-key-format.ts";
export { canonicalJson, sha256Hex } from "./snapshots/canonical.ts";
export * from "./snapshots/schema.ts";
export { TrustedKeys, type VerifiedSnapshot, type VerifyResult, verifySnapshot } from "./snapshots/verify.ts";
