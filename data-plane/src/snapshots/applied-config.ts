import { KeyIndex } from "../keys/key-index.ts";
import { PolicyEngine } from "../policy/compile-policies.ts";
import type { SnapshotPayload } from "./schema.ts";

/**
 * The internal representation every configuration source loads into: a pushed,
 * verified snapshot and a local YAML file give the same shape.
 */
export type AppliedConfig = {
  source: "snapshot" | "file";
  version: number;
  /** sha256 (hex) of the canonical payload. */
  hash: string;
  appliedAt: Date;
  payload: SnapshotPayload;
  keyIndex: KeyIndex;
  /** Every tenant's policies, compiled once for this configuration. */
  policies: PolicyEngine;
};

export function toAppliedConfig(
  source: AppliedConfig["source"],
  payload: SnapshotPayload,
  hash: string,
  appliedAt = new Date(),
): AppliedConfig {
  return {
    source,
    version: payload.version,
    hash,
    appliedAt,
    payload,
    keyIndex: KeyIndex.fromPayload(payload),
    policies: PolicyEngine.fromPayload(payload),
  };
}
