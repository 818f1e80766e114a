/** The audit screen's form as the query string of GET /api/v1/audit/events and /audit/export. */

export type AuditSource = "data-plane" | "admin";

export const AUDIT_FILTERS = ["tenantId", "keyId", "tool", "action", "decision", "from", "to"] as const;
export type AuditFilters = Partial<Record<(typeof AUDIT_FILTERS)[number], string>> & { source: AuditSource };

/**
 * Blank fields are dropped; datetime-local values (the browser's local time, no offset)
 * become ISO instants, which the API requires. Filters that one source cannot apply
 * are dropped rather than sent: admin events carry no key or tool, MCP calls no action.
 */
export function auditSearchParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams({ source: filters.source });
  for (const name of AUDIT_FILTERS) {
    const value = filters[name]?.trim();
    if (!value) continue;
    if (filters.source === "admin" && (name === "keyId" || name === "tool")) continue;
    if (filters.source === "data-plane" && name === "action") continue;
    if (name === "from" || name === "to") {
      const instant = new Date(value);
      if (!Number.isNaN(instant.getTime())) params.set(name, instant.toISOString());
      continue;
    }
    params.set(name, value);
  }
  return params;
}
