import { createMongoAbility, type MongoAbility, type RawRuleOf } from "@casl/ability";
import type { SnapshotPayload, TenantEntry } from "../snapshots/schema.ts";
import { CallerAccess, type CompiledRestrictions, type PolicyLimits } from "./caller-access.ts";
import { compileGlobs, type NameMatcher } from "./glob.ts";
import type { PolicyDocument } from "./policy-schema.ts";
import { compileOnFirstUse, failClosed, newAjv } from "./schema-compiler.ts";

type CompiledPolicy = {
  id: string;
  keys: ReadonlySet<string>;
  roles: ReadonlySet<string>;
  everyone: boolean;
  restrictions: CompiledRestrictions;
  rules: readonly RawRuleOf<MongoAbility>[];
  document: PolicyDocument;
};

const UNRESTRICTED = new CallerAccess([], undefined, []);
const NO_ROLES: readonly string[] = [];
const MAX_MEMO_KEYS_PER_TENANT = 100_000;

/**
 * Every tenant's policies compiled once per snapshot: glob lists into one RegExp
 * each, argument constraints into ajv validators. `accessFor` returns the same
 * CallerAccess object for every caller with the same applicable policies, so
 * per-tool decisions are shared and memoised.
 */
export class PolicyEngine {
  private readonly accessCache = new Map<string, CallerAccess>();
  /** Per tenant, per key: the answer for the roles array it was given (the key index hands out the same one). */
  private readonly byKey = new Map<string, Map<string, { roles: readonly string[]; access: CallerAccess }>>();

  private constructor(private readonly byTenant: ReadonlyMap<string, readonly CompiledPolicy[]>) {}

  static empty(): PolicyEngine {
    return new PolicyEngine(new Map());
  }

  static fromPayload(payload: Pick<SnapshotPayload, "tenants">): PolicyEngine {
    const ajv = newAjv();
    const byTenant = new Map<string, CompiledPolicy[]>();
    for (const tenant of payload.tenants) byTenant.set(tenant.id, compileTenant(tenant, ajv));
    return new PolicyEngine(byTenant);
  }

  accessFor(tenantId: string, keyId: string, roles: readonly string[] = NO_ROLES): CallerAccess {
    let keys = this.byKey.get(tenantId);
    const known = keys?.get(keyId);
    if (known && known.roles === roles) return known.access;
    const access = this.resolveAccess(tenantId, keyId, roles);
    if (!keys) {
      keys = new Map();
      this.byKey.set(tenantId, keys);
    }
    // Bounded: the snapshot's keys, plus one per client address for anonymous callers up to the cap.
    if (keys.size < MAX_MEMO_KEYS_PER_TENANT) keys.set(keyId, { roles, access });
    return access;
  }

  private resolveAccess(tenantId: string, keyId: string, roles: readonly string[]): CallerAccess {
    const policies = this.byTenant.get(tenantId);
    if (!policies || policies.length === 0) return UNRESTRICTED;
    const applicable = policies.filter(
      (p) => p.everyone || p.keys.has(keyId) || roles.some((role) => p.roles.has(role)),
    );
    if (applicable.length === 0) return UNRESTRICTED;
    const cacheKey = `${tenantId}\u0000${applicable.map((p) => p.id).join("\u0000")}`;
    let access = this.accessCache.get(cacheKey);
    if (!access) {
      const rules = applicable.flatMap((p) => p.rules);
      access = new CallerAccess(
        applicable.map((p) => p.restrictions),
        rules.length > 0 ? createMongoAbility<MongoAbility>(rules) : undefined,
        applicable.map((p) => p.id),
        limitsOf(applicable),
      );
      this.accessCache.set(cacheKey, access);
    }
    return access;
  }
}

function compileTenant(tenant: TenantEntry, ajv: ReturnType<typeof newAjv>): CompiledPolicy[] {
  return tenant.policies.map((policy) => {
    const doc = policy.rules;
    const keys = new Set(doc.appliesTo?.keys ?? []);
    const roles = new Set(doc.appliesTo?.roles ?? []);
    const restrictions: CompiledRestrictions = {
      policyId: policy.id,
      allow: compileGlobs(doc.tools?.allow ?? []),
      deny: compileGlobs(doc.tools?.deny ?? []),
      show: compileGlobs(doc.visibility?.show ?? []),
      hide: compileGlobs(doc.visibility?.hide ?? []),
      readOnly: doc.readOnly,
      constraints: doc.argumentConstraints.map((c) => ({
        matches: matcher(c.tool),
        validate: compileOrFailClosed(ajv, c.schema),
        pattern: c.tool,
      })),
      cache: doc.cache.map((c) => ({ matches: matcher(c.tool), rule: { ttlMs: c.ttlMs, scope: c.scope } })),
      resourceCache: (doc.resourceCache ?? []).map((c) => ({
        matches: matcher(c.uri),
        rule: { ttlMs: c.ttlMs, scope: c.scope },
      })),
    };
    return {
      id: policy.id,
      keys,
      roles,
      everyone: keys.size === 0 && roles.size === 0,
      restrictions,
      rules: doc.rules as RawRuleOf<MongoAbility>[],
      document: doc,
    };
  });
}

function matcher(pattern: string): NameMatcher {
  return compileGlobs([pattern]) ?? (() => false);
}

/** Compiled when first needed; a schema that does not compile admits nothing. */
function compileOrFailClosed(ajv: ReturnType<typeof newAjv>, schema: Record<string, unknown>) {
  return compileOnFirstUse(ajv, schema, failClosed);
}

function limitsOf(policies: readonly CompiledPolicy[]): PolicyLimits {
  const rates: PolicyLimits["rates"][number][] = [];
  let concurrentPerKey: number | undefined;
  for (const p of policies) {
    const r = p.document.rateLimits;
    if (!r) continue;
    if (r.perKey)
      rates.push({ policyId: p.id, scope: "key", requests: r.perKey.requests, windowSeconds: r.perKey.windowSeconds });
    if (r.perTenant) {
      rates.push({
        policyId: p.id,
        scope: "tenant",
        requests: r.perTenant.requests,
        windowSeconds: r.perTenant.windowSeconds,
      });
    }
    if (r.concurrentCallsPerKey !== undefined) {
      concurrentPerKey = Math.min(concurrentPerKey ?? Number.POSITIVE_INFINITY, r.concurrentCallsPerKey);
    }
  }
  return { rates, concurrentPerKey };
}
