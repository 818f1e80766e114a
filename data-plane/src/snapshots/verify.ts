import { compactVerify, importJWK, type JWK } from "jose";
import { canonicalJson, sha256Hex } from "./canonical.ts";
import { SNAPSHOT_JWS_TYPE, type SnapshotPayload, snapshotPayloadSchema } from "./schema.ts";

export type VerifiedSnapshot = {
  payload: SnapshotPayload;
  /** sha256 of the canonical payload bytes. */
  sha256: string;
  kid: string;
  jws: string;
};

export type SnapshotRejection =
  | { code: "MALFORMED"; message: string }
  | { code: "UNKNOWN_KEY"; message: string }
  | { code: "BAD_SIGNATURE"; message: string }
  | { code: "INVALID_PAYLOAD"; message: string }
  | { code: "EXPIRED"; message: string };

export type VerifyResult = { ok: true; snapshot: VerifiedSnapshot } | { ok: false; error: SnapshotRejection };

type KeyObjectLike = Awaited<ReturnType<typeof importJWK>>;

/**
 * Trusted control-plane signing keys by kid; old and new are both listed during a
 * rotation. The configured keys (trusted-keys file) hold until a verified snapshot
 * announces its own set (`trustedKeys`), which then replaces them.
 */
export class TrustedKeys {
  private byKid: Map<string, KeyObjectLike>;
  /** The public JWKs in force, so a worker thread can verify with the same keys. */
  private jwkList: readonly JWK[];
  private announcedKids: string[] | undefined;

  private constructor(byKid: Map<string, KeyObjectLike>, jwks: readonly JWK[]) {
    this.byKid = byKid;
    this.jwkList = jwks;
  }

  get jwks(): readonly JWK[] {
    return this.jwkList;
  }

  /** The set a verified snapshot announced; true when it differs from the one in force. */
  async replaceWithAnnounced(keys: readonly JWK[]): Promise<boolean> {
    const kids = keys.map((jwk) => jwk.kid ?? "").sort();
    if (this.announcedKids && kids.join("\u0000") === this.announcedKids.join("\u0000")) return false;
    const next = await TrustedKeys.fromJwks(keys);
    this.byKid = next.byKid;
    this.jwkList = next.jwkList;
    this.announcedKids = kids;
    return true;
  }

  /** Boot: keys a snapshot announced before the restart, next to the configured ones. */
  async add(keys: readonly JWK[]): Promise<void> {
    const more = await TrustedKeys.fromJwks(keys);
    for (const [kid, key] of more.byKid) this.byKid.set(kid, key);
    this.jwkList = [...this.jwkList.filter((jwk) => !more.byKid.has(jwk.kid ?? "")), ...more.jwkList];
  }

  kids(): string[] {
    return [...this.byKid.keys()].sort();
  }

  static async fromJwks(keys: readonly JWK[]): Promise<TrustedKeys> {
    const byKid = new Map<string, KeyObjectLike>();
    for (const jwk of keys) {
      if (!jwk.kid) throw new Error("a trusted snapshot key has no kid");
      if (jwk.d) throw new Error(`trusted key ${jwk.kid} is a private key; give the public key only`);
      byKid.set(jwk.kid, await importJWK(jwk, "EdDSA"));
    }
    return new TrustedKeys(
      byKid,
      keys.map((jwk) => ({ ...jwk })),
    );
  }

  get(kid: string): KeyObjectLike | undefined {
    return this.byKid.get(kid);
  }

  get size(): number {
    return this.byKid.size;
  }
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Verifies a compact JWS snapshot: signature by a trusted kid, schema, expiry. */
export async function verifySnapshot(jws: string, trusted: TrustedKeys, now = new Date()): Promise<VerifyResult> {
  const compact = jws.trim();
  if (!COMPACT_JWS.test(compact)) return reject("MALFORMED", "body is not a compact JWS");
  let kid = "";
  let payloadBytes: Uint8Array;
  try {
    const result = await compactVerify(compact, (header) => {
      if (header.alg !== "EdDSA") throw new Error(`alg ${String(header.alg)} is not accepted`);
      if (header.typ !== SNAPSHOT_JWS_TYPE) throw new Error("JWS typ is not a snapshot");
      kid = header.kid ?? "";
      const key = trusted.get(kid);
      if (!key) throw new UnknownKidError(kid);
      return key;
    });
    payloadBytes = result.payload;
  } catch (error) {
    if (error instanceof UnknownKidError)
      return reject("UNKNOWN_KEY", `snapshot signed by untrusted key '${error.kid}'`);
    return reject("BAD_SIGNATURE", `signature check failed: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payloadBytes));
  } catch {
    return reject("INVALID_PAYLOAD", "payload is not JSON");
  }
  const parsed = snapshotPayloadSchema.safeParse(json);
  if (!parsed.success) return reject("INVALID_PAYLOAD", parsed.error.issues.map(formatIssue).join("; "));
  const payload = parsed.data;
  if (payload.trustedKeys && !payload.trustedKeys.some((key) => key.kid === kid))
    return reject("INVALID_PAYLOAD", `snapshot announces signing keys without its own key '${kid}'`);
  if (payload.expiresAt && Date.parse(payload.expiresAt) <= now.getTime()) {
    return reject("EXPIRED", `snapshot v${payload.version} expired at ${payload.expiresAt}`);
  }
  return { ok: true, snapshot: { payload, sha256: sha256Hex(canonicalJson(json)), kid, jws: compact } };
}

class UnknownKidError extends Error {
  constructor(readonly kid: string) {
    super(`unknown kid ${kid}`);
  }
}

function reject(code: SnapshotRejection["code"], message: string): VerifyResult {
  return { ok: false, error: { code, message } };
}

function formatIssue(issue: { path: PropertyKey[]; message: string }): string {
  return `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`;
}
