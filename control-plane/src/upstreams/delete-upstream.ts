import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";

export async function deleteUpstream(
  db: Db | Database,
  input: { tenantId: string; upstreamId: string },
  actor: Actor,
): Promise<Outcome<{ id: string }>> {
  return inTransaction(db, async (tx) => {
    const server = await tx.upstreamServer.findFirst({ where: { id: input.upstreamId, tenantId: input.tenantId } });
    if (!server) return fail("NOT_FOUND", "No such upstream server in this tenant.");
    await tx.upstreamServer.delete({ where: { id: server.id } });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.upstreamDeleted,
      tenantId: input.tenantId,
      detail: { serverId: server.id, name: server.name },
    });
    return ok({ id: server.id });
  });
}
