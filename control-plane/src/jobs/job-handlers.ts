import type { JWK } from "jose";
import type { Database } from "../db/open-database.ts";
import { generateReport } from "../reports/generate-report.ts";
import { applyAuditRetention } from "../retention/apply-audit-retention.ts";
import type { SecretsKey } from "../secrets/secrets-key.ts";
import type { SigningKey } from "../signing/signing-key.ts";
import { publishSnapshot } from "../snapshots/publish-snapshot.ts";
import type { JobHandlers } from "./job-queue.ts";

export type JobHandlerDeps = {
  db: Database;
  signingKey: () => SigningKey;
  /** Seals upstream env/header values into snapshots. */
  secretsKey?: SecretsKey;
  /** The signing keys snapshots announce (signing-keyring.ts), so data planes follow a rotation. */
  trustedKeys?: () => Promise<JWK[]>;
  /** Pushes the current snapshot to the data planes now (the reconciler). */
  reconcileNow: () => Promise<void>;
  /** Handlers other features add (retention, reports) without this file knowing them. */
  extra?: JobHandlers;
};

/** Binds the catalog's jobs to what runs them in this process. */
export function createJobHandlers(deps: JobHandlerDeps): JobHandlers {
  return {
    "snapshot.publish": async (payload) => {
      const snapshot = await publishSnapshot(deps.db, deps.signingKey(), payload.actor, {
        ttlMs: payload.ttlMs,
        ...(deps.secretsKey ? { secretsKey: deps.secretsKey } : {}),
        ...(deps.trustedKeys ? { trustedKeys: await deps.trustedKeys() } : {}),
      });
      await deps.reconcileNow();
      return { version: snapshot.version, sha256: snapshot.sha256, created: snapshot.created };
    },
    "audit.retention": async (payload) => {
      const outcomes = await applyAuditRetention(deps.db, payload.now ? { now: new Date(payload.now) } : {});
      return { removed: outcomes.reduce((sum, o) => sum + o.removed, 0), chains: outcomes.length };
    },
    "report.generate": async (payload, context) => {
      const done = await generateReport(deps.db, payload.reportId, context.reportProgress);
      return { reportId: done.reportId, sha256: done.sha256 };
    },
    ...deps.extra,
  };
}
