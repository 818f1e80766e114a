import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65_535);

const envSchema = z.object({
  DATA_PLANE_PORT: port.default(8080),
  DATA_PLANE_HOST: z.string().min(1).default("127.0.0.1"),
  ONLY1MCP_DATA_DIR: z.string().min(1).default(".data"),
  DATA_PLANE_STATE_DIR: z.string().min(1).optional(),
  ONLY1MCP_TRUSTED_KEYS_FILE: z.string().min(1).optional(),
  DATA_PLANE_NAME: z.string().min(1).max(128).optional(),
  DATA_PLANE_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Shared by every replica of a fleet so any of them serves any session; random per process without it. */
  DATA_PLANE_SESSION_SECRET: z.string().min(32).optional(),
  DATA_PLANE_MAX_STDIO_PER_TENANT: z.coerce.number().int().min(0).default(50),
  DATA_PLANE_MAX_STDIO_TOTAL: z.coerce.number().int().min(0).default(500),
});

export type DataPlaneConfig = {
  port: number;
  host: string;
  stateDir: string;
  trustedKeysFile: string | undefined;
  name: string | undefined;
  logLevel: "debug" | "info" | "warn" | "error";
  sessionSecret: string | undefined;
  stdioLimits: { perTenant: number; total: number };
  /** Standalone mode: a local snapshot.v1-shaped YAML file instead of pushed snapshots. */
  configFile: string | undefined;
};

export class ConfigError extends Error {}

/** Parses environment and CLI flags once, at boot; throws ConfigError with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): DataPlaneConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`invalid environment: ${problems}`);
  }
  let configFile: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { config: { type: "string", short: "c" } },
      allowPositionals: false,
      strict: true,
    });
    configFile = values.config;
  } catch (error) {
    throw new ConfigError(`invalid arguments: ${(error as Error).message}`);
  }
  const e = parsed.data;
  return {
    port: e.DATA_PLANE_PORT,
    host: e.DATA_PLANE_HOST,
    stateDir: path.resolve(e.DATA_PLANE_STATE_DIR ?? path.join(e.ONLY1MCP_DATA_DIR, "data-plane")),
    trustedKeysFile: e.ONLY1MCP_TRUSTED_KEYS_FILE ? path.resolve(e.ONLY1MCP_TRUSTED_KEYS_FILE) : undefined,
    name: e.DATA_PLANE_NAME,
    logLevel: e.DATA_PLANE_LOG_LEVEL,
    sessionSecret: e.DATA_PLANE_SESSION_SECRET,
    stdioLimits: { perTenant: e.DATA_PLANE_MAX_STDIO_PER_TENANT, total: e.DATA_PLANE_MAX_STDIO_TOTAL },
    configFile: configFile ? path.resolve(configFile) : undefined,
  };
}
