import { createMongoAbility } from "@casl/ability";
import { z } from "zod";

/**
 * A tenant policy document as operators write it (console form, JSON editor, API)
 * and as it travels in the snapshot. The console and API validate with this same
 * export, so they never disagree. Every field is optional: `{}` restricts nothing.
 *
 * Names: a tool is visible to rules both as the name clients see (`<server>__<tool>`)
 * and as the upstream's own name; glob patterns match either (`*` any run of
 * characters, `?` one character).
 */

const glob = z.string().min(1).max(256);
const globList = z.array(glob).max(1000);

/** One rule in @casl/ability's raw-rule format (the console's own format). */
export const caslRawRuleSchema = z
  .strictObject({
    /** `call` (Tool), `read` (Resource), `get` (Prompt), or `manage` for all of them. */
    action: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** `Tool`, `Resource`, `Prompt`, or `all`. */
    subject: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /**
     * MongoDB-style conditions on the subject's fields. Tool: name, originalName, server,
     * readOnly. Resource: uri, server. Prompt: name, originalName, server.
     */
    conditions: z.record(z.string(), z.unknown()).optional(),
    inverted: z.boolean().optional(),
    reason: z.string().max(512).optional(),
  })
  .superRefine((rule, ctx) => {
    const problem = conditionsProblem(rule.conditions);
    if (problem) ctx.addIssue({ code: "custom", path: ["conditions"], message: `invalid conditions: ${problem}` });
  });
export type CaslRawRule = z.infer<typeof caslRawRuleSchema>;

/**
 * CASL compiles conditions lazily, on the first check: an unknown operator or a
 * malformed one (`{ "$elemMatch": false }`, `{ "$regex": "(" }`) would only throw
 * when a request is decided. Compiling here refuses it at the edge instead.
 */
function conditionsProblem(conditions: Record<string, unknown> | undefined): string | undefined {
  if (conditions === undefined) return undefined;
  try {
    for (const rule of createMongoAbility([{ action: "check", subject: "Check", conditions }]).rulesFor(
      "check",
      "Check",
    ))
      void rule.ast;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const rateSchema = z.strictObject({
  requests: z.number().int().positive(),
  windowSeconds: z.number().int().positive().max(86_400).default(60),
});

export const policyDocumentSchema = z.strictObject({
  /** Which callers the policy binds. Absent or both empty: every key of the tenant. */
  appliesTo: z
    .strictObject({
      keys: z.array(z.string().min(1)).default([]),
      roles: z.array(z.string().min(1)).default([]),
    })
    .optional(),
  /** CASL rules. When any applicable policy has rules, only what they allow passes. */
  rules: z.array(caslRawRuleSchema).max(1000).default([]),
  /** Permission by name: with any allow pattern, only matching tools pass; a deny match always refuses. */
  tools: z.strictObject({ allow: globList.default([]), deny: globList.default([]) }).optional(),
  /** Only tools annotated `readOnlyHint: true` pass. */
  readOnly: z.boolean().default(false),
  /**
   * What a client is shown, configured apart from permission. Hidden tools are also
   * not callable: a client never calls what it was not shown.
   */
  visibility: z.strictObject({ show: globList.default([]), hide: globList.default([]) }).optional(),
  /** Per tool pattern, a JSON Schema the call's arguments must also satisfy (e.g. a path prefix). */
  argumentConstraints: z
    .array(z.strictObject({ tool: glob, schema: z.record(z.string(), z.unknown()) }))
    .max(200)
    .default([]),
  /** Tools whose results may be cached, with a TTL; `private` entries never serve another key. */
  cache: z
    .array(
      z.strictObject({
        tool: glob,
        ttlMs: z
          .number()
          .int()
          .positive()
          .max(24 * 3600 * 1000),
        scope: z.enum(["private", "tenant"]).default("private"),
      }),
    )
    .max(200)
    .default([]),
  /**
   * Resources whose `resources/read` results may be cached, by URI glob. The upstream's
   * own `ttlMs`/`cacheScope` on a result only narrow this (shorter TTL, `private`; 0 = no cache).
   */
  resourceCache: z
    .array(
      z.strictObject({
        uri: glob,
        ttlMs: z
          .number()
          .int()
          .positive()
          .max(24 * 3600 * 1000),
        scope: z.enum(["private", "tenant"]).default("private"),
      }),
    )
    .max(200)
    .optional(),
  /** Request rate limits for the callers this policy applies to (per key) and for the tenant. */
  rateLimits: z
    .strictObject({
      perKey: rateSchema.optional(),
      perTenant: rateSchema.optional(),
      concurrentCallsPerKey: z.number().int().positive().max(10_000).optional(),
    })
    .optional(),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;
