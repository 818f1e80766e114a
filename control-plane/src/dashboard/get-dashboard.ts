import type { Db } from "../db/open-database.ts";
import { fetchNodeStatus } from "../fleet/data-plane-nodes.ts";
import { operatorRoles } from "../operators/authenticate-operator.ts";

/** What the console's first screen shows an operator: only tenants they hold a role in. */
export async function getDashboard(db: Db, operatorId: string) {
  const roles = await operatorRoles(db, operatorId);
  const allTenants = roles.some((role) => role.tenantId === null);
  const tenantIds = roles.flatMap((role) => (role.tenantId ? [role.tenantId] : []));
  const [tenants, nodes, current] = await Promise.all([
    db.tenant.findMany({
      where: allTenants ? {} : { id: { in: tenantIds } },
      orderBy: { slug: "asc" },
      select: {
        id: true,
        slug: true,
        name: true,
        _count: { select: { apiKeys: true } },
        // The newest few: the keys screen pages through the rest (tenants may hold 10k keys).
        apiKeys: {
          take: 10,
          orderBy: { createdAt: "desc" },
          select: {
            id: true,
            name: true,
            prefix: true,
            createdAt: true,
            expiresAt: true,
            revokedAt: true,
            lastUsedAt: true,
          },
        },
      },
    }),
    db.dataPlaneNode.findMany({ orderBy: { name: "asc" } }),
    db.snapshot.findFirst({ orderBy: { version: "desc" }, select: { version: true, sha256: true, createdAt: true } }),
  ]);
  const dataPlanes = await Promise.all(
    nodes.map(async (node) => {
      const status = await fetchNodeStatus(node.url);
      return {
        id: node.id,
        name: node.name,
        url: node.url,
        appliedVersion: status ? status.snapshotVersion : node.appliedVersion,
        appliedHash: status ? status.snapshotHash : node.appliedHash,
        reachable: status !== undefined,
        lastSeenAt: status ? new Date() : node.lastSeenAt,
      };
    }),
  );
  return { tenants, dataPlanes, currentSnapshot: current };
}
