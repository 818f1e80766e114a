import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuditShipperStats } from "../audit/audit-shipper.ts";
import type { RateLimitStoreStatus } from "../limits/rate-limiter.ts";
import type { Logger } from "../log/logger.ts";
import type { ConfigState } from "../snapshots/apply.ts";
import type { UpstreamManager } from "../upstreams/manager.ts";
import { readBody } from "./body.ts";
import { sendFailure, sendJson } from "./respond.ts";

export const SNAPSHOT_BODY_LIMIT = 8 * 1024 * 1024;

export type AdminDeps = {
  state: ConfigState;
  upstreams: UpstreamManager;
  log: Logger;
  /** Rate-limit store and fail mode (reported as `rateLimits`). */
  rateLimitStatus?: () => RateLimitStoreStatus;
  /** Audit delivery and spool counters (reported as `audit` when shipping is on). */
  auditStats?: () => AuditShipperStats | undefined;
};

/** PUT /_only1mcp/snapshot: the body is a compact JWS; any content type. */
export async function putSnapshot(req: IncomingMessage, res: ServerResponse, deps: AdminDeps): Promise<void> {
  const read = await readBody(req, SNAPSHOT_BODY_LIMIT);
  if (!read.ok) {
    if ("aborted" in read) return;
    return sendFailure(
      res,
      { code: "PAYLOAD_TOO_LARGE", message: "snapshot over 8 MiB" },
      read.drained ? undefined : { Connection: "close" },
    );
  }
  const result = await deps.state.applyJws(read.body.toString("utf8"));
  if (!result.ok) {
    deps.log.warn("snapshot refused", { code: result.error.code, reason: result.error.message });
    return sendFailure(res, result.error);
  }
  deps.log.info("snapshot applied", { version: result.config.version, hash: result.config.hash });
  sendJson(res, 200, { snapshotVersion: result.config.version, snapshotHash: result.config.hash });
}

/** GET /_only1mcp/status */
export function getStatus(res: ServerResponse, deps: AdminDeps): void {
  const applied = deps.state.current();
  sendJson(res, 200, {
    snapshotVersion: applied?.version ?? null,
    snapshotHash: applied?.hash ?? null,
    appliedAt: applied?.appliedAt.toISOString() ?? null,
    source: applied?.source ?? null,
    upstreams: deps.upstreams.status(),
    clashes: deps.upstreams.clashes(),
    ...(deps.rateLimitStatus ? { rateLimits: deps.rateLimitStatus() } : {}),
    ...(deps.auditStats?.() ? { audit: deps.auditStats() } : {}),
  });
}

/** GET /readyz: ready once a verified snapshot (or a valid config file) is applied. */
export function getReady(res: ServerResponse, deps: AdminDeps): void {
  const applied = deps.state.current();
  if (applied) sendJson(res, 200, { status: "ready", snapshotVersion: applied.version });
  else sendJson(res, 503, { status: "not_ready", message: "no verified snapshot applied yet" });
}
