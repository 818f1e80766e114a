/**
 * Prisma error codes meaning the database could not be reached, or dropped or ran
 * out of connections: an infrastructure outage (503), not a bug (500).
 * P1001 can't reach server, P1002 timed out, P1008 operation timed out,
 * P1017 server closed the connection, P2024 connection pool timeout.
 */
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);

/** Whether an unexpected failure is the database being unavailable (checked along the cause chain). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth += 1) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (name === "PrismaClientInitializationError") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
