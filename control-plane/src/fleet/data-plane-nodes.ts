import type { Db } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";

/** Registers the data planes named in ONLY1MCP_DATA_PLANE_URLS (comma separated). */
export async function registerConfiguredNodes(db: Db, urls: readonly string[]): Promise<void> {
  for (const [index, raw] of urls.entries()) {
    const url = new URL(raw).toString().replace(/\/$/, "");
    await db.dataPlaneNode.upsert({
      where: { url },
      create: { id: generateId("node"), url, name: `data-plane-${index + 1}` },
      update: {},
    });
  }
}

export function dataPlaneUrlsFrom(env: NodeJS.ProcessEnv): string[] {
  return (env.ONLY1MCP_DATA_PLANE_URLS ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter(Boolean);
}

export type DataPlaneStatus = {
  snapshotVersion: number | null;
  snapshotHash: string | null;
  appliedAt: string | null;
  upstreams: unknown[];
};

export async function fetchNodeStatus(url: string, timeoutMs = 1500): Promise<DataPlaneStatus | undefined> {
  try {
    const response = await fetch(`${url}/_only1mcp/status`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    return (await response.json()) as DataPlaneStatus;
  } catch {
    return undefined;
  }
}
