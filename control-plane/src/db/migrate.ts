import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseConfig } from "./database-config.ts";
import type { Database } from "./open-database.ts";

/** The repository root, where prisma.config.ts and prisma/migrations live. */
export function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "prisma.config.ts"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find the repository root (prisma.config.ts)");
    dir = parent;
  }
  return dir;
}

export function committedMigrations(root = repositoryRoot()): string[] {
  const dir = path.join(root, "prisma", "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Names of committed migrations not yet applied (all of them on an empty database). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const committed = committedMigrations();
  const [table] = await db.$queryRaw<Array<{ exists: boolean }>>`
    SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`;
  if (!table?.exists) return committed;
  const applied = await db.$queryRaw<Array<{ migration_name: string }>>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const done = new Set(applied.map((row) => row.migration_name));
  return committed.filter((name) => !done.has(name));
}

/**
 * Applies committed migrations with `prisma migrate deploy`, the same command on
 * Postgres and PGlite. For PGlite the database must not be open in this process.
 */
export async function deployMigrations(config: DatabaseConfig): Promise<void> {
  const root = repositoryRoot();
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  if (config.kind === "postgres") env.DATABASE_URL = config.url;
  else {
    delete env.DATABASE_URL;
    env.ONLY1MCP_DATA_DIR = path.dirname(config.dataDir);
  }
  const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [prismaBin, "migrate", "deploy"], { cwd: root, env, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`)),
    );
  });
}
