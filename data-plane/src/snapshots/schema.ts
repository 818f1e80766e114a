import { z } from "zod";
import { policyDocumentSchema } from "../policy/policy-schema.ts";
import { observabilitySchema, securitySettingsSchema } from "../security/security-schema.ts";

/**
 * snapshot.v1: the whole configuration of a data plane. The control plane
 * compiles and signs it; a local YAML config file has the same shape. Both load
 * into the same internal representation (see ./load.ts).
 */
export const SNAPSHOT_SCHEMA = "snapshot.v1";

const isoDate = z.iso.datetime({ offset: true });
const name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "letters, digits, '_', '.', '-'; starting with a letter or digit");

export const apiKeyEntrySchema = z.strictObject({
  id: z.string().min(1),
  /** The public part of the key, used to find its hash without trying every one. */
  prefix: z.string().min(4).max(32),
  /** bcrypt hash of the whole key; the key itself never leaves the caller. */
  hash: z.string().regex(/^\$2[aby]\$\d{2}\$.{53}$/, "a bcrypt hash"),
  expiresAt: isoDate.nullable().default(null),
  /** Roles policies can bind to (`appliesTo.roles`). */
  roles: z.array(z.string().min(1).max(64)).max(64).optional(),
});

/** The naming every upstream transport shares. */
const naming = {
  /**
   * What prefixes this upstream's tool and prompt names (`<prefix><separator><name>`);
   * defaults to the upstream's name. "" exposes names unprefixed where they do not clash.
   */
  prefix: z
    .string()
    .max(32)
    .regex(/^[A-Za-z0-9_.-]*$/)
    .optional(),
  separator: z
    .string()
    .min(1)
    .max(4)
    .regex(/^[A-Za-z0-9_.-]+$/)
    .optional(),
};

export const stdioUpstreamSchema = z.strictObject({
  id: z.string().min(1),
  name,
  transport: z.literal("stdio"),
  ...naming,

  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  /** Environment given to the process; nothing else is inherited beyond PATH/HOME. */
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
  /** false: the sandbox starts this server without network (own network namespace, Linux). */
  network: z.boolean().optional(),
  /** Stop the process after this long without calls (its lists stay known); the next call starts it again. */
  idleTimeoutMs: z.number().int().min(1000).optional(),
  /**
   * The server keeps per-client state: each legacy client session gets its own process
   * (started on its first call, stopped on DELETE or after idleTimeoutMs / 5 min unused).
   * Absent/false: one process shared by every session.
   */
  stateful: z.boolean().optional(),
});

/**
 * TLS toward an HTTPS upstream: trust (`caFile` instead of the system CAs), mutual TLS
 * (`certFile` + `keyFile`, PEM files on the data plane's host: no key travels in the
 * snapshot), and pinning (`pinSha256`: base64 sha256 of the server certificate's
 * SubjectPublicKeyInfo, as in `openssl x509 -pubkey | openssl pkey -pubin -outform der |
 * openssl dgst -sha256 -binary | base64`). A pinned upstream whose key matches no pin is
 * refused (state down, error names both).
 */
export const upstreamTlsSchema = z
  .strictObject({
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    pinSha256: z
      .array(z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "base64 of a sha256 digest (44 characters)"))
      .min(1)
      .max(16)
      .optional(),
    /** SNI and the name the certificate must carry, when it differs from the URL's host. */
    serverName: z.string().min(1).optional(),
  })
  .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), {
    message: "certFile and keyFile go together (mutual TLS)",
    path: ["keyFile"],
  });

/**
 * OAuth 2.0 Token Exchange (RFC 8693) for an upstream that accepts per-user tokens: a
 * caller authenticated by an access token (JWT) has it exchanged at `tokenEndpoint` for
 * a token for this upstream's `audience`/`resource`, cached until it expires, and sent
 * as that call's Authorization. The caller's own token never reaches the upstream.
 * The client secret is read from the data plane's environment (`clientSecretEnv`), so
 * it never travels in a snapshot.
 */
export const tokenExchangeSchema = z.strictObject({
  tokenEndpoint: z.url({ protocol: /^https?$/ }),
  clientId: z.string().min(1),
  clientSecretEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  audience: z.string().min(1).optional(),
  resource: z.url().optional(),
  scope: z.string().min(1).optional(),
});

export const httpUpstreamSchema = z.strictObject({
  id: z.string().min(1),
  name,
  transport: z.literal("http"),
  ...naming,

  url: z.url({ protocol: /^https?$/ }),
  /**
   * More endpoints of the same logical server (replicas): calls go to the ready endpoint
   * with the fewest calls in flight, and move to another when one cannot be reached.
   */
  replicas: z
    .array(z.url({ protocol: /^https?$/ }))
    .max(16)
    .optional(),
  headers: z.record(z.string(), z.string()).default({}),
  /** mTLS, private CAs and certificate pinning for an https:// url (src/tls/upstream-tls.ts). */
  tls: upstreamTlsSchema.optional(),
  /** Per-user tokens by RFC 8693 token exchange (src/auth/token-exchange.ts). */
  tokenExchange: tokenExchangeSchema.optional(),
});

/** A server of the older HTTP+SSE transport (2024-11-05): `url` is its SSE stream (e.g. `/sse`). */
export const sseUpstreamSchema = httpUpstreamSchema.omit({ transport: true, replicas: true }).extend({
  transport: z.literal("sse"),
});

export const upstreamSchema = z.discriminatedUnion("transport", [
  stdioUpstreamSchema,
  httpUpstreamSchema,
  sseUpstreamSchema,
]);

export const policyEntrySchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  rules: policyDocumentSchema,
});

/**
 * A secret an upstream's env or header value names as `secret://<name>`: encrypted
 * with the fleet data key (compact JWE, alg dir, enc A256GCM, kid of the data key),
 * never in clear. `fingerprint` (HMAC-SHA256 under the data key) changes only when
 * the value does, so a re-encrypted unchanged value restarts nothing.
 */
export const sealedSecretSchema = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  jwe: z.string().regex(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/, "a compact JWE (dir)"),
});

export const tenantEntrySchema = z.strictObject({
  id: z.string().min(1),
  slug: z.string().min(1).max(64),
  name: z.string().min(1),
  apiKeys: z.array(apiKeyEntrySchema).default([]),
  upstreams: z.array(upstreamSchema).default([]),
  policies: z.array(policyEntrySchema).default([]),
  /** Sealed secrets by name, referenced from upstream env/header values as `secret://<name>`. */
  secrets: z.record(z.string().min(1).max(256), sealedSecretSchema).optional(),
});

export const snapshotPayloadSchema = z.strictObject({
  schema: z.literal(SNAPSHOT_SCHEMA),
  version: z.number().int().positive(),
  issuedAt: isoDate,
  expiresAt: isoDate.nullable().default(null),
  tenants: z.array(tenantEntrySchema).default([]),
  /**
   * Signing-key rotation: the Ed25519 public keys (with kid) data planes trust once this
   * snapshot is applied — the active key, a staged next key, retired keys still inside
   * their overlap. Announced by a snapshot that verified, so a node follows a rotation
   * without reading its trusted-keys file again; a key no longer announced is retired.
   */
  trustedKeys: z
    .array(
      z.looseObject({
        kty: z.literal("OKP"),
        crv: z.literal("Ed25519"),
        x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
        kid: z.string().min(1).max(128),
      }),
    )
    .min(1)
    .max(16)
    .optional(),
  /** The seed's `security:` block, as written (see src/security/security-schema.ts). */
  security: securitySettingsSchema.optional(),
  /** The seed's top-level `observability:` block (audit); same as `security.observability`. */
  observability: observabilitySchema.optional(),
});

export type SnapshotPayload = z.infer<typeof snapshotPayloadSchema>;
export type SnapshotPayloadInput = z.input<typeof snapshotPayloadSchema>;
export type TenantEntry = z.infer<typeof tenantEntrySchema>;
export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;
export type UpstreamEntry = z.infer<typeof upstreamSchema>;
export type StdioUpstreamEntry = z.infer<typeof stdioUpstreamSchema>;
export type SealedSecret = z.infer<typeof sealedSecretSchema>;
export type HttpUpstreamEntry = z.infer<typeof httpUpstreamSchema>;
export type UpstreamTls = z.infer<typeof upstreamTlsSchema>;
export type TokenExchangeSettings = z.infer<typeof tokenExchangeSchema>;
export type SseUpstreamEntry = z.infer<typeof sseUpstreamSchema>;

/** The JWS protected header's typ for snapshots, so no other JWS is mistaken for one. */
export const SNAPSHOT_JWS_TYPE = "only1mcp-snapshot+jws";
