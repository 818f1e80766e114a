import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { databaseConfigFrom } from "./database-config.ts";
import { openPglite } from "./pglite.ts";

/**
 * The driver adapter the Prisma CLI (migrate deploy) uses, chosen like the
 * runtime client's. Postgres settings are passed field by field: given a
 * connection string, `migrate dev` would reuse the main database as its shadow.
 */
export async function createMigrationAdapter(env: NodeJS.ProcessEnv) {
  const config = databaseConfigFrom(env);
  if (config.kind === "pglite") return new PrismaPGlite(await openPglite(config.dataDir));
  const url = new URL(config.url);
  return new PrismaPg(
    {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
    },
    url.searchParams.get("schema") ? { schema: url.searchParams.get("schema") ?? undefined } : undefined,
  );
}
