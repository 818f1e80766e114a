import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Prisma } from "../db/generated/client.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { maskSecrets } from "../masking/mask-secrets.ts";
import { fail, ok } from "../outcome/outcome.ts";
import { type UpdateUpstreamBody, updateUpstreamBody } from "./upstream-schemas.ts";

export async function updateUpstream(
  db: Db | Database,
  input: { tenantId: string; upstreamId: string } & UpdateUpstreamBody,
  actor: Actor,
) {
  const body = updateUpstreamBody.parse({ config: input.config, enabled: input.enabled });
  return inTransaction(db, async (tx) => {
    const existing = await tx.upstreamServer.findFirst({ where: { id: input.upstreamId, tenantId: input.tenantId } });
    if (!existing) return fail("NOT_FOUND", "No such upstream server in this tenant.");
    const data: Prisma.UpstreamServerUpdateInput = {};
    if (body.config) {
      const { transport, ...rest } = body.config;
      data.transport = transport;
      data.config = rest;
    }
    if (body.enabled !== undefined) data.enabled = body.enabled;
    const server = await tx.upstreamServer.update({ where: { id: existing.id }, data });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.upstreamUpdated,
      tenantId: input.tenantId,
      detail: {
        serverId: server.id,
        name: server.name,
        enabled: server.enabled,
        config: body.config ? (maskSecrets(body.config) as Prisma.InputJsonValue) : null,
      },
    });
    return ok({ id: server.id, name: server.name, enabled: server.enabled });
  });
}
