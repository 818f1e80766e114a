// The data plane's configuration for a bench target: one tenant, one API key,
// one echo upstream. Written as a local config file (snapshot.v1 payload shape).
//
// "Enforcement on" is everything the data plane's schema lets the bench switch
// on: the API key always; and, where the schema accepts them, a policy (CASL
// rule, tool allow/deny globs, an argument constraint, a per-key rate limit) and
// a `security` block with rate limiting and audit enabled, with limits far above
// what the bench sends. "Enforcement off" is whatever the schema lets it switch
// off; while it offers no switch, that target is skipped with the reason. Every
// candidate is validated with the data plane's own schema before use, so this
// file works before and after those features land.
import { randomBytes } from "node:crypto";
import { formatApiKey, SNAPSHOT_SCHEMA, type SnapshotPayloadInput, snapshotPayloadSchema } from "@only1mcp/data-plane";
import bcrypt from "bcrypt";
import { Skip } from "./types.ts";

type TenantInput = NonNullable<SnapshotPayloadInput["tenants"]>[number];
type UpstreamInput = NonNullable<TenantInput["upstreams"]>[number];
type Config = Record<string, unknown> & { tenants: Record<string, unknown>[] };

export function alnum(n: number): string {
  let out = "";
  while (out.length < n)
    out += randomBytes(n)
      .toString("base64")
      .replace(/[^A-Za-z0-9]/g, "");
  return out.slice(0, n);
}

export function makeApiKey(): { key: string; prefix: string } {
  const prefix = alnum(12);
  return { key: formatApiKey(prefix, alnum(40)), prefix };
}

const HIGH = 100_000_000;

/** A policy that lets the echo tool through while exercising every kind of check. */
export function allowEchoPolicy(server: string): Record<string, unknown> {
  return {
    rules: [{ action: "call", subject: "Tool", conditions: { server } }],
    tools: { allow: [`${server}__*`], deny: [`${server}__delete_*`] },
    argumentConstraints: [
      {
        tool: `${server}__echo`,
        schema: { type: "object", properties: { message: { type: "string", maxLength: 10_000 } } },
      },
    ],
    rateLimits: { perKey: { requests: HIGH, windowSeconds: 60 } },
  };
}

const SECURITY_ON = {
  rate_limiting: { enabled: true, global_limit: HIGH, per_client_limit: HIGH, per_tenant_limit: HIGH },
  observability: { audit: { enabled: true } },
};
/** Anonymous access needs the tenant it acts in (`anonymous_tenant`); the bench's key is still accepted. */
const securityOff = (tenantId: string) => ({
  auth: { required: false, anonymous_tenant: tenantId },
  rate_limiting: { enabled: false },
  observability: { audit: { enabled: false } },
});
/** A dedicated switch, if the schema grows one, in the shapes it is likely to take. */
const OFF_SWITCHES: unknown[] = [false, "off", { enabled: false }, { mode: "off" }];

function valid(config: Config): boolean {
  return snapshotPayloadSchema.safeParse(config).success;
}

/** Applies the first variant the schema accepts; returns what was applied. */
function firstValid(base: Config, variants: { name: string; apply: (c: Config) => Config }[]): string[] {
  const applied: string[] = [];
  let current = base;
  for (const variant of variants) {
    const next = variant.apply(current);
    if (valid(next)) {
      current = next;
      applied.push(variant.name);
    }
  }
  Object.assign(base, current);
  return applied;
}

export async function benchConfig(
  upstream: UpstreamInput,
  enforcement: "on" | "off",
): Promise<{ config: Config; apiKey: string; enforcement: string }> {
  const { key, prefix } = makeApiKey();
  const tenant = {
    id: "ten_bench",
    slug: "bench",
    name: "Bench tenant",
    apiKeys: [{ id: "key_bench", prefix, hash: await bcrypt.hash(key, 10), expiresAt: null }],
    upstreams: [upstream],
    policies: [] as unknown[],
  };
  const config: Config = {
    schema: SNAPSHOT_SCHEMA,
    version: 1,
    issuedAt: new Date().toISOString(),
    expiresAt: null,
    tenants: [tenant],
  };
  if (enforcement === "on") {
    const applied = firstValid(config, [
      {
        name: "policy (CASL rule, tool globs, argument constraint, per-key rate limit)",
        apply: (c) => ({
          ...c,
          tenants: [
            { ...tenant, policies: [{ id: "pol_bench", name: "bench", rules: allowEchoPolicy(upstream.name) }] },
          ],
        }),
      },
      { name: "rate limiting + audit (security block)", apply: (c) => ({ ...c, security: SECURITY_ON }) },
    ]);
    return { config, apiKey: key, enforcement: `configured: ${["API key", ...applied].join(", ")}` };
  }
  for (const value of OFF_SWITCHES) {
    const onTenant = { ...config, tenants: [{ ...tenant, enforcement: value }] };
    if (valid(onTenant)) return { config: onTenant, apiKey: key, enforcement: "off (tenant switch)" };
    const onPayload = { ...config, enforcement: value };
    if (valid(onPayload)) return { config: onPayload, apiKey: key, enforcement: "off (snapshot switch)" };
  }
  const withSecurityOff = { ...config, security: securityOff(tenant.id) };
  if (valid(withSecurityOff)) {
    return {
      config: withSecurityOff,
      apiKey: key,
      enforcement: "no policy; auth.required false, rate limiting and audit disabled (security block)",
    };
  }
  throw new Skip("the data plane has no way to switch enforcement off yet (snapshot.v1 has no switch for it)");
}
