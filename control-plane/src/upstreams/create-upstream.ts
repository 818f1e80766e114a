import { z } from "zod";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Prisma } from "../db/generated/client.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";
import { maskSecrets } from "../masking/mask-secrets.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";
import { upstreamConfigSchema } from "./upstream-config.ts";
import { upstreamName } from "./upstream-schemas.ts";

export const createUpstreamInput = z.strictObject({
  tenantId: z.string().min(1),
  name: upstreamName,
  config: upstreamConfigSchema,
});

export async function createUpstream(db: Db | Database, input: z.input<typeof createUpstreamInput>, actor: Actor) {
  const { tenantId, name, config } = createUpstreamInput.parse(input);
  const { transport, ...rest } = config;
  return inTransaction(db, async (tx) => {
    const server = await tx.upstreamServer.create({
      data: { id: generateId("srv"), tenantId, name, transport, config: rest },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.upstreamCreated,
      tenantId,
      // Environment and header values may be secrets: masked.
      detail: { serverId: server.id, name, config: maskSecrets(config) as Prisma.InputJsonValue },
    });
    return server;
  });
}

type Upstream = Awaited<ReturnType<typeof createUpstream>>;

/** createUpstream for the API: unknown tenant and a taken name are outcomes. */
export async function tryCreateUpstream(
  db: Db | Database,
  input: z.input<typeof createUpstreamInput>,
  actor: Actor,
): Promise<Outcome<Upstream>> {
  const existing = await db.upstreamServer.findFirst({ where: { tenantId: input.tenantId, name: input.name } });
  if (existing) return fail("CONFLICT", `An upstream named ${input.name} exists.`);
  const tenant = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } });
  if (!tenant) return fail("NOT_FOUND", "No such tenant.");
  return ok(await createUpstream(db, input, actor));
}
