import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PolicyEngine } from "../../../data-plane/src/policy/compile-policies.ts";
import { enforceToolCall } from "../../../data-plane/src/policy/enforce-call.ts";
import { policyDocumentSchema } from "../../../data-plane/src/policy/policy-schema.ts";
import { toolFacts } from "../../../data-plane/src/policy/tool-facts.ts";
import { snapshotPayloadSchema } from "../../../data-plane/src/snapshots/schema.ts";
import { payload } from "../../../data-plane/src/testing/fixtures.ts";
import { recordFigures } from "./harness/figures.ts";

const RUNS = Number(process.env.CHAOS_FUZZ_RUNS ?? 1000);

type RouteStub = { connection: { def: { name: string } }; toolName: string };
const SERVERS = ["files", "every.thing", "a(b)"];
const TOOL_NAMES = ["read_file", "delete", "x*y", "q?", "[a]", "a.b", "ünï"];
const catalog = SERVERS.flatMap((server) =>
  TOOL_NAMES.map((name, i) => ({
    tool: {
      name: `${server}__${name}`,
      inputSchema: { type: "object", properties: { path: { type: "string" } } },
      ...(i % 2 === 0 ? { annotations: { readOnlyHint: true } } : {}),
    } as Record<string, unknown>,
    route: { connection: { def: { name: server } }, toolName: name } as RouteStub,
  })),
);
const tools = catalog.map((c) => c.tool);

/** What travels in a signed snapshot is JSON: documents arrive as JSON.parse makes them. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function engineFor(documents: unknown[]): PolicyEngine {
  const parsed = snapshotPayloadSchema.parse(
    payload(1, [
      {
        id: "ten_f",
        slug: "f",
        name: "F",
        policies: documents.map((rules, i) => ({ id: `pol_${i}`, name: `p${i}`, rules: rules as never })),
      },
    ]),
  );
  return PolicyEngine.fromPayload(wire(parsed));
}

/** Everything a request does with a compiled policy: list, then call each tool with odd arguments. */
function exercise(engine: PolicyEngine, args: Record<string, unknown>) {
  const access = engine.accessFor("ten_f", "key_1", ["ops"]);
  const shown = access.visibleTools(tools, (t) => toolFacts(t, catalog.find((c) => c.tool === t)?.route as RouteStub));
  const verdicts = catalog.map((c) => enforceToolCall(access, tools, String(c.tool.name), c.route, args));
  return { shown, verdicts };
}

// Characters that mean something to regexes, globs, JSON, HTML and Mongo queries.
const hostileString = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: fc.constantFrom(..."*?.+()[]{}|^$\\<>\"'\u0000\n\t\u202e"), minLength: 1, maxLength: 12 }),
  fc.constantFrom("*", "**", "?", "(a+)+$", "[", "\\", "$where", "__proto__", "constructor", "a".repeat(256)),
);
/** Hostile patterns mixed with the catalog's own names (so exact allow/deny entries occur). */
const globs = fc.array(
  fc.oneof(
    hostileString,
    fc.constantFrom(...TOOL_NAMES, ...SERVERS.flatMap((server) => TOOL_NAMES.map((name) => `${server}__${name}`))),
  ),
  { maxLength: 6 },
);
const condition = fc.dictionary(
  fc.constantFrom("name", "originalName", "server", "readOnly", "uri", "$where", "__proto__"),
  fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.record({ $regex: hostileString }),
    fc.record({ $in: fc.array(hostileString, { maxLength: 3 }) }),
    fc.record({ $elemMatch: fc.jsonValue({ maxDepth: 1 }) }),
    fc.record({ $unknownOp: fc.jsonValue({ maxDepth: 1 }) }),
  ),
  { maxKeys: 3 },
);
const rule = fc.record(
  {
    action: fc.oneof(fc.constantFrom("call", "read", "get", "manage"), hostileString),
    subject: fc.oneof(fc.constantFrom("Tool", "Resource", "Prompt", "all"), hostileString),
    conditions: condition,
    inverted: fc.boolean(),
    reason: fc.string({ maxLength: 40 }),
  },
  { requiredKeys: ["action", "subject"] },
);
const jsonSchema = fc.oneof(
  fc
    .jsonValue({ maxDepth: 3 })
    .map((v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : { type: v })),
  fc.record({ type: fc.constant("object"), properties: fc.record({ path: fc.record({ pattern: hostileString }) }) }),
  fc.constant({ $ref: "#/definitions/nowhere" }),
  fc.constant({ type: "object", required: ["path"], properties: { path: { type: "string", pattern: "^/tmp/" } } }),
);
/** Documents shaped like the schema, filled with hostile values. */
const structured = fc.record(
  {
    appliesTo: fc.record({ keys: fc.array(hostileString, { maxLength: 2 }), roles: fc.constant(["ops"]) }),
    rules: fc.array(rule, { maxLength: 4 }),
    tools: fc.record({ allow: globs, deny: globs }, { requiredKeys: [] }),
    readOnly: fc.boolean(),
    visibility: fc.record({ show: globs, hide: globs }, { requiredKeys: [] }),
    argumentConstraints: fc.array(fc.record({ tool: hostileString, schema: jsonSchema }), { maxLength: 3 }),
    cache: fc.array(
      fc.record({
        tool: hostileString,
        ttlMs: fc.integer({ min: -5, max: 100_000 }),
        scope: fc.constantFrom("private", "tenant", "x"),
      }),
      { maxLength: 2 },
    ),
    rateLimits: fc.record(
      {
        perKey: fc.record({
          requests: fc.integer({ min: -1, max: 100 }),
          windowSeconds: fc.integer({ min: 0, max: 90_000 }),
        }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const args = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

describe("policy parser and engine under fuzzing (fast-check)", () => {
  it(`any JSON: the schema answers accept/refuse without throwing; what it accepts compiles and decides (${RUNS} runs)`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), args, (generated, callArgs) => {
        const doc = wire(generated);
        const result = policyDocumentSchema.safeParse(doc);
        if (!result.success) {
          expect(result.error.issues.length).toBeGreaterThan(0);
          return;
        }
        accepted++;
        exercise(engineFor([doc]), callArgs);
      }),
      { numRuns: RUNS },
    );
    recordFigures({ "random JSON documents": RUNS, "accepted by the schema": accepted });
  });

  it(`schema-shaped hostile documents: never a throw, deny always wins, hidden tools never callable (${RUNS} runs)`, () => {
    let accepted = 0;
    let refused = 0;
    let denials = 0;
    fc.assert(
      fc.property(fc.array(structured, { minLength: 1, maxLength: 3 }), args, (generated, callArgs) => {
        const documents = wire(generated);
        const parsed = documents.map((d) => policyDocumentSchema.safeParse(d));
        if (parsed.some((p) => !p.success)) {
          refused++;
          // A refused document never reaches the snapshot: the whole payload is refused.
          expect(
            snapshotPayloadSchema.safeParse(
              payload(1, [
                {
                  id: "t",
                  slug: "t",
                  name: "T",
                  policies: documents.map((rules, i) => ({ id: `p${i}`, name: `p${i}`, rules: rules as never })),
                },
              ]),
            ).success,
          ).toBe(false);
          return;
        }
        accepted++;
        const { shown, verdicts } = exercise(engineFor(documents), callArgs);
        const shownNames = new Set(shown.map((t) => String(t.name)));
        verdicts.forEach((verdict, i) => {
          const entry = catalog[i];
          if (!entry) return;
          const name = String(entry.tool.name);
          // Hidden from the list ⇒ never callable.
          if (!shownNames.has(name)) expect(verdict.ok, `${name} hidden but callable`).toBe(false);
          // An exact deny entry (no wildcard) always refuses, whatever else the documents say.
          const exactlyDenied = documents.some((d) =>
            (d.tools?.deny ?? []).some((p) => p === name || p === entry.route.toolName),
          );
          if (exactlyDenied) {
            denials++;
            expect(verdict.ok, `${name} denied but allowed`).toBe(false);
          }
        });
      }),
      { numRuns: RUNS },
    );
    recordFigures({
      "hostile policy sets": RUNS,
      "accepted / refused by the schema": `${accepted} / ${refused}`,
      "exact-deny checks": denials,
    });
  });

  it("glob metacharacters are literal except * and ?: a pattern never matches more than its glob says", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z.+()[\]{}|^$\\]{1,8}$/), fc.string({ maxLength: 10 }), (pattern, other) => {
        const engine = engineFor([{ tools: { allow: [pattern] } }]);
        const probe = [{ name: `s__${other}`, inputSchema: { type: "object" } }];
        const route = { connection: { def: { name: "s" } }, toolName: other };
        const verdict = enforceToolCall(engine.accessFor("ten_f", "k"), probe, `s__${other}`, route, {});
        expect(verdict.ok).toBe(other === pattern || `s__${other}` === pattern);
      }),
      { numRuns: RUNS },
    );
  });
});
