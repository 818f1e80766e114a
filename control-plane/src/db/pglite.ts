import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";

/**
 * Opens the embedded Postgres. PGlite is single-process: whoever opens the
 * data directory owns it until close().
 */
export async function openPglite(dataDir: string): Promise<PGlite> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pg = await PGlite.create({ dataDir });
  // Without this the Prisma CLI hangs on an existing data directory.
  await pg.exec("ALTER SYSTEM SET log_startup_progress_interval = 0");
  return pg;
}
