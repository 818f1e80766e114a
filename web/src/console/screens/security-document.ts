import { type UpdateSecuritySettingsBody, updateSecuritySettingsBody } from "@only1mcp/control-plane/schemas";
import { parse } from "yaml";

/**
 * The security editor's text → the API body. Takes the seed's block as written (YAML,
 * `security:` plus the top-level `observability:`) or the same document as JSON, and
 * validates it with the data plane's own schema, so an error names the field path.
 */
export function parseSecurityDocument(
  text: string,
): { ok: true; body: UpdateSecuritySettingsBody } | { ok: false; error: string } {
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    return { ok: false, error: `Not YAML or JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = updateSecuritySettingsBody.safeParse(document);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(document)"}: ${issue.message}`).join("; "),
    };
  }
  return { ok: true, body: parsed.data };
}
