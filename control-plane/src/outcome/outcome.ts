/**
 * Expected outcomes of domain operations are data, not exceptions: the API maps each
 * code to one HTTP status in one place (web/src/api/errors.ts).
 */
export type FailureCode = "NOT_FOUND" | "CONFLICT" | "INVALID" | "UNAVAILABLE";

export type Failure = { ok: false; code: FailureCode; message: string };
export type Outcome<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (code: FailureCode, message: string): Failure => ({ ok: false, code, message });

/** Prisma's unique-constraint violation (P2002), the one database error that is an expected outcome. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
