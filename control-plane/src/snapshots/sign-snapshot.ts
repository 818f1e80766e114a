import { canonicalJson, SNAPSHOT_JWS_TYPE, type SnapshotPayload, sha256Hex } from "@only1mcp/data-plane";
import { CompactSign } from "jose";
import type { SigningKey } from "../signing/signing-key.ts";

/** Signs the canonical payload bytes as a compact JWS (EdDSA, with kid). */
export async function signSnapshot(
  payload: SnapshotPayload,
  key: SigningKey,
): Promise<{ jws: string; sha256: string; sizeBytes: number }> {
  const bytes = canonicalJson(payload);
  const jws = await new CompactSign(new TextEncoder().encode(bytes))
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: SNAPSHOT_JWS_TYPE })
    .sign(key.privateKey);
  return { jws, sha256: sha256Hex(bytes), sizeBytes: Buffer.byteLength(jws) };
}
