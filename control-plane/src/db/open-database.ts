import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { type DatabaseConfig, databaseConfigFrom } from "./database-config.ts";
import { PrismaClient } from "./generated/client.ts";
import { openPglite } from "./pglite.ts";

export type Database = PrismaClient;
/** A database client or an interactive transaction: domain functions accept either. */
export type Db = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type OpenDatabase = { db: Database; config: DatabaseConfig; close(): Promise<void> };

export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  if (config.kind === "postgres") {
    const url = new URL(config.url);
    const schema = url.searchParams.get("schema") ?? undefined;
    url.searchParams.delete("schema");
    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString() }, { schema }) });
    await db.$connect();
    return { db, config, close: () => db.$disconnect() };
  }
  const pglite = await openPglite(config.dataDir);
  // pglite-prisma-adapter 0.6 pins its own driver-adapter-utils types; the runtime
  // contract is the same (see DESIGN.md, verified with Prisma 6.19).
  const adapter = new PrismaPGlite(pglite) as unknown as PrismaPg;
  const db = new PrismaClient({ adapter });
  await db.$connect();
  return {
    db,
    config,
    async close() {
      await db.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export function openDatabaseFromEnv(env: NodeJS.ProcessEnv): Promise<OpenDatabase> {
  return openDatabase(databaseConfigFrom(env));
}
