/**
 * Console session lifetimes. Idle: the session cookie expires this long after the last
 * request (next-auth re-issues it on activity). Absolute: counted from sign-in, however active.
 */
export type SessionTimeouts = { idleSeconds: number; absoluteSeconds: number };

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

export function sessionTimeoutsFrom(env: NodeJS.ProcessEnv): SessionTimeouts {
  return {
    idleSeconds: Math.round(positive(env.ONLY1MCP_SESSION_IDLE_MINUTES, 30) * 60),
    absoluteSeconds: Math.round(positive(env.ONLY1MCP_SESSION_MAX_HOURS, 12) * 3600),
  };
}

/** Whether a session that began at `authTime` (epoch seconds) is past its absolute lifetime. */
export function pastAbsoluteTimeout(
  authTime: number | undefined,
  timeouts: SessionTimeouts,
  now = Date.now(),
): boolean {
  if (typeof authTime !== "number") return true;
  return now / 1000 - authTime > timeouts.absoluteSeconds;
}
