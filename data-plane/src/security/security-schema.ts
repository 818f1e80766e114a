import { z } from "zod";

/**
 * The seed's "recommended security configuration" block, accepted as written
 * (snake_case, same keys) in a snapshot and in the standalone YAML file, plus the
 * few fields the seed leaves implicit (certificate paths, JWKS URL, windows).
 * Strict objects: a misspelt key is an error, not a silently ignored setting.
 */

const positiveInt = z.number().int().positive();

export const tlsSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  min_version: z.enum(["1.2", "1.3"]).default("1.3"),
  cipher_suites: z
    .array(z.string().regex(/^TLS_[A-Z0-9_]+$/))
    .default(["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]),
  /** PEM files; when both are set and `enabled`, /mcp is served over HTTPS. */
  cert_file: z.string().min(1).optional(),
  key_file: z.string().min(1).optional(),
  /** Mutual TLS: clients must present a certificate signed by this CA. */
  client_ca_file: z.string().min(1).optional(),
  require_client_cert: z.boolean().default(false),
});

export const jwtSettingsSchema = z.strictObject({
  algorithm: z.union([z.enum(["RS256", "ES256"]), z.array(z.enum(["RS256", "ES256"])).min(1)]).default("RS256"),
  issuer: z.string().min(1),
  audience: z.string().min(1),
  /** The issuer's JWKS; cached and refreshed on an unknown kid. */
  jwks_url: z.url({ protocol: /^https?$/ }).optional(),
  /** Scopes every token must carry (403 insufficient_scope otherwise). */
  required_scopes: z.array(z.string().min(1)).default([]),
  /** The claim that names the tenant (the tenant id or slug). */
  tenant_claim: z.string().min(1).default("tenant"),
  clock_tolerance_seconds: z.number().int().min(0).max(300).default(30),
});

/**
 * `required: false` admits requests without a credential — only when the tenant they
 * act in is named (`anonymous_tenant`, id or slug); they carry `anonymous_roles` for
 * policies to bind to and are limited per client address. A credential that is sent is
 * always checked (a wrong one is still 401).
 */
export const authSettingsSchema = z
  .strictObject({
    required: z.boolean().default(true),
    jwt: jwtSettingsSchema.optional(),
    anonymous_tenant: z.string().min(1).optional(),
    anonymous_roles: z.array(z.string().min(1).max(64)).max(64).default(["anonymous"]),
  })
  .refine((auth) => auth.required || auth.anonymous_tenant !== undefined, {
    path: ["anonymous_tenant"],
    message: "auth.required: false needs anonymous_tenant (the tenant anonymous callers act in)",
  });

export const rateLimitingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Requests per window across this data plane (or the fleet, with REDIS_URL). */
  global_limit: positiveInt.optional(),
  /** Requests per window per API key / token subject. */
  per_client_limit: positiveInt.optional(),
  /** Requests per window per tenant. */
  per_tenant_limit: positiveInt.optional(),
  window_seconds: positiveInt.max(86_400).default(60),
  /** Requests in progress at once per key. */
  max_concurrent_per_client: positiveInt.max(100_000).optional(),
  /** Failed credential attempts per key id and per client address per window before bcrypt is skipped. */
  failed_auth_limit: positiveInt.default(10),
});

export const sandboxSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  max_memory_mb: positiveInt.optional(),
  max_cpu_percent: z.number().int().min(1).max(100).optional(),
  max_open_files: positiveInt.optional(),
  max_processes: positiveInt.optional(),
  /** Variables passed through from the data plane's environment (nothing else is inherited). */
  env_allow: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).default(["PATH", "HOME"]),
  /** Unix user to run stdio upstreams as when the data plane runs as root. */
  run_as_user: z.string().min(1).default("nobody"),
  no_network: z.boolean().default(false),
});

export const auditSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  events: z
    .array(
      z.enum(["authentication", "authorization", "configuration_change", "server_access", "admin_actions", "call"]),
    )
    .default(["authentication", "authorization", "call"]),
  retention: z
    .string()
    .regex(/^\d+[dhm]$/)
    .optional(),
});

export const observabilitySchema = z.strictObject({ audit: auditSettingsSchema.optional() });

export const requestLimitsSchema = z.strictObject({
  max_body_bytes: positiveInt.max(64 * 1024 * 1024).default(4 * 1024 * 1024),
  max_json_depth: positiveInt.max(1000).default(64),
  upstream_timeout_ms: positiveInt.max(3_600_000).default(60_000),
});

export const securitySettingsSchema = z.strictObject({
  tls: tlsSettingsSchema.optional(),
  auth: authSettingsSchema.optional(),
  rate_limiting: rateLimitingSchema.optional(),
  sandbox: sandboxSettingsSchema.optional(),
  observability: observabilitySchema.optional(),
  limits: requestLimitsSchema.optional(),
});

export type SecuritySettings = z.infer<typeof securitySettingsSchema>;
export type RateLimitingSettings = z.infer<typeof rateLimitingSchema>;
export type RequestLimits = z.infer<typeof requestLimitsSchema>;
export type JwtSettings = z.infer<typeof jwtSettingsSchema>;
export type AuthSettings = z.infer<typeof authSettingsSchema>;
export type SandboxSettings = z.infer<typeof sandboxSettingsSchema>;
export type AuditSettings = z.infer<typeof auditSettingsSchema>;
export type ObservabilitySettings = z.infer<typeof observabilitySchema>;

export const DEFAULT_REQUEST_LIMITS: RequestLimits = requestLimitsSchema.parse({});
