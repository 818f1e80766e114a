import type { Role } from "../db/generated/client.ts";
import type { Db } from "../db/open-database.ts";
import { hashSecret, secretMatches } from "../keys/secret-hash.ts";
import { parseOperatorToken } from "./operator-token-format.ts";

export type OperatorIdentity = { id: string; email: string; name: string };
export type OperatorRole = { tenantId: string | null; role: Role };

// Compared against when the email is unknown, so both paths cost one bcrypt.
let dummyHash: Promise<string> | undefined;
function unknownOperatorHash(): Promise<string> {
  dummyHash ??= hashSecret("no operator has this password");
  return dummyHash;
}

export async function authenticateOperatorPassword(
  db: Db,
  email: string,
  password: string,
): Promise<{ ok: true; operator: OperatorIdentity } | { ok: false; code: "INVALID_CREDENTIALS" }> {
  const operator = await db.operator.findUnique({ where: { email: email.trim().toLowerCase() } });
  const matches = await secretMatches(password, operator?.passwordHash ?? (await unknownOperatorHash()));
  if (!operator?.passwordHash || !matches) return { ok: false, code: "INVALID_CREDENTIALS" };
  return { ok: true, operator: { id: operator.id, email: operator.email, name: operator.name } };
}

export type TokenAuthResult =
  | {
      ok: true;
      operator: OperatorIdentity;
      roles: OperatorRole[];
      tokenId: string;
      /** Token scopes (see the authz module): read-only, one tenant. */
      readOnly: boolean;
      tenantId: string | null;
    }
  | { ok: false; code: "NOT_FOUND" | "EXPIRED" | "REVOKED" | "INVALID" };

/** Verifies an operator API token (`o1t_<prefix>_<secret>`) and returns its roles. */
export async function authenticateOperatorToken(
  db: Db,
  bearerToken: string,
  now = new Date(),
): Promise<TokenAuthResult> {
  const parsed = parseOperatorToken(bearerToken);
  if (!parsed) return { ok: false, code: "INVALID" };
  const token = await db.operatorToken.findUnique({
    where: { prefix: parsed.prefix },
    include: { operator: { include: { memberships: true } } },
  });
  if (!token) return { ok: false, code: "NOT_FOUND" };
  if (!(await secretMatches(parsed.token, token.hash))) return { ok: false, code: "INVALID" };
  if (token.revokedAt) return { ok: false, code: "REVOKED" };
  if (token.expiresAt && token.expiresAt <= now) return { ok: false, code: "EXPIRED" };
  await db.operatorToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  const { operator } = token;
  return {
    ok: true,
    tokenId: token.id,
    readOnly: token.readOnly,
    tenantId: token.tenantId,
    operator: { id: operator.id, email: operator.email, name: operator.name },
    roles: operator.memberships.map((m) => ({ tenantId: m.tenantId, role: m.role })),
  };
}

export async function operatorRoles(db: Db, operatorId: string): Promise<OperatorRole[]> {
  const memberships = await db.membership.findMany({ where: { operatorId } });
  return memberships.map((m) => ({ tenantId: m.tenantId, role: m.role }));
}
