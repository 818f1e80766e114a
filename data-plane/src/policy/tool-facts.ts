import type { ToolFacts } from "./caller-access.ts";

/** The part of a tool route this module needs (UpstreamManager's ToolRoute satisfies it). */
export type RouteLike = { connection: { def: { name: string } }; toolName: string };

/** Facts rules see about a listed tool, from its route (server + original name) and annotations. */
export function toolFacts(tool: Record<string, unknown>, route: RouteLike | undefined): ToolFacts | undefined {
  if (!route || typeof tool.name !== "string") return undefined;
  const annotations = tool.annotations as { readOnlyHint?: unknown } | undefined;
  return {
    name: tool.name,
    originalName: route.toolName,
    server: route.connection.def.name,
    readOnly: annotations?.readOnlyHint === true,
  };
}

const indexes = new WeakMap<readonly Record<string, unknown>[], Map<string, Record<string, unknown>>>();

/** The tool definition by exposed name, from a catalog array (index built once per array). */
export function toolByName(
  tools: readonly Record<string, unknown>[],
  name: string,
): Record<string, unknown> | undefined {
  let index = indexes.get(tools);
  if (!index) {
    index = new Map();
    for (const tool of tools) if (typeof tool.name === "string") index.set(tool.name, tool);
    indexes.set(tools, index);
  }
  return index.get(name);
}
