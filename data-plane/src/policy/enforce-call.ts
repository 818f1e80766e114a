import type { ValidateFunction } from "ajv";
import type { CallerAccess, ToolFacts } from "./caller-access.ts";
import { newAjv, type SchemaCompiler } from "./schema-compiler.ts";
import { type RouteLike, toolByName, toolFacts } from "./tool-facts.ts";

export type CallVerdict =
  | { ok: true; facts: ToolFacts | undefined }
  /** Looks exactly like an unknown tool to the client: a denied tool's existence is not revealed. */
  | { ok: false; kind: "hidden"; reason: string }
  /** The arguments break the tool's inputSchema or a policy constraint; the message says how. */
  | { ok: false; kind: "arguments"; message: string; code: "INVALID_ARGUMENTS" | "ARGUMENT_FORBIDDEN" };

let compiler: SchemaCompiler | undefined;
/** inputSchema object → validator; the schema object survives catalog rebuilds, so this compiles once. */
const inputValidators = new WeakMap<object, ValidateFunction | null>();

/**
 * Before any upstream sees a call: the caller's policy (permission + visibility),
 * then the tool's own inputSchema (ajv), then the policy's argument constraints.
 */
export function enforceToolCall(
  access: CallerAccess | undefined,
  tools: readonly Record<string, unknown>[],
  exposedName: string,
  route: RouteLike,
  args: Record<string, unknown>,
): CallVerdict {
  const tool = toolByName(tools, exposedName);
  if (!tool) {
    return access && !access.unrestricted
      ? { ok: false, kind: "hidden", reason: "unknown tool" }
      : { ok: true, facts: undefined };
  }
  let facts: ToolFacts | undefined;
  if (access && !access.unrestricted) {
    facts = toolFacts(tool, route);
    const denial = access.toolDecision(tool, () => facts);
    if (denial) return { ok: false, kind: "hidden", reason: denial.reason };
  }
  const inputError = checkInputSchema(tool, args);
  if (inputError) return { ok: false, kind: "arguments", message: inputError, code: "INVALID_ARGUMENTS" };
  if (access && facts) {
    const violation = access.checkArguments(tool, facts, args);
    if (violation) return { ok: false, kind: "arguments", message: violation, code: "ARGUMENT_FORBIDDEN" };
  }
  return { ok: true, facts };
}

function checkInputSchema(tool: Record<string, unknown>, args: Record<string, unknown>): string | undefined {
  const schema = tool.inputSchema;
  if (typeof schema !== "object" || schema === null) return undefined;
  let validate = inputValidators.get(schema);
  if (validate === undefined) {
    compiler ??= newAjv();
    const compiled = compiler.compile(schema as Record<string, unknown>);
    // An upstream schema ajv cannot compile is not checked here (the upstream still checks it).
    validate = compiled.ok ? compiled.validate : null;
    inputValidators.set(schema, validate);
  }
  if (!validate || validate(args)) return undefined;
  const first = validate.errors?.[0];
  const where = first?.instancePath ? `arguments${first.instancePath.replaceAll("/", ".")}` : "arguments";
  const extra =
    first?.keyword === "additionalProperties"
      ? ` ('${String((first.params as { additionalProperty?: unknown }).additionalProperty)}')`
      : "";
  return `invalid arguments for tool '${String(tool.name)}': ${where} ${first?.message ?? "do not match the input schema"}${extra}`;
}
