import type { Db } from "../db/open-database.ts";

/** Newest first, without the JWS bodies. */
export async function listSnapshots(db: Db, options: { limit?: number } = {}) {
  const rows = await db.snapshot.findMany({
    orderBy: { version: "desc" },
    take: Math.min(options.limit ?? 50, 500),
    select: {
      version: true,
      sha256: true,
      contentHash: true,
      sizeBytes: true,
      createdAt: true,
      createdById: true,
      kid: true,
      expiresAt: true,
      status: true,
      stagedNodeIds: true,
    },
  });
  return rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    stagedNodeIds: (row.stagedNodeIds as string[] | null) ?? null,
  }));
}
