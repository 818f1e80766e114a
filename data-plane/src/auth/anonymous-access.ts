import type { SnapshotPayload } from "../snapshots/schema.ts";

/** Who a request without a credential acts as, when the configuration admits it. */
export type AnonymousAccess = { tenantId: string; roles: string[] };

/**
 * `security.auth.required: false` with an `anonymous_tenant` that exists in the
 * configuration → anonymous access to that tenant; anything else → none (a credential
 * is required). A named tenant the snapshot lacks fails closed.
 */
export function anonymousAccess(payload: SnapshotPayload | undefined): AnonymousAccess | undefined {
  const auth = payload?.security?.auth;
  if (!payload || !auth || auth.required || !auth.anonymous_tenant) return undefined;
  const name = auth.anonymous_tenant;
  const tenant = payload.tenants.find((entry) => entry.id === name) ?? payload.tenants.find((t) => t.slug === name);
  return tenant ? { tenantId: tenant.id, roles: auth.anonymous_roles } : undefined;
}

/** Anonymous callers are told apart by address: limits and private cache entries are per client. */
export function anonymousKeyId(clientAddress: string | undefined): string {
  return `anonymous:${clientAddress ?? "unknown"}`;
}
