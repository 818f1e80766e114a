import { createRequire } from "node:module";
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";

export type CompileResult = { ok: true; validate: ValidateFunction } | { ok: false; reason: string };
export type SchemaCompiler = { compile(schema: Record<string, unknown>): CompileResult };

/**
 * One ajv per snapshot for policy overlays and tool input schemas. `strict: false`
 * because upstream schemas carry keywords ajv does not know (titles, examples, vendor
 * extensions); formats are not asserted (no format plugin) — upstreams check those.
 */
export function newAjv(): SchemaCompiler {
  // ajv is loaded on the first schema compiled: a data plane with no constraint or tool schema to check
  // never pays its memory (issue 7, idle RSS).
  let ajv: Ajv2020 | undefined;
  const load = (): Ajv2020 => {
    if (!ajv) {
      const { Ajv2020: AjvClass } = createRequire(import.meta.url)(
        "ajv/dist/2020.js",
      ) as typeof import("ajv/dist/2020.js");
      ajv = new AjvClass({ strict: false, allErrors: false, validateFormats: false });
    }
    return ajv;
  };
  // Same schema text, same validator: a snapshot repeating one constraint in many policies compiles it once
  // (ajv's own cache is keyed by object identity, and keeps every compiled copy).
  const byText = new Map<string, CompileResult>();
  return {
    compile(schema) {
      // Tool schemas often name draft-07; the keywords tools use mean the same in 2020-12.
      const { $schema: _ignored, ...rest } = schema;
      let text: string | undefined;
      try {
        text = JSON.stringify(rest);
      } catch {
        text = undefined;
      }
      const known = text === undefined ? undefined : byText.get(text);
      if (known) return known;
      let result: CompileResult;
      try {
        result = { ok: true, validate: load().compile(rest) };
      } catch (error) {
        result = { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
      if (text !== undefined) byText.set(text, result);
      return result;
    },
  };
}

/**
 * A validator compiled on its first call, so applying a snapshot with many
 * policies stays cheap (ajv code generation is ~0.5 ms a schema); `onInvalid`
 * gives the validator used when the schema does not compile.
 */
export function compileOnFirstUse(
  compiler: SchemaCompiler,
  schema: Record<string, unknown>,
  onInvalid: (reason: string) => ValidateFunction,
): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    if (!compiled) {
      const result = compiler.compile(schema);
      compiled = result.ok ? result.validate : onInvalid(result.reason);
    }
    const ok = compiled(data) as boolean;
    validate.errors = compiled.errors;
    return ok;
  }) as unknown as ValidateFunction;
  return validate;
}

/** For policy constraints: a schema that does not compile admits nothing, and says why. */
export function failClosed(reason: string): ValidateFunction {
  const validate = (() => {
    validate.errors = [
      { instancePath: "", schemaPath: "#", keyword: "schema", params: {}, message: `schema is invalid: ${reason}` },
    ];
    return false;
  }) as unknown as ValidateFunction;
  return validate;
}
