import path from "node:path";
import type { DataPlaneConfig } from "../config/env.ts";
import type { Logger } from "../log/logger.ts";
import type { AppliedConfig } from "../snapshots/applied-config.ts";
import { auditKindsOf } from "./audit-kinds.ts";
import { AuditShipper, type AuditShipperStats, type AuditSink, NO_AUDIT } from "./audit-shipper.ts";
import { AuditSpool } from "./audit-spool.ts";

/** Audit on when a control plane URL and node token are configured; otherwise a no-op sink (logged once). */
export function startAudit(
  config: Pick<DataPlaneConfig, "audit" | "nodeId" | "stateDir">,
  current: () => AppliedConfig | undefined,
  log: Logger,
): { sink: AuditSink; stats: () => AuditShipperStats | undefined; stop(): Promise<void> } {
  if (!config.audit) {
    log.info("audit shipping off (set ONLY1MCP_CONTROL_PLANE_URL and ONLY1MCP_NODE_TOKEN)");
    return { sink: NO_AUDIT, stats: () => undefined, stop: async () => {} };
  }
  const shipper = new AuditShipper({
    endpoint: `${config.audit.controlPlaneUrl}/api/v1/fleet/audit`,
    nodeToken: config.audit.nodeToken,
    nodeId: config.nodeId,
    spool: new AuditSpool(path.join(config.stateDir, "audit-spool"), config.audit.spoolMaxBytes),
    log: log.child({ component: "audit" }),
    enabledKinds: () => auditKindsOf(current()?.payload),
    flushIntervalMs: config.audit.flushMs,
  });
  return { sink: shipper, stats: () => shipper.stats(), stop: () => shipper.stop() };
}
