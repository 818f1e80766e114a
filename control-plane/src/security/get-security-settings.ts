import type { ObservabilitySettings, SecuritySettings } from "@only1mcp/data-plane/security";
import type { Db } from "../db/open-database.ts";

/** The one row that holds the fleet's security settings. */
export const SECURITY_SETTINGS_ID = "global";

export type StoredSecuritySettings = {
  security: SecuritySettings | null;
  observability: ObservabilitySettings | null;
  updatedAt: Date | null;
  updatedById: string | null;
};

/** The stored `security:` / `observability:` blocks (null when none were ever set). */
export async function getSecuritySettings(db: Db): Promise<StoredSecuritySettings> {
  const row = await db.securitySettings.findUnique({ where: { id: SECURITY_SETTINGS_ID } });
  if (row === null) return { security: null, observability: null, updatedAt: null, updatedById: null };
  return {
    security: row.security as SecuritySettings,
    observability: (row.observability ?? null) as ObservabilitySettings | null,
    updatedAt: row.updatedAt,
    updatedById: row.updatedById,
  };
}
