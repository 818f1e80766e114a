import { auditEventFilterSchema } from "@only1mcp/control-plane/schemas";
import { z } from "zod";
import { operations } from "../api/domain-operation.ts";
import { NO_STORE } from "../fleet/no-store.ts";

const operation = operations("Audit log");

export const listAuditEvents = operation({
  method: "GET",
  path: "/audit/events",
  summary: "Audit events (data-plane decisions or admin changes), filtered, newest first, cursor-paged",
  permission: "audit:read",
  query: auditEventFilterSchema,
  run: async ({ cp, db, authz, query }) =>
    Response.json(await cp.listAuditEvents(db, query, { tenantIds: authz.tenantScope("audit:read") }), NO_STORE),
});

export const exportAuditEvents = operation({
  method: "GET",
  path: "/audit/export",
  summary: "Every matching audit event as CSV (up to 100k rows; x-truncated says when more matched)",
  permission: "audit:export",
  query: auditEventFilterSchema,
  async run({ cp, db, authz, query }) {
    const { cursor: _cursor, limit: _limit, ...filter } = query;
    const exported = await cp.exportAuditEventsCsv(db, filter, {
      tenantIds: authz.tenantScope("audit:export"),
    });
    return new Response(exported.csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-events.csv"`,
        "cache-control": "no-store",
        "x-truncated": String(exported.truncated),
      },
    });
  },
});

export const verifyAuditChains = operation({
  method: "GET",
  path: "/audit/verify",
  summary: "Verify the audit hash chains (one chain and seq range, or all chains)",
  permission: "audit:read",
  query: z.object({
    chainKey: z.string().min(1).optional(),
    fromSeq: z.coerce.number().int().positive().optional(),
    toSeq: z.coerce.number().int().positive().optional(),
  }),
  async run({ cp, db, query }) {
    const chains = query.chainKey
      ? [await cp.verifyAuditChain(db, { ...query, chainKey: query.chainKey })]
      : await cp.verifyAllAuditChains(db);
    return Response.json({ ok: chains.every((chain) => chain.ok), chains }, NO_STORE);
  },
});
