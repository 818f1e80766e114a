// The data plane's configuration for a bench target: one tenant, one API key,
// one echo upstream. Written as a local config file (snapshot.v1 payload shape).
import { randomBytes } from "node:crypto";
import {
  formatApiKey,
  SNAPSHOT_SCHEMA,
  type SnapshotPayloadInput,
  snapshotPayloadSchema,
  tenantEntrySchema,
} from "@only1mcp/data-plane";
import bcrypt from "bcrypt";
import { Skip } from "./types.ts";

type TenantInput = NonNullable<SnapshotPayloadInput["tenants"]>[number];
type UpstreamInput = NonNullable<TenantInput["upstreams"]>[number];

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

/**
 * Enforcement off: the snapshot schema has no switch for it yet (issue 4 adds one).
 * When a tenant- or payload-level `enforcement` field appears, the first of these
 * values that the schema itself accepts is used; until then the scenario is skipped.
 */
const OFF_CANDIDATES: unknown[] = [false, "off", { enabled: false }, { mode: "off" }];

function enforcementOff(tenant: TenantInput): { tenant: TenantInput; top: Record<string, unknown> } {
  for (const value of OFF_CANDIDATES) {
    const onTenant = { ...tenant, enforcement: value };
    if (tenantEntrySchema.safeParse(onTenant).success) return { tenant: onTenant as TenantInput, top: {} };
    const payload = { schema: SNAPSHOT_SCHEMA, version: 1, issuedAt: new Date().toISOString(), tenants: [tenant] };
    if (snapshotPayloadSchema.safeParse({ ...payload, enforcement: value }).success) {
      return { tenant, top: { enforcement: value } };
    }
  }
  throw new Skip("the data plane has no way to switch enforcement off yet (no `enforcement` field in snapshot.v1)");
}

export async function benchConfig(
  upstream: UpstreamInput,
  enforcement: "on" | "off",
): Promise<{ config: Record<string, unknown>; apiKey: string }> {
  const { key, prefix } = makeApiKey();
  let tenant: TenantInput = {
    id: "ten_bench",
    slug: "bench",
    name: "Bench tenant",
    apiKeys: [{ id: "key_bench", prefix, hash: await bcrypt.hash(key, 10), expiresAt: null }],
    upstreams: [upstream],
    policies: [],
  };
  let top: Record<string, unknown> = {};
  if (enforcement === "off") ({ tenant, top } = enforcementOff(tenant));
  const config = {
    schema: SNAPSHOT_SCHEMA,
    version: 1,
    issuedAt: new Date().toISOString(),
    expiresAt: null,
    ...top,
    tenants: [tenant],
  };
  return { config, apiKey: key };
}
