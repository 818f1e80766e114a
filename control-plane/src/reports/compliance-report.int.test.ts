import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestAuditBatch } from "../audit/ingest-audit-batch.ts";
import type { Actor } from "../audit/record-audit-event.ts";
import { summarizeTraffic } from "../dashboard/traffic-summary.ts";
import { recordHeartbeat } from "../fleet/record-heartbeat.ts";
import { InProcessJobQueue } from "../jobs/in-process-queue.ts";
import { createJobHandlers } from "../jobs/job-handlers.ts";
import { issueApiKey } from "../keys/issue-api-key.ts";
import { createOperator } from "../operators/create-operator.ts";
import { issueOperatorToken } from "../operators/issue-operator-token.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import type { EvidenceRow } from "./collect-evidence.ts";
import { eraseOperatorData, exportOperatorData } from "./gdpr-operator-data.ts";
import { getReportFile, getReportStatus } from "./get-report.ts";
import { listReports } from "./list-reports.ts";
import type { ReportDocument } from "./render-report.ts";
import { requestReport } from "./request-report.ts";

const actor: Actor = { kind: "system", name: "report-test" };
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("compliance reports generated end to end as jobs", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const jobs = new InProcessJobQueue({ pollMs: 20 });
  let operatorId: string;
  let usedKeyId: string;
  let unusedKeyId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    jobs.startWorker(
      createJobHandlers({
        db,
        signingKey: () => {
          throw new Error("no signing in this test");
        },
        reconcileNow: async () => undefined,
      }),
    );
    const tenant = await createTenant(db, { slug: "acme", name: "Acme" }, actor);
    operatorId = (
      await createOperator(
        db,
        { email: "auditee@example.com", name: "Ada Auditee", password: "pw-123456", role: "owner" },
        actor,
      )
    ).id;
    await issueOperatorToken(db, { operatorId, name: "ci" }, actor);
    usedKeyId = (await issueApiKey(db, { tenantId: tenant.id, name: "used" }, actor)).id;
    unusedKeyId = (await issueApiKey(db, { tenantId: tenant.id, name: "never used" }, actor)).id;
    await db.apiKey.update({ where: { id: usedKeyId }, data: { lastUsedAt: new Date() } });
    const base = {
      time: new Date().toISOString(),
      nodeId: "dp_1",
      method: "tools/call",
      server: null,
      tool: null,
      originalTool: null,
      latencyMs: null,
      argsSha256: null,
      clientAddress: "127.0.0.1",
    };
    await ingestAuditBatch(db, {
      nodeId: "dp_1",
      events: [
        {
          ...base,
          id: randomUUID(),
          tenantId: null,
          keyId: null,
          kind: "authentication",
          decision: "deny",
          code: "NOT_FOUND",
        },
        {
          ...base,
          id: randomUUID(),
          tenantId: null,
          keyId: null,
          kind: "authentication",
          decision: "deny",
          code: "NOT_FOUND",
        },
        {
          ...base,
          id: randomUUID(),
          tenantId: tenant.id,
          keyId: usedKeyId,
          kind: "call",
          decision: "allow",
          code: "VALID",
        },
      ],
    });
    await recordHeartbeat(db, {
      id: "dp_1",
      name: "plane-1",
      version: "0.1.0",
      address: "http://127.0.0.1:9",
      snapshotVersion: null,
      snapshotHash: null,
      snapshotExpiresAt: null,
      stale: false,
      upstreams: [],
    });
  });
  afterAll(async () => {
    await jobs.close();
    await database?.drop();
  });

  it("generates a SOC 2 report with the expected evidence rows, in JSON, CSV and PDF with sha256", async () => {
    const { reportId, jobId } = await requestReport(database.db, jobs, { framework: "soc2", periodDays: 30 }, actor);
    const job = await jobs.waitUntilFinished(jobId);
    expect(job).toMatchObject({ state: "completed", progress: 100 });
    expect(await getReportStatus(database.db, reportId)).toMatchObject({ status: "completed", progress: 100 });

    const json = await getReportFile(database.db, reportId, "json");
    const csv = await getReportFile(database.db, reportId, "csv");
    const pdf = await getReportFile(database.db, reportId, "pdf");
    if (!json || !csv || !pdf) throw new Error("report files missing");
    for (const file of [json, csv, pdf]) expect(sha(file.bytes)).toBe(file.sha256);
    expect(pdf.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    const document = JSON.parse(json.bytes.toString("utf8")) as ReportDocument;
    expect(document.controls.map((c) => c.id)).toEqual(["CC6.1", "CC6.2", "CC6.6", "CC7.2", "CC8.1", "CC4.1"]);
    const rows = (section: EvidenceRow["section"]) => document.evidence.filter((row) => row.section === section);
    expect(rows("access_review")).toContainEqual(
      expect.objectContaining({
        detail: expect.objectContaining({ kind: "role", email: "auditee@example.com", role: "owner" }),
      }),
    );
    expect(rows("access_review").find((r) => r.detail.keyId === unusedKeyId)).toMatchObject({
      status: "attention",
      detail: { unused: true, ageDays: 0, revoked: false },
    });
    expect(rows("access_review").find((r) => r.detail.keyId === usedKeyId)).toMatchObject({
      status: "ok",
      detail: { unused: false },
    });
    expect(rows("authentication_failures")).toEqual([
      {
        section: "authentication_failures",
        item: "2 failures with NOT_FOUND",
        status: "info",
        detail: { tenantId: null, code: "NOT_FOUND", count: 2 },
      },
    ]);
    expect(rows("audit_chain").map((r) => [r.detail.verified, r.detail.checked])).toEqual([
      [true, 2],
      [true, 1],
    ]);
    expect(rows("retention_status")[0]?.detail).toMatchObject({ retentionDays: 365, oldestEventAgeDays: 0 });
    expect(rows("configuration_changes").map((r) => r.item)).toContain("api_key.issued");
    expect(rows("fleet_state")[0]).toMatchObject({ item: "data plane plane-1", detail: { nodeId: "dp_1" } });
    expect(document.controls.find((c) => c.id === "CC6.2")?.status).toBe("attention");

    const csvText = csv.bytes.toString("utf8");
    expect(csvText.split("\n")[0]).toBe("control,control_title,section,item,status,detail");
    expect(csvText).toContain(
      "CC6.6,Authentication failures at the boundary,authentication_failures,2 failures with NOT_FOUND",
    );
  });

  it("lists reports newest first without their files, scoped to the caller's tenants", async () => {
    const all = await listReports(database.db);
    expect(all[0]).toMatchObject({ framework: "soc2", status: "completed", progress: 100, tenantId: null });
    expect(all[0]?.sha256?.csv).toMatch(/^[0-9a-f]{64}$/);
    expect(all[0]).not.toHaveProperty("csv");
    // An all-tenant report needs a global role: a tenant-scoped caller does not see it.
    expect(await listReports(database.db, { tenantIds: ["ten_other"] })).toEqual([]);
  });

  it("summarizes the last day's traffic per tenant from the same events (overview)", async () => {
    const since = new Date(Date.now() - 24 * 3600_000);
    const traffic = await summarizeTraffic(database.db, { since, tenantIds: "all" });
    expect(traffic.byTenant).toEqual([
      { tenantId: null, requests: 2, errors: 0, denied: 2, p50Ms: null, p99Ms: null },
      { tenantId: expect.stringMatching(/^ten_/), requests: 1, errors: 0, denied: 0, p50Ms: null, p99Ms: null },
    ]);
    const none = { byTenant: [], byServer: [], hourly: [] };
    expect(await summarizeTraffic(database.db, { since, tenantIds: [] })).toEqual(none);
    expect(await summarizeTraffic(database.db, { since: new Date(Date.now() + 60_000), tenantIds: "all" })).toEqual(
      none,
    );
  });

  it("builds every framework's template", async () => {
    for (const framework of ["iso27001", "hipaa", "gdpr"] as const) {
      const { reportId, jobId } = await requestReport(database.db, jobs, { framework }, actor);
      expect((await jobs.waitUntilFinished(jobId)).state).toBe("completed");
      const file = await getReportFile(database.db, reportId, "json");
      expect(JSON.parse(file?.bytes.toString("utf8") ?? "{}").framework).toBe(framework);
    }
  });

  it("exports, then erases, one operator's personal data (GDPR)", async () => {
    const exported = await exportOperatorData(database.db, operatorId, actor);
    expect(exported?.operator).toMatchObject({ email: "auditee@example.com", name: "Ada Auditee" });
    expect(exported?.tokens).toHaveLength(1);
    expect(JSON.stringify(exported)).not.toMatch(/\$2[aby]\$/);

    const erased = await eraseOperatorData(database.db, operatorId, actor);
    expect(erased).toMatchObject({ ok: true, tokensRemoved: 1, rolesRemoved: 1 });
    const operator = await database.db.operator.findUniqueOrThrow({ where: { id: operatorId } });
    expect(operator).toMatchObject({ name: "Erased operator", passwordHash: null });
    const events = await database.db.auditEvent.findMany();
    expect(JSON.stringify(events)).not.toContain("auditee@example.com");
    expect(events.some((e) => e.action === "operator.erased")).toBe(true);
  });
});
