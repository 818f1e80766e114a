import { randomBytes } from "node:crypto";
import pg from "pg";
import { deployMigrations } from "../db/migrate.ts";
import { type OpenDatabase, openDatabase } from "../db/open-database.ts";

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/**
 * A fresh database on the real Postgres with the committed migrations applied,
 * dropped again by drop(). Each test file gets its own.
 */
export async function createTestDatabase(): Promise<OpenDatabase & { url: string; drop(): Promise<void> }> {
  const name = `only1mcp_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const config = { kind: "postgres" as const, url: url.toString() };
  await deployMigrations(config);
  const database = await openDatabase(config);
  return {
    ...database,
    url: config.url,
    async drop() {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
