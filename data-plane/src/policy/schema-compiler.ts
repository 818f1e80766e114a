import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

export type CompileResult = { ok: true; validate: ValidateFunction } | { ok: false; reason: string };
export type SchemaCompiler = { compile(schema: Record<string, unknown>): CompileResult };

/**
 * One ajv per snapshot for policy overlays and tool input schemas. `strict: false`
 * because upstream schemas carry keywords ajv does not know (titles, examples, vendor
 * extensions); formats are not asserted (no format plugin) — upstreams check those.
 */
export function newAjv(): SchemaCompiler {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  return {
    compile(schema) {
      // Tool schemas often name draft-07; the keywords tools use mean the same in 2020-12.
      const { $schema: _ignored, ...rest } = schema;
      try {
        return { ok: true, validate: ajv.compile(rest) };
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
  };
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
