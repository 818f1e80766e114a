/** Matches a tool (or prompt) by either of its names. */
export type NameMatcher = (exposedName: string, originalName: string) => boolean;

const SPECIAL = /[\\^$.+()[\]{}|]/g;

/** `*` any run of characters, `?` exactly one; everything else literal. */
function globSource(pattern: string): string {
  return pattern.replace(SPECIAL, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
}

/**
 * Compiles a list of glob patterns into one anchored RegExp, once per snapshot.
 * Undefined when the list is empty (no constraint).
 */
export function compileGlobs(patterns: readonly string[]): NameMatcher | undefined {
  if (patterns.length === 0) return undefined;
  const re = new RegExp(`^(?:${patterns.map(globSource).join("|")})$`, "s");
  return (exposed, original) => re.test(exposed) || re.test(original);
}
