// Prisma 6.19 with the JS engine and a driver adapter: the CLI never downloads a
// native engine. DATABASE_URL selects Postgres; without it, embedded PGlite in the
// data dir. .env is not loaded when this file exists, so defaults live here.
import path from "node:path";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const { createMigrationAdapter } = await import("./control-plane/src/db/migration-adapter.ts");
    return createMigrationAdapter(process.env);
  },
});
