import { randomUUID } from "node:crypto";
import type { AuditEventV1 } from "@only1mcp/data-plane";
import { figure } from "../stats.ts";
import { controlPlaneFunction } from "./control-plane-feature.ts";
import type { FleetScenario } from "./types.ts";

const BATCH = 1000;

function batch(nodeId: string): { nodeId: string; events: AuditEventV1[] } {
  const time = new Date().toISOString();
  return {
    nodeId,
    events: Array.from({ length: BATCH }, (_, i) => ({
      id: randomUUID(),
      time,
      nodeId,
      tenantId: null,
      keyId: `key_${i % 100}`,
      kind: "call",
      method: "tools/call",
      server: "echo",
      tool: "echo__echo",
      originalTool: "echo",
      decision: "allow",
      code: "VALID",
      latencyMs: 0.4,
      argsSha256: "0".repeat(64),
      clientAddress: "127.0.0.1",
    })),
  };
}

/**
 * Audit ingestion rate into Postgres through the control plane's ingestion
 * function (audit.v1 batches of 1000, as a data plane ships them).
 */
export const auditIngest: FleetScenario = {
  id: "audit-ingest",
  label: "audit ingestion into Postgres",
  async run(ctx) {
    const ingest = controlPlaneFunction(
      /^ingestAudit/i,
      "the control plane has no audit ingestion function yet (an `ingestAudit…` export, issue 5)",
    );
    const { db } = await ctx.database();
    const batchesPerRun = ctx.options.quick ? 2 : 10;
    const rates: number[] = [];
    for (let run = 0; run < ctx.options.repeats; run++) {
      const batches = Array.from({ length: batchesPerRun }, () => batch(`node-bench-${run}`));
      const t0 = performance.now();
      for (const b of batches) await ingest.fn(db, b);
      rates.push((batchesPerRun * BATCH) / ((performance.now() - t0) / 1000));
    }
    return {
      metrics: [{ id: "eventsPerSecond", label: "ingestion rate", unit: "events/s", value: figure(rates) }],
      note: `${ingest.name}(db, batch) with batches of ${BATCH}, one after another`,
    };
  },
};
