import { verifyAllAuditChains } from "../audit/verify-audit-chain.ts";
import type { Db } from "../db/open-database.ts";
import { listFleet } from "../fleet/list-fleet.ts";
import { DEFAULT_RETENTION_DAYS } from "../retention/apply-audit-retention.ts";
import type { EvidenceSection } from "./report-templates.ts";

/** One row of evidence: flat, so the same rows make the JSON, the CSV and the PDF. */
export type EvidenceRow = {
  section: EvidenceSection;
  item: string;
  status: "ok" | "attention" | "info";
  detail: Record<string, string | number | boolean | null>;
};

export type EvidenceScope = { tenantId: string | null; from: Date; to: Date };

const DAY_MS = 24 * 3600 * 1000;
/** A credential unused for this long is flagged for review. */
export const UNUSED_AFTER_DAYS = 90;
const CONFIG_ACTIONS = ["policy.", "upstream.", "snapshot.", "api_key.", "rollout.", "signing_key.", "secret."];

const ageDays = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / DAY_MS);

export const collectors: Record<EvidenceSection, (db: Db, scope: EvidenceScope) => Promise<EvidenceRow[]>> = {
  async access_review(db, scope) {
    const rows: EvidenceRow[] = [];
    const memberships = await db.membership.findMany({
      where: scope.tenantId ? { OR: [{ tenantId: scope.tenantId }, { tenantId: null }] } : {},
      include: { operator: { select: { email: true } } },
      orderBy: [{ operatorId: "asc" }, { tenantId: "asc" }],
    });
    for (const m of memberships)
      rows.push({
        section: "access_review",
        item: `role ${m.role} held by ${m.operator.email}`,
        status: "info",
        detail: { kind: "role", operatorId: m.operatorId, email: m.operator.email, role: m.role, tenantId: m.tenantId },
      });
    const keys = await db.apiKey.findMany({
      where: scope.tenantId ? { tenantId: scope.tenantId } : {},
      orderBy: { createdAt: "asc" },
    });
    for (const key of keys) {
      const unused = !key.revokedAt && (!key.lastUsedAt || ageDays(key.lastUsedAt, scope.to) >= UNUSED_AFTER_DAYS);
      const expired = key.expiresAt !== null && key.expiresAt <= scope.to;
      rows.push({
        section: "access_review",
        item: `API key ${key.name} (${key.prefix})`,
        status: unused && !expired ? "attention" : "ok",
        detail: {
          kind: "api_key",
          keyId: key.id,
          tenantId: key.tenantId,
          ageDays: ageDays(key.createdAt, scope.to),
          lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
          unused,
          revoked: key.revokedAt !== null,
          expired,
        },
      });
    }
    const tokens = await db.operatorToken.findMany({ orderBy: { createdAt: "asc" } });
    for (const token of tokens) {
      const unused =
        !token.revokedAt && (!token.lastUsedAt || ageDays(token.lastUsedAt, scope.to) >= UNUSED_AFTER_DAYS);
      rows.push({
        section: "access_review",
        item: `operator token ${token.name} (${token.prefix})`,
        status: unused ? "attention" : "ok",
        detail: {
          kind: "operator_token",
          operatorId: token.operatorId,
          ageDays: ageDays(token.createdAt, scope.to),
          lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
          unused,
          revoked: token.revokedAt !== null,
        },
      });
    }
    return rows;
  },

  async authentication_failures(db, scope) {
    const groups = await db.dataPlaneEvent.groupBy({
      by: ["tenantId", "code"],
      where: {
        kind: "authentication",
        decision: "deny",
        occurredAt: { gte: scope.from, lt: scope.to },
        ...(scope.tenantId ? { tenantId: scope.tenantId } : {}),
      },
      _count: { _all: true },
      orderBy: [{ tenantId: "asc" }, { code: "asc" }],
    });
    if (groups.length === 0)
      return [{ section: "authentication_failures", item: "no authentication failures", status: "ok", detail: {} }];
    return groups.map((g) => ({
      section: "authentication_failures",
      item: `${g._count._all} failures with ${g.code}`,
      status: "info",
      detail: { tenantId: g.tenantId, code: g.code, count: g._count._all },
    }));
  },

  async configuration_changes(db, scope) {
    const events = await db.auditEvent.findMany({
      where: {
        kind: "admin",
        createdAt: { gte: scope.from, lt: scope.to },
        OR: CONFIG_ACTIONS.map((prefix) => ({ action: { startsWith: prefix } })),
        ...(scope.tenantId ? { tenantId: scope.tenantId } : {}),
      },
      orderBy: { createdAt: "asc" },
      take: 5000,
    });
    return events.map((e) => ({
      section: "configuration_changes",
      item: e.action,
      status: "info",
      detail: { time: e.createdAt.toISOString(), actor: e.actor, tenantId: e.tenantId, eventId: e.id },
    }));
  },

  async admin_actions(db, scope) {
    const groups = await db.auditEvent.groupBy({
      by: ["actor", "action"],
      where: {
        kind: "admin",
        createdAt: { gte: scope.from, lt: scope.to },
        ...(scope.tenantId ? { tenantId: scope.tenantId } : {}),
      },
      _count: { _all: true },
      orderBy: [{ actor: "asc" }, { action: "asc" }],
    });
    return groups.map((g) => ({
      section: "admin_actions",
      item: `${g.actor}: ${g.action}`,
      status: "info",
      detail: { actor: g.actor, action: g.action, count: g._count._all },
    }));
  },

  async fleet_state(db, scope) {
    const nodes = await listFleet(db, { now: scope.to });
    if (nodes.length === 0)
      return [{ section: "fleet_state", item: "no data planes registered", status: "attention", detail: {} }];
    return nodes.map((n) => ({
      section: "fleet_state",
      item: `data plane ${n.name}`,
      status: n.health === "in_sync" ? "ok" : "attention",
      detail: {
        nodeId: n.id,
        health: n.health,
        appliedVersion: n.appliedVersion,
        targetVersion: n.targetVersion,
        version: n.version,
        lastSeenAt: n.lastSeenAt,
      },
    }));
  },

  async audit_chain(db, scope) {
    const chains = (await verifyAllAuditChains(db)).filter((c) => !scope.tenantId || c.chainKey === scope.tenantId);
    if (chains.length === 0)
      return [{ section: "audit_chain", item: "no audit chain yet", status: "info", detail: {} }];
    return chains.map((c) => ({
      section: "audit_chain",
      item: `chain ${c.chainKey}`,
      status: c.ok ? "ok" : "attention",
      detail: {
        chainKey: c.chainKey,
        verified: c.ok,
        checked: c.checked,
        firstSeq: c.firstSeq,
        lastSeq: c.lastSeq,
        problems: c.problems.length,
      },
    }));
  },

  async retention_status(db, scope) {
    const tenants = await db.tenant.findMany({
      where: scope.tenantId ? { id: scope.tenantId } : {},
      orderBy: { id: "asc" },
      select: { id: true, slug: true, auditRetentionDays: true },
    });
    const rows: EvidenceRow[] = [];
    for (const t of tenants) {
      const [oldest, lastRun] = await Promise.all([
        db.dataPlaneEvent.findFirst({
          where: { chainKey: t.id },
          orderBy: { seq: "asc" },
          select: { receivedAt: true },
        }),
        db.retentionRun.findFirst({ where: { chainKey: t.id }, orderBy: { createdAt: "desc" } }),
      ]);
      const oldestAge = oldest ? ageDays(oldest.receivedAt, scope.to) : null;
      rows.push({
        section: "retention_status",
        item: `tenant ${t.slug}: keep ${t.auditRetentionDays} days`,
        status: oldestAge !== null && oldestAge > t.auditRetentionDays ? "attention" : "ok",
        detail: {
          tenantId: t.id,
          retentionDays: t.auditRetentionDays,
          defaultDays: DEFAULT_RETENTION_DAYS,
          oldestEventAgeDays: oldestAge,
          lastRunAt: lastRun?.createdAt.toISOString() ?? null,
          lastRunRemoved: lastRun?.removedCount ?? null,
        },
      });
    }
    return rows;
  },
};
