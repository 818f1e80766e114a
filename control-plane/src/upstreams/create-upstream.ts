import { z } from "zod";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Db } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";
import { upstreamConfigSchema } from "./upstream-config.ts";

export const createUpstreamInput = z.strictObject({
  tenantId: z.string().min(1),
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "letters, digits, '_', '.', '-'"),
  config: upstreamConfigSchema,
});

export async function createUpstream(db: Db, input: z.input<typeof createUpstreamInput>, actor: Actor) {
  const { tenantId, name, config } = createUpstreamInput.parse(input);
  const { transport, ...rest } = config;
  const server = await db.upstreamServer.create({
    data: { id: generateId("srv"), tenantId, name, transport, config: rest },
  });
  await recordAdminEvent(db, {
    actor,
    action: AdminAuditAction.upstreamCreated,
    tenantId,
    // Environment values may be secrets: record their names only.
    detail: { serverId: server.id, name, transport, envNames: "env" in rest ? Object.keys(rest.env) : [] },
  });
  return server;
}
