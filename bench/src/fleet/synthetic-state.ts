// A synthetic fleet configuration of a given size, built in memory: what the
// compiler would read from the database. Key hashes have the bcrypt format but
// are random (hashing 10k keys would measure bcrypt, not the snapshot).
import { policyDocumentSchema, type TenantEntry } from "@only1mcp/data-plane";
import { allowEchoPolicy, alnum } from "../targets/data-plane-config.ts";

export type StateSize = { tenants: number; keys: number; policies: number; upstreams: number; upstreamUrl?: string };

export function syntheticTenants(size: StateSize): TenantEntry[] {
  return Array.from({ length: size.tenants }, (_, t): TenantEntry => {
    const share = (total: number) => Math.floor(total / size.tenants) + (t < total % size.tenants ? 1 : 0);
    const tid = `ten_${String(t).padStart(5, "0")}`;
    return {
      id: tid,
      slug: `tenant-${t}`,
      name: `Tenant ${t}`,
      apiKeys: Array.from({ length: share(size.keys) }, (_, k) => ({
        id: `key_${t}_${String(k).padStart(6, "0")}`,
        prefix: alnum(12),
        hash: `$2b$10$${alnum(53)}`,
        expiresAt: null,
      })),
      upstreams: Array.from({ length: share(size.upstreams) }, (_, u) => ({
        id: `ups_${t}_${u}`,
        name: `server-${u}`,
        transport: "http" as const,
        url: size.upstreamUrl ?? "http://127.0.0.1:9/mcp",
        headers: {},
      })),
      policies: Array.from({ length: share(size.policies) }, (_, p) => ({
        id: `pol_${t}_${String(p).padStart(5, "0")}`,
        name: `policy-${p}`,
        rules: policyDocumentSchema.parse(allowEchoPolicy(`server-${p % 10}`)),
      })),
    };
  });
}

/** 10k keys and 1k policies, spread over 100 tenants (the snapshot size). */
export const SNAPSHOT_SIZE: StateSize = { tenants: 100, keys: 10_000, policies: 1_000, upstreams: 0 };
