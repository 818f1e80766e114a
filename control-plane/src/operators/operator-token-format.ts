/** Operator API tokens look like `o1t_<prefix>_<secret>`; only a hash is stored. */
const TOKEN_PATTERN = /^o1t_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

export function parseOperatorToken(candidate: string): { prefix: string; token: string } | undefined {
  const match = TOKEN_PATTERN.exec(candidate.trim());
  if (!match?.[1]) return undefined;
  return { prefix: match[1], token: candidate.trim() };
}

export function formatOperatorToken(prefix: string, secret: string): string {
  return `o1t_${prefix}_${secret}`;
}
