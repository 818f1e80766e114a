import { z } from "zod";
import { operations } from "../api/domain-operation.ts";
import { ApiError } from "../api/errors.ts";
import { NO_STORE } from "../fleet/no-store.ts";
import { getCurrentSnapshot } from "./get-current-snapshot.ts";

const operation = operations("Snapshots");

function versionOf(params: Record<string, string | string[] | undefined>): number {
  const version = Number(params.version);
  if (!Number.isInteger(version) || version < 1)
    throw new ApiError("INVALID_REQUEST", "version must be a positive integer.");
  return version;
}

export const listSnapshots = operation({
  method: "GET",
  path: "/snapshots",
  summary: "Published snapshots, newest first (without the JWS)",
  permission: "snapshot:read",
  query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
  async run({ cp, db, query }) {
    return Response.json({ snapshots: await cp.listSnapshots(db, { limit: query.limit }) }, NO_STORE);
  },
});

export const publishSnapshot = operation({
  method: "POST",
  path: "/snapshots",
  summary: "Publish: enqueues a snapshot.publish job and answers its id (poll /jobs/{id})",
  status: 202,
  permission: "snapshot:publish",
  body: z.object({ ttlMs: z.number().int().positive().nullable().default(null) }).default({ ttlMs: null }),
  async run({ context, actor, body }) {
    const { id } = await context.jobs.enqueue("snapshot.publish", {
      actor,
      ttlMs: body.ttlMs,
    });
    return new Response(JSON.stringify({ jobId: id }), {
      status: 202,
      headers: { "content-type": "application/json; charset=utf-8", location: `/api/v1/jobs/${id}` },
    });
  },
});

export const getCurrent = operation({
  method: "GET",
  path: "/snapshots/current",
  summary: "The latest signed config snapshot, as the data planes receive it",
  permission: "snapshot:read",
  run: () => getCurrentSnapshot(),
});

export const startRollout = operation({
  method: "POST",
  path: "/snapshots/rollouts",
  summary: "Staged rollout: publish the current state to the named data planes only",
  permission: "snapshot:rollout",
  body: z.object({
    nodeIds: z.array(z.string().min(1)).min(1).max(1000),
    ttlMs: z.number().int().positive().nullable().default(null),
  }),
  async run({ cp, context, db, actor, body }) {
    const result = await cp.startStagedRollout(db, context.signingKey, actor, body, {
      secretsKey: context.secretsKey,
      trustedKeys: await cp.trustedPublicKeys(context.dataDir, context.signingKey),
    });
    if (!result.ok) throw new ApiError("INVALID_REQUEST", result.message, result);
    void context.reconcileNow();
    return { version: result.snapshot.version, sha256: result.snapshot.sha256, status: result.snapshot.status };
  },
});

export const promoteRollout = operation({
  method: "POST",
  path: "/snapshots/rollouts/{version}/promote",
  summary: "The staged version becomes current for every data plane",
  permission: "snapshot:rollout",
  async run({ cp, context, db, actor, params }) {
    const version = versionOf(params);
    const result = await cp.promoteRollout(db, actor, { version });
    if (!result.ok) throw new ApiError(result.code === "NOT_FOUND" ? "NOT_FOUND" : "CONFLICT", result.message);
    void context.reconcileNow();
    return result;
  },
});

export const rollBackRollout = operation({
  method: "POST",
  path: "/snapshots/rollouts/{version}/rollback",
  summary: "Abandon a staged version: the previous content is re-signed as a newer version for everyone",
  permission: "snapshot:rollout",
  async run({ cp, context, db, actor, params }) {
    const version = versionOf(params);
    const result = await cp.rollBackRollout(db, context.signingKey, actor, { version });
    if (!result.ok) throw new ApiError(result.code === "NOT_FOUND" ? "NOT_FOUND" : "CONFLICT", result.message);
    void context.reconcileNow();
    return result;
  },
});

export const restoreSnapshot = operation({
  method: "POST",
  path: "/snapshots/restore",
  summary: "Re-sign an earlier version's content as the next version and push it to every node",
  permission: "snapshot:rollout",
  body: z.object({ fromVersion: z.number().int().positive() }),
  async run({ cp, context, db, actor, body }) {
    const result = await cp.restoreSnapshotContent(db, context.signingKey, actor, body);
    if (!result.ok) throw new ApiError("NOT_FOUND", result.message);
    void context.reconcileNow();
    return result;
  },
});

export const refuseRollback = operation({
  method: "POST",
  path: "/snapshots/rollback",
  summary: "Making an older version current is always refused (409): use /snapshots/restore",
  permission: "snapshot:rollout",
  body: z.object({ toVersion: z.number().int().positive() }),
  async run({ cp, db, body }) {
    const result = await cp.requestRollback(db, { toVersion: body.toVersion });
    if (result.code === "NOT_FOUND") throw new ApiError("NOT_FOUND", result.message);
    throw new ApiError("CONFLICT", result.message, { code: result.code, currentVersion: result.currentVersion });
  },
});

export const listSigningKeys = operation({
  method: "GET",
  path: "/snapshots/signing-keys",
  summary: "The signing keys: active, staged next, retired (with the end of their overlap), announced",
  permission: "snapshot:read",
  run: async ({ cp, context }) => cp.listSigningKeys(context.dataDir, context.signingKey),
});

export const stageSigningKey = operation({
  method: "POST",
  path: "/snapshots/signing-keys",
  summary:
    "Rotation step 1: stage the next signing key and publish, so every data plane trusts it (announced by a snapshot the current key signs) before it signs anything",
  // The signing keys are every data plane's trust anchor: a role on every tenant only.
  permission: "signingKey:rotate",
  body: z.strictObject({}),
  async run({ context, actor }) {
    const { nextKid, snapshot } = await context.stageSigningKey(actor);
    return { nextKid, version: snapshot.version, sha256: snapshot.sha256 };
  },
});

export const activateSigningKey = operation({
  method: "POST",
  path: "/snapshots/signing-keys/activate",
  summary:
    "Rotation step 2: the staged key signs from now on; the old key stays announced (trusted) for overlapSeconds, and the first publish after that retires it",
  // The signing keys are every data plane's trust anchor: a role on every tenant only.
  permission: "signingKey:rotate",
  body: z.strictObject({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .default(24 * 3600),
  }),
  async run({ cp, context, actor, body }) {
    try {
      const { activeKid, snapshot } = await context.activateSigningKey(actor, body.overlapSeconds * 1000);
      return { activeKid, version: snapshot.version, sha256: snapshot.sha256 };
    } catch (error) {
      if (error instanceof cp.NoStagedSigningKeyError) throw new ApiError("CONFLICT", error.message);
      throw error;
    }
  },
});
