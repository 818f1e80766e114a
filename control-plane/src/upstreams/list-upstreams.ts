import type { Db } from "../db/open-database.ts";
import { maskSecrets } from "../masking/mask-secrets.ts";
import { upstreamConfigSchema } from "./upstream-config.ts";

/** The tenant's upstream servers; env and header values are masked (they may be secrets). */
export async function listUpstreams(db: Db, tenantId: string) {
  const rows = await db.upstreamServer.findMany({ where: { tenantId }, orderBy: { name: "asc" } });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    transport: row.transport,
    enabled: row.enabled,
    config: maskSecrets(upstreamConfigSchema.parse({ transport: row.transport, ...(row.config as object) })),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }));
}
