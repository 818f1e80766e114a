import { describe, expect, it } from "vitest";
import { snapshotPayloadSchema } from "../snapshots/schema.ts";
import { payload } from "../testing/fixtures.ts";
import { PolicyEngine } from "./compile-policies.ts";
import { enforceToolCall } from "./enforce-call.ts";
import { type PolicyDocumentInput, policyDocumentSchema } from "./policy-schema.ts";
import { toolFacts } from "./tool-facts.ts";

type Tool = Record<string, unknown>;

function tool(server: string, name: string, extra: Tool = {}): { tool: Tool; route: RouteStub } {
  return {
    tool: { name: `${server}__${name}`, inputSchema: { type: "object" }, ...extra },
    route: { connection: { def: { name: server } }, toolName: name },
  };
}
type RouteStub = { connection: { def: { name: string } }; toolName: string };

const catalog = [
  tool("files", "read_file", { annotations: { readOnlyHint: true } }),
  tool("files", "write_file", {
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  }),
  tool("files", "delete_file"),
  tool("everything", "echo", { annotations: { readOnlyHint: true } }),
  tool("everything", "add"),
];
const tools = catalog.map((c) => c.tool);
const routeOf = (name: string) => catalog.find((c) => c.tool.name === name)?.route;

function engine(policies: { id?: string; rules: PolicyDocumentInput }[]): PolicyEngine {
  const parsed = snapshotPayloadSchema.parse(
    payload(1, [
      {
        id: "ten_a",
        slug: "a",
        name: "A",
        policies: policies.map((p, i) => ({ id: p.id ?? `pol_${i}`, name: `p${i}`, rules: p.rules })),
      },
    ]),
  );
  return PolicyEngine.fromPayload(parsed);
}

function visible(e: PolicyEngine, keyId = "key_1", roles: string[] = []): string[] {
  const access = e.accessFor("ten_a", keyId, roles);
  return access
    .visibleTools(tools, (t) => toolFacts(t, routeOf(String(t.name))))
    .map((t) => String(t.name))
    .sort();
}

function call(e: PolicyEngine, name: string, args: Record<string, unknown> = {}, keyId = "key_1") {
  const route = routeOf(name);
  if (!route) throw new Error(`no route ${name}`);
  return enforceToolCall(e.accessFor("ten_a", keyId), tools, name, route, args);
}

const ALL = tools.map((t) => String(t.name)).sort();

describe("policy document schema", () => {
  it("accepts {} (restricts nothing) and refuses unknown fields", () => {
    expect(policyDocumentSchema.parse({})).toMatchObject({ rules: [], readOnly: false });
    expect(policyDocumentSchema.safeParse({ readonly: true }).success).toBe(false);
    expect(policyDocumentSchema.safeParse({ rules: [{ action: "call" }] }).success).toBe(false);
  });

  it("refuses CASL conditions that would only throw when a request is decided (found by fuzzing)", () => {
    for (const conditions of [
      { name: { $elemMatch: false } },
      { name: { $regex: "(" } },
      { name: { $in: "not-a-list" } },
    ]) {
      const result = policyDocumentSchema.safeParse({ rules: [{ action: "call", subject: "Tool", conditions }] });
      expect(result.success, JSON.stringify(conditions)).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/^invalid conditions: /);
      expect(result.error?.issues[0]?.path).toEqual(["rules", 0, "conditions"]);
    }
    const fine = { name: { $in: ["files__read_file"] }, readOnly: true, server: { $regex: "^fi" } };
    expect(
      policyDocumentSchema.safeParse({ rules: [{ action: "call", subject: "Tool", conditions: fine }] }).success,
    ).toBe(true);
  });
});

describe("policy engine", () => {
  it("without policies shows and admits every tool", () => {
    const e = engine([]);
    expect(visible(e)).toEqual(ALL);
    expect(e.accessFor("ten_a", "key_1").unrestricted).toBe(true);
    expect(call(e, "files__delete_file").ok).toBe(true);
  });

  it("deny globs match the prefixed or the original name, for listing and calling alike", () => {
    const e = engine([{ rules: { tools: { deny: ["*delete*", "add"] } } }]);
    expect(visible(e)).toEqual(["everything__echo", "files__read_file", "files__write_file"]);
    expect(call(e, "files__delete_file")).toMatchObject({ ok: false, kind: "hidden" });
    expect(call(e, "everything__add")).toMatchObject({ ok: false, kind: "hidden" });
    expect(call(e, "files__read_file").ok).toBe(true);
  });

  it("allow globs admit only what matches", () => {
    const e = engine([{ rules: { tools: { allow: ["files__*"] } } }]);
    expect(visible(e)).toEqual(["files__delete_file", "files__read_file", "files__write_file"]);
    expect(call(e, "everything__echo")).toMatchObject({ ok: false, kind: "hidden" });
  });

  it("glob metacharacters are literal except * and ?", () => {
    const e = engine([{ rules: { tools: { allow: ["files__read.file", "everything__ech?"] } } }]);
    expect(visible(e)).toEqual(["everything__echo"]);
  });

  it("read-only mode admits only tools annotated readOnlyHint", () => {
    const e = engine([{ rules: { readOnly: true } }]);
    expect(visible(e)).toEqual(["everything__echo", "files__read_file"]);
    expect(call(e, "files__write_file", { path: "/x" })).toMatchObject({ ok: false, kind: "hidden" });
  });

  it("visibility hides apart from permission, and a hidden tool cannot be called", () => {
    const e = engine([{ rules: { visibility: { hide: ["everything__*"] } } }]);
    expect(visible(e)).toEqual(["files__delete_file", "files__read_file", "files__write_file"]);
    expect(call(e, "everything__echo")).toMatchObject({ ok: false, kind: "hidden" });
    const shown = engine([{ rules: { visibility: { show: ["echo"] } } }]);
    expect(visible(shown)).toEqual(["everything__echo"]);
  });

  it("CASL rules see original and prefixed names, server and readOnly; inverted rules win", () => {
    const e = engine([
      {
        rules: {
          rules: [
            { action: "call", subject: "Tool", conditions: { server: "files" } },
            { action: "call", subject: "Tool", conditions: { originalName: "echo" } },
            { action: "call", subject: "Tool", conditions: { name: "files__delete_file" }, inverted: true },
          ],
        },
      },
    ]);
    expect(visible(e)).toEqual(["everything__echo", "files__read_file", "files__write_file"]);
    expect(call(e, "files__delete_file")).toMatchObject({ ok: false, kind: "hidden" });
    expect(call(e, "everything__add")).toMatchObject({ ok: false, kind: "hidden" });
    const access = e.accessFor("ten_a", "key_1");
    expect(access.resourceDecision("file:///x", "files")).not.toBeNull();
    expect(access.promptDecision("files__p", "p", "files")).not.toBeNull();
    const managed = engine([{ rules: { rules: [{ action: "manage", subject: "all" }] } }]);
    expect(managed.accessFor("ten_a", "k").resourceDecision("file:///x", "files")).toBeNull();
    expect(visible(managed)).toEqual(ALL);
  });

  it("argument constraints are JSON-schema overlays checked before forwarding", () => {
    const e = engine([
      {
        rules: {
          argumentConstraints: [
            {
              tool: "files__write_file",
              schema: { properties: { path: { type: "string", pattern: "^/tmp/" } } },
            },
          ],
        },
      },
    ]);
    expect(call(e, "files__write_file", { path: "/tmp/a" }).ok).toBe(true);
    const refused = call(e, "files__write_file", { path: "/etc/passwd" });
    expect(refused).toMatchObject({ ok: false, kind: "arguments", code: "ARGUMENT_FORBIDDEN" });
    expect(refused.ok ? "" : "message" in refused ? refused.message : "").toContain("arguments.path");
  });

  it("an argument constraint that does not compile admits nothing (fail closed)", () => {
    const e = engine([{ rules: { argumentConstraints: [{ tool: "*", schema: { $ref: "#/nowhere" } }] } }]);
    expect(call(e, "everything__echo")).toMatchObject({ ok: false, code: "ARGUMENT_FORBIDDEN" });
  });

  it("tool arguments are validated against the tool's inputSchema, with or without policies", () => {
    const e = engine([]);
    expect(call(e, "files__write_file", {})).toMatchObject({ ok: false, code: "INVALID_ARGUMENTS" });
    expect(call(e, "files__write_file", { path: 3 })).toMatchObject({ ok: false, code: "INVALID_ARGUMENTS" });
    expect(call(e, "files__write_file", { path: "/a" }).ok).toBe(true);
  });

  it("appliesTo binds a policy to keys or roles only", () => {
    const e = engine([{ rules: { appliesTo: { keys: ["key_ro"] }, readOnly: true } }]);
    expect(visible(e, "key_ro")).toEqual(["everything__echo", "files__read_file"]);
    expect(visible(e, "key_other")).toEqual(ALL);
    const byRole = engine([{ rules: { appliesTo: { roles: ["auditor"] }, tools: { allow: ["*read*"] } } }]);
    expect(visible(byRole, "k", ["auditor"])).toEqual(["files__read_file"]);
    expect(visible(byRole, "k", ["dev"])).toEqual(ALL);
  });

  it("several applicable policies all apply (each one restricts)", () => {
    const e = engine([{ rules: { tools: { allow: ["files__*"] } } }, { rules: { readOnly: true } }]);
    expect(visible(e)).toEqual(["files__read_file"]);
  });

  it("shares one CallerAccess per set of applicable policies, and the listing is memoised", () => {
    const e = engine([{ rules: { readOnly: true } }]);
    expect(e.accessFor("ten_a", "k1")).toBe(e.accessFor("ten_a", "k2"));
    const access = e.accessFor("ten_a", "k1");
    const facts = (t: Tool) => toolFacts(t, routeOf(String(t.name)));
    expect(access.visibleTools(tools, facts)).toBe(access.visibleTools(tools, facts));
  });

  it("a tenant's policies never apply to another tenant's callers", () => {
    const e = engine([{ rules: { tools: { deny: ["*"] } } }]);
    expect(e.accessFor("ten_b", "key_1").unrestricted).toBe(true);
    expect(e.accessFor("ten_a", "key_1").unrestricted).toBe(false);
  });
});
