import type { Db } from "../db/open-database.ts";

export type PublishedPolicy = { id: string; name: string; rules: unknown };
export type PublishedPolicies = { version: number | null; policies: PublishedPolicy[] };

type PayloadShape = { tenants?: Array<{ id?: string; policies?: PublishedPolicy[] }> };

/**
 * The tenant's policies as the latest published snapshot carries them: what the data
 * planes enforce, and what the console diffs an edit against. Read from our own signed
 * snapshot row, so no signature check is needed here.
 */
export async function publishedPolicies(db: Db, tenantId: string): Promise<PublishedPolicies> {
  const latest = await db.snapshot.findFirst({ orderBy: { version: "desc" }, select: { version: true, jws: true } });
  if (!latest) return { version: null, policies: [] };
  const payloadPart = latest.jws.split(".")[1] ?? "";
  const payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")) as PayloadShape;
  const tenant = payload.tenants?.find((entry) => entry.id === tenantId);
  return { version: latest.version, policies: tenant?.policies ?? [] };
}
