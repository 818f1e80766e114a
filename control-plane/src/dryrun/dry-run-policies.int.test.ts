import { randomUUID } from "node:crypto";
import type { AuditEventV1 } from "@only1mcp/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestAuditBatch } from "../audit/ingest-audit-batch.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { dryRunPolicies } from "./dry-run-policies.ts";

const call = (overrides: Partial<AuditEventV1>): AuditEventV1 => ({
  id: randomUUID(),
  time: new Date().toISOString(),
  nodeId: "dp",
  tenantId: "ten_x",
  keyId: "key_a",
  kind: "call",
  method: "tools/call",
  server: "files",
  tool: "files__read",
  originalTool: "read",
  decision: "allow",
  code: "VALID",
  latencyMs: 1,
  argsSha256: null,
  clientAddress: null,
  ...overrides,
});

describe("policy dry run against recorded calls", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    const old = new Date(Date.now() - 10 * 24 * 3600 * 1000).toISOString();
    await ingestAuditBatch(database.db, {
      nodeId: "dp",
      events: [
        call({}),
        call({}),
        call({ keyId: "key_b", tool: "files__write", decision: "deny", code: "FORBIDDEN" }),
        call({ keyId: "key_c", decision: "deny", code: "RATE_LIMITED" }),
        call({ keyId: "key_old", time: old }),
      ],
    });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("reports who would newly be denied or allowed within the window", async () => {
    // Candidate: reads are denied, writes allowed.
    const result = await dryRunPolicies(database.db, {
      days: 7,
      decide: (c) => (c.tool === "files__read" ? "deny" : "allow"),
    });
    expect(result.examined).toBe(4);
    expect(result.newlyDenied).toEqual([{ tenantId: "ten_x", keyId: "key_a", tool: "files__read", calls: 2 }]);
    // key_c was rate limited, not denied by policy: not reported as newly allowed.
    expect(result.newlyAllowed).toEqual([{ tenantId: "ten_x", keyId: "key_b", tool: "files__write", calls: 1 }]);
  });
});
