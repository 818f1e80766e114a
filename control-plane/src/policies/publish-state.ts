import type { JWK } from "jose";
import type { Db } from "../db/open-database.ts";
import type { SecretsKey } from "../secrets/secrets-key.ts";
import { compileState } from "../snapshots/compile-snapshot.ts";

/** Whether the stored configuration differs from the latest snapshot (the console's "unpublished changes"). */
export async function publishState(db: Db, options: { secretsKey?: SecretsKey; trustedKeys?: readonly JWK[] } = {}) {
  const [state, latest] = await Promise.all([
    // Compiled as publishing does (sealed secrets' fingerprints, announced keys), so the hashes compare.
    compileState(db, new Date(), options),
    db.snapshot.findFirst({
      orderBy: { version: "desc" },
      select: { version: true, sha256: true, contentHash: true, createdAt: true },
    }),
  ]);
  return {
    current: latest ? { version: latest.version, sha256: latest.sha256, createdAt: latest.createdAt } : null,
    pending: latest?.contentHash !== state.contentHash,
  };
}
