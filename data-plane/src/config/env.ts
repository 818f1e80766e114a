import { hostname } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { STORE_FAIL_MODES, type StoreFailMode } from "../limits/rate-limiter.ts";

const port = z.coerce.number().int().min(0).max(65_535);
/** Launchers pass unset variables as ""; treat that as unset. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const envSchema = z.object({
  DATA_PLANE_PORT: port.default(8080),
  DATA_PLANE_HOST: z.string().min(1).default("127.0.0.1"),
  ONLY1MCP_DATA_DIR: z.string().min(1).default(".data"),
  DATA_PLANE_STATE_DIR: z.string().min(1).optional(),
  ONLY1MCP_TRUSTED_KEYS_FILE: z.string().min(1).optional(),
  DATA_PLANE_NAME: z.string().min(1).max(128).optional(),
  DATA_PLANE_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Shared rate-limit counters (and cache) for a fleet; in memory without it. */
  REDIS_URL: optional(z.string().min(1)),
  /** What rate limiting does while Redis is unreachable: local (per-node counters), open or closed. */
  DATA_PLANE_RATE_LIMIT_FAIL_MODE: optional(z.enum(STORE_FAIL_MODES)).transform((v) => v ?? "local"),
  ONLY1MCP_REDIS_PREFIX: optional(z.string().min(1).max(64)).transform((v) => v ?? "only1mcp"),
  /** base64 of 32 bytes: AES-256-GCM key for cache entries in Redis (same on every node to share them). */
  ONLY1MCP_CACHE_KEY: optional(z.string().min(1)),
  /** Audit events are POSTed to `${ONLY1MCP_CONTROL_PLANE_URL}/api/v1/fleet/audit` with this node token. */
  ONLY1MCP_CONTROL_PLANE_URL: optional(z.url({ protocol: /^https?$/ })),
  ONLY1MCP_NODE_TOKEN: optional(z.string().min(1)),
  /** HTTPS: PEM certificate + key (override security.tls.cert_file/key_file); client CA turns on mTLS. */
  DATA_PLANE_TLS_CERT_FILE: optional(z.string().min(1)),
  DATA_PLANE_TLS_KEY_FILE: optional(z.string().min(1)),
  DATA_PLANE_TLS_CLIENT_CA_FILE: optional(z.string().min(1)),
  DATA_PLANE_NODE_ID: optional(z.string().min(1).max(128)),
  DATA_PLANE_AUDIT_FLUSH_MS: optional(z.coerce.number().int().min(10).max(60_000)).transform((v) => v ?? 1000),
  /** Size cap of the audit spool; decimals allowed (0.05 = 50 KiB). */
  DATA_PLANE_AUDIT_SPOOL_MAX_MB: optional(z.coerce.number().min(0.05).max(100_000)).transform((v) => v ?? 256),
  /** Shared by every replica of a fleet so any of them serves any session; random per process without it. */
  DATA_PLANE_SESSION_SECRET: optional(z.string().min(32)),
  DATA_PLANE_MAX_STDIO_PER_TENANT: optional(z.coerce.number().int().min(0)).transform((v) => v ?? 50),
  DATA_PLANE_MAX_STDIO_TOTAL: optional(z.coerce.number().int().min(0)).transform((v) => v ?? 500),
  DATA_PLANE_HEALTH_CHECK_MS: optional(z.coerce.number().int().min(0)).transform((v) => v ?? 30_000),
});

export type DataPlaneConfig = {
  port: number;
  host: string;
  stateDir: string;
  trustedKeysFile: string | undefined;
  name: string | undefined;
  logLevel: "debug" | "info" | "warn" | "error";
  redisUrl: string | undefined;
  redisPrefix: string;
  rateLimitFailMode: StoreFailMode;
  cacheKey: Buffer | undefined;
  audit: { controlPlaneUrl: string; nodeToken: string; flushMs: number; spoolMaxBytes: number } | undefined;
  nodeId: string;
  tls: { certFile?: string; keyFile?: string; clientCaFile?: string };
  sessionSecret: string | undefined;
  stdioLimits: { perTenant: number; total: number };
  /** How often an idle ready upstream is pinged (0 = never). */
  healthCheckMs: number;
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
    redisUrl: e.REDIS_URL,
    redisPrefix: e.ONLY1MCP_REDIS_PREFIX,
    rateLimitFailMode: e.DATA_PLANE_RATE_LIMIT_FAIL_MODE,
    cacheKey: e.ONLY1MCP_CACHE_KEY ? Buffer.from(e.ONLY1MCP_CACHE_KEY, "base64") : undefined,
    audit:
      e.ONLY1MCP_CONTROL_PLANE_URL && e.ONLY1MCP_NODE_TOKEN
        ? {
            controlPlaneUrl: e.ONLY1MCP_CONTROL_PLANE_URL.replace(/\/+$/, ""),
            nodeToken: e.ONLY1MCP_NODE_TOKEN,
            flushMs: e.DATA_PLANE_AUDIT_FLUSH_MS,
            spoolMaxBytes: Math.floor(e.DATA_PLANE_AUDIT_SPOOL_MAX_MB * 1024 * 1024),
          }
        : undefined,
    tls: {
      certFile: e.DATA_PLANE_TLS_CERT_FILE,
      keyFile: e.DATA_PLANE_TLS_KEY_FILE,
      clientCaFile: e.DATA_PLANE_TLS_CLIENT_CA_FILE,
    },
    nodeId: e.DATA_PLANE_NODE_ID ?? e.DATA_PLANE_NAME ?? hostname(),
    sessionSecret: e.DATA_PLANE_SESSION_SECRET,
    stdioLimits: { perTenant: e.DATA_PLANE_MAX_STDIO_PER_TENANT, total: e.DATA_PLANE_MAX_STDIO_TOTAL },
    healthCheckMs: e.DATA_PLANE_HEALTH_CHECK_MS,
    configFile: configFile ? path.resolve(configFile) : undefined,
  };
}
