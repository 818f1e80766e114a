// A throwaway database on the local Postgres (127.0.0.1:5432, trust auth) with
// the committed migrations applied; dropped at the end of the run.
import { randomBytes } from "node:crypto";
import { type Database, deployMigrations, openDatabase } from "@only1mcp/control-plane";
import pg from "pg";
import { Skip } from "../targets/types.ts";

export type ThrowawayDatabase = { db: Database; url: string; drop(): Promise<void> };

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `only1mcp_bench_${randomBytes(6).toString("hex")}`;
  try {
    await adminQuery(`CREATE DATABASE ${name}`);
  } catch (error) {
    throw new Skip(`no Postgres at ${new URL(ADMIN_URL).host}: ${(error as Error).message}`);
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const config = { kind: "postgres" as const, url: url.toString() };
  await deployMigrations(config);
  const { db, close } = await openDatabase(config);
  return {
    db,
    url: config.url,
    async drop() {
      await close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
