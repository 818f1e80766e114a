import type * as ControlPlane from "@only1mcp/control-plane";

/**
 * The control-plane module, loaded lazily at request time. It is a server-external
 * package (next.config.ts), so this is the very module instance server.mjs started:
 * its context (database, data dir) is reachable through getControlPlane(). Lazy, so
 * that `next build` never opens the database.
 */
export type ControlPlaneModule = typeof ControlPlane;

export function loadControlPlane(): Promise<ControlPlaneModule> {
  // Turbopack bundles workspace packages even when listed in serverExternalPackages
  // (vercel/next.js#84388). Ignoring the import leaves a native import() that Node
  // resolves to control-plane/dist: the same module instance server.mjs loaded.
  return import(/* turbopackIgnore: true */ /* webpackIgnore: true */ "@only1mcp/control-plane");
}

/** The started control plane: its module and its context (throws if server.mjs did not start it). */
export async function controlPlane() {
  const cp = await loadControlPlane();
  return { cp, context: cp.getControlPlane() };
}
