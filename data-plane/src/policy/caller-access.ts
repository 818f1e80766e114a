import { type MongoAbility, subject } from "@casl/ability";
import type { ValidateFunction } from "ajv";
import type { NameMatcher } from "./glob.ts";

/** What a rule may know about a tool: both names, its server, and its read-only annotation. */
export type ToolFacts = { name: string; originalName: string; server: string; readOnly: boolean };

/** A cache entry rule for a tool, from the first applicable policy that names it. */
export type CacheRule = { ttlMs: number; scope: "private" | "tenant" };

/** One policy's restrictions, compiled once per snapshot. */
export type CompiledRestrictions = {
  policyId: string;
  allow: NameMatcher | undefined;
  deny: NameMatcher | undefined;
  show: NameMatcher | undefined;
  hide: NameMatcher | undefined;
  readOnly: boolean;
  constraints: readonly { matches: NameMatcher; validate: ValidateFunction; pattern: string }[];
  cache: readonly { matches: NameMatcher; rule: CacheRule }[];
  /** `resources/read` cache rules by URI glob (absent: none). */
  resourceCache?: readonly { matches: NameMatcher; rule: CacheRule }[];
};

export type Denial = { code: "FORBIDDEN"; reason: string };

/** Rate limits the caller's policies set (enforced by src/limits/request-guard.ts). */
export type PolicyLimits = {
  rates: readonly { policyId: string; scope: "key" | "tenant"; requests: number; windowSeconds: number }[];
  concurrentPerKey: number | undefined;
};

const NO_LIMITS: PolicyLimits = { rates: [], concurrentPerKey: undefined };

/**
 * What one caller (a set of applicable policies) may see and do. Built once per
 * snapshot and set of policies; per-tool decisions are memoised on the tool
 * definition object, so the hot path is a WeakMap lookup.
 */
export class CallerAccess {
  /** Tool definition object → undefined (allowed) or the reason it is not. */
  private readonly decisions = new WeakMap<object, Denial | null>();
  private readonly filtered = new WeakMap<readonly object[], readonly Record<string, unknown>[]>();
  private readonly constraintsByTool = new WeakMap<object, readonly ConstraintCheck[]>();

  constructor(
    private readonly restrictions: readonly CompiledRestrictions[],
    private readonly ability: MongoAbility | undefined,
    /** Policy ids that apply, for audit. */
    readonly policyIds: readonly string[],
    readonly limits: PolicyLimits = NO_LIMITS,
  ) {}

  /** No policy applies: everything the tenant's upstreams offer passes. */
  get unrestricted(): boolean {
    return this.restrictions.length === 0 && this.ability === undefined;
  }

  /** Listing and calling share this one decision (visibility and permission both). */
  toolDecision(tool: object, facts: () => ToolFacts | undefined): Denial | null {
    if (this.unrestricted) return null;
    const known = this.decisions.get(tool);
    if (known !== undefined) return known;
    const f = facts();
    const decision = f ? this.decide(f) : { code: "FORBIDDEN" as const, reason: "unknown tool" };
    this.decisions.set(tool, decision);
    return decision;
  }

  /** The tools this caller is shown, memoised per catalog array (rebuilt only when upstreams change). */
  visibleTools(
    tools: readonly Record<string, unknown>[],
    facts: (tool: Record<string, unknown>) => ToolFacts | undefined,
  ): readonly Record<string, unknown>[] {
    if (this.unrestricted) return tools;
    const cached = this.filtered.get(tools);
    if (cached) return cached;
    const out = tools.filter((tool) => this.toolDecision(tool, () => facts(tool)) === null);
    this.filtered.set(tools, out);
    return out;
  }

  /** Argument constraints (JSON-schema overlays); the first violation's message, or undefined. */
  checkArguments(tool: object, facts: ToolFacts, args: Record<string, unknown>): string | undefined {
    if (this.restrictions.length === 0) return undefined;
    let checks = this.constraintsByTool.get(tool);
    if (!checks) {
      checks = this.restrictions.flatMap((r) =>
        r.constraints
          .filter((c) => c.matches(facts.name, facts.originalName))
          .map((c) => ({ validate: c.validate, pattern: c.pattern })),
      );
      this.constraintsByTool.set(tool, checks);
    }
    for (const check of checks) {
      if (!check.validate(args)) {
        const first = check.validate.errors?.[0];
        const where = first?.instancePath ? `arguments${first.instancePath.replaceAll("/", ".")}` : "arguments";
        return `${where} ${first?.message ?? "are not allowed"} (policy constraint for '${check.pattern}')`;
      }
    }
    return undefined;
  }

  cacheRule(facts: ToolFacts): CacheRule | undefined {
    for (const r of this.restrictions) {
      for (const c of r.cache) if (c.matches(facts.name, facts.originalName)) return c.rule;
    }
    return undefined;
  }

  /** The cache rule for reading this resource URI, from the first applicable policy that names it. */
  resourceCacheRule(uri: string): CacheRule | undefined {
    for (const r of this.restrictions) {
      for (const c of r.resourceCache ?? []) if (c.matches(uri, uri)) return c.rule;
    }
    return undefined;
  }

  resourceDecision(uri: string, server: string): Denial | null {
    if (!this.ability) return null;
    return this.ability.can("read", subject("Resource", { uri, server }))
      ? null
      : { code: "FORBIDDEN", reason: "no rule allows reading this resource" };
  }

  promptDecision(name: string, originalName: string, server: string): Denial | null {
    for (const r of this.restrictions) {
      if (r.hide?.(name, originalName) || (r.show && !r.show(name, originalName))) {
        return { code: "FORBIDDEN", reason: "prompt hidden by policy" };
      }
    }
    if (!this.ability) return null;
    return this.ability.can("get", subject("Prompt", { name, originalName, server }))
      ? null
      : { code: "FORBIDDEN", reason: "no rule allows this prompt" };
  }

  private decide(f: ToolFacts): Denial | null {
    for (const r of this.restrictions) {
      if (r.show && !r.show(f.name, f.originalName)) return deny(`hidden by policy ${r.policyId}`);
      if (r.hide?.(f.name, f.originalName)) return deny(`hidden by policy ${r.policyId}`);
      if (r.deny?.(f.name, f.originalName)) return deny(`denied by policy ${r.policyId}`);
      if (r.allow && !r.allow(f.name, f.originalName)) return deny(`not in the allow list of policy ${r.policyId}`);
      if (r.readOnly && !f.readOnly) return deny(`policy ${r.policyId} admits read-only tools only`);
    }
    if (this.ability && !this.ability.can("call", subject("Tool", { ...f }))) {
      const rule = this.ability.relevantRuleFor("call", subject("Tool", { ...f }));
      return deny(rule?.reason ?? "no rule allows calling this tool");
    }
    return null;
  }
}

type ConstraintCheck = { validate: ValidateFunction; pattern: string };

function deny(reason: string): Denial {
  return { code: "FORBIDDEN", reason };
}
