import { randomUUID } from "node:crypto";
import type { AuditEventV1 } from "@only1mcp/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestAuditBatch } from "../audit/ingest-audit-batch.ts";
import { issueApiKey } from "../keys/issue-api-key.ts";
import { revokeApiKey } from "../keys/revoke-api-key.ts";
import { createPolicy } from "../policies/create-policy.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { dryRunCandidatePolicy } from "./dry-run-candidate-policy.ts";
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
        call({ keyId: "key_b", tool: "files__write", originalTool: "write", decision: "deny", code: "FORBIDDEN" }),
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

  it("asks the data plane's policy engine about the candidate rules in place of the stored ones", async () => {
    const { db } = database;
    const actor = { kind: "system", name: "dry-run-test" } as const;
    const tenantId = (await createTenant(db, { slug: "dry", name: "Dry" }, actor)).id;
    const stored = await createPolicy(
      db,
      { tenantId, name: "no-writes", rules: { tools: { deny: ["*__write"] } } },
      actor,
    );
    if (!stored.ok) throw new Error(stored.message);
    // Only key_ops may use the admin server: a CASL-free policy scoped to one key.
    await createPolicy(
      db,
      { tenantId, name: "ops-only", rules: { appliesTo: { keys: ["key_guest"] }, tools: { deny: ["admin__*"] } } },
      actor,
    );
    await ingestAuditBatch(db, {
      nodeId: "dp",
      events: [
        call({ tenantId, keyId: "key_reader", tool: "files__read", originalTool: "read" }),
        call({ tenantId, keyId: "key_reader", tool: "files__read", originalTool: "read" }),
        call({
          tenantId,
          keyId: "key_writer",
          tool: "files__write",
          originalTool: "write",
          decision: "deny",
          code: "FORBIDDEN",
        }),
        call({
          tenantId,
          keyId: "key_guest",
          server: "admin",
          tool: "admin__reset",
          originalTool: "reset",
          decision: "deny",
          code: "FORBIDDEN",
        }),
        call({ tenantId, keyId: "key_ops", server: "admin", tool: "admin__reset", originalTool: "reset" }),
        // Not a tool call: the candidate's tool rules do not judge it.
        call({ tenantId, keyId: "key_reader", method: "prompts/get", tool: "files__read", originalTool: "read" }),
        call({
          tenantId,
          keyId: "key_limited",
          tool: "files__write",
          originalTool: "write",
          decision: "deny",
          code: "RATE_LIMITED",
        }),
      ],
    });
    // Candidate for "no-writes": reads are denied (by original name), writes no longer.
    const result = await dryRunCandidatePolicy(db, {
      tenantId,
      policyId: stored.value.id,
      days: 7,
      rules: { tools: { deny: ["read"] } },
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.examined).toBe(7);
    expect(result.value.policies).toBe(2);
    expect(result.value.newlyDenied).toEqual([{ tenantId, keyId: "key_reader", tool: "files__read", calls: 2 }]);
    // key_guest stays denied by the untouched ops-only policy; key_limited was rate limited.
    expect(result.value.newlyAllowed).toEqual([{ tenantId, keyId: "key_writer", tool: "files__write", calls: 1 }]);

    // The same rules as stored: nothing changes.
    const same = await dryRunCandidatePolicy(db, {
      tenantId,
      policyId: stored.value.id,
      rules: { tools: { deny: ["*__write"] } },
    });
    expect(same.ok && [same.value.newlyDenied, same.value.newlyAllowed]).toEqual([[], []]);
    // A new policy added to the set: an allow list refuses everything else.
    const added = await dryRunCandidatePolicy(db, { tenantId, rules: { tools: { allow: ["files__*"] } } });
    expect(added.ok && added.value.newlyDenied.map((c) => c.keyId)).toEqual(["key_ops"]);
    expect(await dryRunCandidatePolicy(db, { tenantId, policyId: "pol_nope", rules: {} })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await dryRunCandidatePolicy(db, { tenantId: "ten_nope", rules: {} })).toMatchObject({ code: "NOT_FOUND" });
  });

  it("judges each recorded caller with its key's roles, for policies scoped by appliesTo.roles", async () => {
    const { db } = database;
    const actor = { kind: "system", name: "dry-run-test" } as const;
    const tenantId = (await createTenant(db, { slug: "dry-roles", name: "Dry roles" }, actor)).id;
    const auditor = await issueApiKey(db, { tenantId, name: "auditor", roles: ["auditor"] }, actor);
    const retired = await issueApiKey(db, { tenantId, name: "retired", roles: ["auditor", "ops"] }, actor);
    const plain = await issueApiKey(db, { tenantId, name: "plain" }, actor);
    const ops = await issueApiKey(db, { tenantId, name: "ops", roles: ["ops"] }, actor);
    // A revoked key keeps its roles: its calls in the window are judged with them.
    await revokeApiKey(db, { tenantId, keyId: retired.id }, actor);
    const write = { tenantId, tool: "files__write", originalTool: "write" };
    await ingestAuditBatch(db, {
      nodeId: "dp",
      events: [
        call({ ...write, keyId: auditor.id }),
        call({ ...write, keyId: auditor.id }),
        call({ ...write, keyId: retired.id }),
        call({ ...write, keyId: plain.id }),
        call({ ...write, keyId: ops.id }),
        // A key the control plane no longer knows: no roles.
        call({ ...write, keyId: "key_gone" }),
        call({ tenantId, keyId: auditor.id }),
      ],
    });
    // Auditors may not write.
    const result = await dryRunCandidatePolicy(db, {
      tenantId,
      rules: { appliesTo: { roles: ["auditor"] }, tools: { deny: ["*__write"] } },
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.examined).toBe(7);
    expect(result.value.newlyDenied).toEqual([
      { tenantId, keyId: auditor.id, tool: "files__write", calls: 2 },
      { tenantId, keyId: retired.id, tool: "files__write", calls: 1 },
    ]);
    expect(result.value.newlyAllowed).toEqual([]);
    // Scoped to a role nobody has: nothing changes.
    const nobody = await dryRunCandidatePolicy(db, {
      tenantId,
      rules: { appliesTo: { roles: ["intern"] }, tools: { deny: ["*__write"] } },
    });
    expect(nobody.ok && [nobody.value.newlyDenied, nobody.value.newlyAllowed]).toEqual([[], []]);
  });

  it("counts each call once: the authorization event is the decision, the call event its outcome", async () => {
    const { db } = database;
    const actor = { kind: "system", name: "dry-run-test" } as const;
    const tenantId = (await createTenant(db, { slug: "dry-pairs", name: "Dry pairs" }, actor)).id;
    const decided = (overrides: Partial<AuditEventV1>) =>
      call({ tenantId, keyId: "key_pair", kind: "authorization", code: "ALLOWED", latencyMs: null, ...overrides });
    await ingestAuditBatch(db, {
      nodeId: "dp",
      // What the data plane records: two allowed reads (authorization + call each), one denied write.
      events: [
        decided({}),
        call({ tenantId, keyId: "key_pair", code: "OK" }),
        decided({}),
        call({ tenantId, keyId: "key_pair", code: "OK" }),
        decided({ tool: "files__write", originalTool: "write", decision: "deny", code: "FORBIDDEN" }),
      ],
    });
    const result = await dryRunCandidatePolicy(db, { tenantId, rules: { tools: { deny: ["read"] } } });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.examined).toBe(3);
    expect(result.value.newlyDenied).toEqual([{ tenantId, keyId: "key_pair", tool: "files__read", calls: 2 }]);
  });
});
