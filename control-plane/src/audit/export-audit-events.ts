import { stringify } from "csv-stringify/sync";
import type { Db } from "../db/open-database.ts";
import { type AuditEventFilter, type AuditEventRow, listAuditEvents } from "./list-audit-events.ts";

const COLUMNS: Array<keyof AuditEventRow> = [
  "time",
  "source",
  "id",
  "tenantId",
  "kind",
  "actor",
  "action",
  "keyId",
  "nodeId",
  "method",
  "tool",
  "decision",
  "code",
  "latencyMs",
  "seq",
  "hash",
];

/** Every event matching the filter as CSV (RFC 4180, header row), paged through in order. */
export async function exportAuditEventsCsv(
  db: Db,
  filter: AuditEventFilter,
  scope: { tenantIds: readonly string[] | "all" } = { tenantIds: "all" },
  maxRows = 100_000,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const records: AuditEventRow[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listAuditEvents(db, { ...filter, limit: 1000, ...(cursor ? { cursor } : {}) }, scope);
    records.push(...page.events);
    if (!page.nextCursor || records.length >= maxRows) break;
    cursor = page.nextCursor;
  }
  const rows = records.slice(0, maxRows);
  const csv = stringify(
    rows.map((row) => COLUMNS.map((column) => row[column] ?? "")),
    { header: true, columns: COLUMNS as string[] },
  );
  return { csv, rows: rows.length, truncated: records.length > maxRows };
}
