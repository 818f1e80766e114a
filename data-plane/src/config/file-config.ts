import { readFile } from "node:fs/promises";
import { isNode, LineCounter, parseDocument } from "yaml";
import { type AppliedConfig, toAppliedConfig } from "../snapshots/applied-config.ts";
import { canonicalJson, sha256Hex } from "../snapshots/canonical.ts";
import { snapshotPayloadSchema } from "../snapshots/schema.ts";

export type FileConfigResult = { ok: true; config: AppliedConfig } | { ok: false; message: string };

/** Reads a snapshot.v1-shaped YAML file; errors name the field path and its line. */
export async function loadConfigFile(file: string): Promise<FileConfigResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return { ok: false, message: `cannot read ${file}: ${(error as Error).message}` };
  }
  return parseConfigText(text, file);
}

export function parseConfigText(text: string, file = "<config>"): FileConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, message: `${file}: YAML error: ${doc.errors.map((e) => e.message).join("; ")}` };
  }
  const json: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = snapshotPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.map(String).join(".") || "(root)";
      const line = lineOf(doc, lineCounter, issue.path);
      return `${where}${line ? ` (line ${line})` : ""}: ${issue.message}`;
    });
    return { ok: false, message: `${file}: ${problems.join("; ")}` };
  }
  const hash = sha256Hex(canonicalJson(json));
  return { ok: true, config: toAppliedConfig("file", parsed.data, hash) };
}

/** The line of the deepest existing node on the path (a missing field points at its parent). */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  issuePath: readonly PropertyKey[],
): number | undefined {
  const keys = issuePath.filter((k): k is string | number => typeof k !== "symbol");
  for (let depth = keys.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keys.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
