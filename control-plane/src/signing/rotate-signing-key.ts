import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { JWK } from "jose";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Db } from "../db/open-database.ts";
import type { SigningKey } from "./signing-key.ts";
import {
  activateNextSigningKey,
  NEXT_SIGNING_KEY_FILE,
  RETIRED_KEYS_FILE,
  stageNextSigningKey,
  trustedPublicKeys,
} from "./signing-keyring.ts";

export type SigningKeysView = {
  active: string;
  next: string | null;
  /** Retired keys, trusted until the overlap ends (a publish after that stops announcing them). */
  retired: { kid: string; trustedUntil: string; trusted: boolean }[];
  /** What the next snapshot announces to the data planes. */
  announced: string[];
};

/** The state of the rotation, for the API. */
export async function listSigningKeys(dataDir: string, active: SigningKey, now = new Date()): Promise<SigningKeysView> {
  const nextFile = path.join(dataDir, NEXT_SIGNING_KEY_FILE);
  const retiredFile = path.join(dataDir, RETIRED_KEYS_FILE);
  const next = existsSync(nextFile) ? ((JSON.parse(readFileSync(nextFile, "utf8")) as JWK).kid ?? null) : null;
  const retired = existsSync(retiredFile)
    ? (JSON.parse(readFileSync(retiredFile, "utf8")) as { publicJwk: JWK; trustedUntil: string }[])
    : [];
  return {
    active: active.kid,
    next,
    retired: retired.map((entry) => ({
      kid: String(entry.publicJwk.kid),
      trustedUntil: entry.trustedUntil,
      trusted: Date.parse(entry.trustedUntil) > now.getTime(),
    })),
    announced: (await trustedPublicKeys(dataDir, active, now)).map((key) => String(key.kid)),
  };
}

/**
 * Rotation step 1: a next key is generated (or the staged one kept) and announced by
 * the following snapshot, still signed by the active key; data planes add it to their
 * trusted set when they apply that snapshot.
 */
export async function stageSigningKey(db: Db, dataDir: string, active: SigningKey, actor: Actor) {
  const next = await stageNextSigningKey(dataDir, active);
  await recordAdminEvent(db, {
    actor,
    action: AdminAuditAction.signingKeyStaged,
    detail: { activeKid: active.kid, nextKid: next.kid },
  });
  return next;
}

/**
 * Rotation step 2: the staged key signs from now on; the old one stays announced (and
 * trusted) for `overlapMs`, so last-known-good snapshots signed by it still verify.
 * Publish after activating (and again after the overlap, which retires the old key).
 */
export async function activateSigningKey(
  db: Db,
  dataDir: string,
  active: SigningKey,
  actor: Actor,
  input: { overlapMs: number; now?: Date },
) {
  const next = await activateNextSigningKey(dataDir, active, input);
  await recordAdminEvent(db, {
    actor,
    action: AdminAuditAction.signingKeyActivated,
    detail: { activeKid: next.kid, retiredKid: active.kid, overlapMs: input.overlapMs },
  });
  return next;
}
