import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { Prisma } from "../db/generated/client.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { getSecuritySettings, SECURITY_SETTINGS_ID, type StoredSecuritySettings } from "./get-security-settings.ts";
import type { UpdateSecuritySettingsBody } from "./security-settings-schemas.ts";

/**
 * Replaces the fleet's security settings (validated by the data plane's schema at the
 * edge). Enforced from the next published snapshot; the change is audited in the same
 * transaction. The block holds no secrets (file paths, limits, issuer names only).
 */
export async function updateSecuritySettings(
  db: Db | Database,
  input: UpdateSecuritySettingsBody,
  actor: Actor,
): Promise<StoredSecuritySettings> {
  const security = input.security as Prisma.InputJsonValue;
  const observability = input.observability as Prisma.InputJsonValue | undefined;
  const updatedById = actor.kind === "operator" ? actor.operatorId : null;
  return inTransaction(db, async (tx) => {
    const data = {
      security,
      observability: observability ?? Prisma.DbNull,
      updatedById,
    };
    await tx.securitySettings.upsert({
      where: { id: SECURITY_SETTINGS_ID },
      create: { id: SECURITY_SETTINGS_ID, ...data },
      update: data,
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.securitySettingsUpdated,
      detail: { security, observability: observability ?? null },
    });
    return getSecuritySettings(tx);
  });
}
