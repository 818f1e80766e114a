import path from "node:path";

/** Where the database lives: real Postgres when DATABASE_URL is set, else embedded PGlite. */
export type DatabaseConfig = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export function dataDirFrom(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.ONLY1MCP_DATA_DIR ?? ".data");
}

export function databaseConfigFrom(env: NodeJS.ProcessEnv): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) return { kind: "postgres", url };
  return { kind: "pglite", dataDir: path.join(dataDirFrom(env), "pglite") };
}
