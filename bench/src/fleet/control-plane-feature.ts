// Fleet features that other work adds to the control plane (audit ingestion,
// audit-log queries) are found by their export name, so the bench runs before
// and after they land; a missing one skips its scenario with the reason.
import * as controlPlane from "@only1mcp/control-plane";
import { Skip } from "../targets/types.ts";

type AnyFunction = (...args: unknown[]) => unknown;

export function controlPlaneFunction(pattern: RegExp, missing: string): { name: string; fn: AnyFunction } {
  for (const [name, value] of Object.entries(controlPlane as Record<string, unknown>)) {
    if (pattern.test(name) && typeof value === "function") return { name, fn: value as AnyFunction };
  }
  throw new Skip(missing);
}
