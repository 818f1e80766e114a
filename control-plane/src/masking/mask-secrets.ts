/** Names whose values are secrets wherever they appear (env vars, headers, fields). */
const SECRET_NAME = /secret|token|password|passwd|authorization|api[-_]?key|credential|private|cookie/i;

export const MASK = "••••";

/**
 * A copy of `value` safe for audit records: every value under a secret-looking name,
 * and every value of an `env` or `headers` map, is replaced by a mask.
 */
export function maskSecrets(value: unknown, parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, parentKey));
  if (value === null || typeof value !== "object") {
    return SECRET_NAME.test(parentKey) && value !== null && value !== "" ? MASK : value;
  }
  const out: Record<string, unknown> = {};
  const maskAll = parentKey === "env" || parentKey === "headers";
  for (const [key, inner] of Object.entries(value)) {
    out[key] = maskAll && typeof inner === "string" ? MASK : maskSecrets(inner, key);
  }
  return out;
}
