// Licence policy for production dependencies: pure functions, no I/O, so the
// rules are unit-tested (scripts/supply-chain/licenses.test.ts).

/**
 * Licences compatible with shipping inside an Apache-2.0 product (permissive,
 * no copyleft). CC-BY-4.0 is accepted for data files only (e.g. caniuse-lite).
 */
export const ALLOWED_LICENSES = new Set([
  "MIT",
  "ISC",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "Apache-2.0",
  "0BSD",
  "BlueOak-1.0.0",
  "CC0-1.0",
  "Unlicense",
  "Python-2.0",
  "CC-BY-4.0",
]);

/** Old or loose spellings seen in package.json files, mapped to SPDX ids. */
const ALIASES = new Map([
  ["APACHE 2.0", "Apache-2.0"],
  ["APACHE-2", "Apache-2.0"],
  ["APACHE2", "Apache-2.0"],
  ["APACHE LICENSE 2.0", "Apache-2.0"],
  ["BSD", "BSD-3-Clause"],
  ["MIT LICENSE", "MIT"],
  ["MIT/X11", "MIT"],
  ["UNLICENSED", "UNLICENSED"],
]);

/** A package.json `license` / legacy `licenses` field as one SPDX expression string, or null. */
export function licenseExpressionOf(manifest) {
  const field = manifest?.license ?? manifest?.licenses;
  if (typeof field === "string") return field.trim() || null;
  if (Array.isArray(field)) {
    const ids = field.map((entry) => (typeof entry === "string" ? entry : entry?.type)).filter(Boolean);
    return ids.length === 0 ? null : ids.length === 1 ? ids[0] : `(${ids.join(" OR ")})`;
  }
  if (field && typeof field === "object" && typeof field.type === "string") return field.type;
  return null;
}

function tokenize(expression) {
  return expression.replace(/\(/g, " ( ").replace(/\)/g, " ) ").split(/\s+/).filter(Boolean);
}

/**
 * Parses an SPDX expression (`A OR (B AND C)`, `X WITH exception`) into a tree.
 * Throws on a malformed expression; the caller reports it for review.
 */
export function parseSpdx(expression) {
  const tokens = tokenize(expression);
  let index = 0;
  const peek = () => tokens[index];
  const next = () => tokens[index++];

  function primary() {
    const token = next();
    if (token === undefined) throw new Error("unexpected end of licence expression");
    if (token === "(") {
      const inner = orExpr();
      if (next() !== ")") throw new Error("missing ')' in licence expression");
      return inner;
    }
    if (token === ")" || /^(AND|OR|WITH)$/i.test(token)) throw new Error(`unexpected '${token}'`);
    let id = ALIASES.get(token.toUpperCase()) ?? token;
    if (peek()?.toUpperCase() === "WITH") {
      next();
      const exception = next();
      if (exception === undefined) throw new Error("missing exception after WITH");
      id = `${id} WITH ${exception}`;
    }
    return { kind: "license", id };
  }
  function andExpr() {
    let left = primary();
    while (peek()?.toUpperCase() === "AND") {
      next();
      left = { kind: "and", left, right: primary() };
    }
    return left;
  }
  function orExpr() {
    let left = andExpr();
    while (peek()?.toUpperCase() === "OR") {
      next();
      left = { kind: "or", left, right: andExpr() };
    }
    return left;
  }
  const whole = ALIASES.get(expression.trim().toUpperCase());
  if (whole) return { kind: "license", id: whole };
  const tree = orExpr();
  if (index !== tokens.length) throw new Error(`unexpected '${tokens[index]}'`);
  return tree;
}

/** The licence ids of a tree that block it (empty = allowed). OR needs one allowed side, AND both. */
function blockers(tree, allowed) {
  if (tree.kind === "license") {
    // "X WITH exception" only widens X's permissions; judge it by X.
    const base = tree.id.split(" WITH ")[0];
    return allowed.has(base) ? [] : [tree.id];
  }
  const left = blockers(tree.left, allowed);
  const right = blockers(tree.right, allowed);
  if (tree.kind === "or") return left.length === 0 || right.length === 0 ? [] : [...left, ...right];
  return [...left, ...right];
}

/**
 * Classifies one package's licence expression:
 * `allowed`, or `review` with the reason (unknown, malformed, or not on the allow-list).
 */
export function classifyLicense(expression, allowed = ALLOWED_LICENSES) {
  if (expression === null || expression === undefined || expression === "") {
    return { status: "review", reason: "no licence declared" };
  }
  if (/^SEE LICEN[CS]E IN /i.test(expression)) {
    return { status: "review", reason: `licence in a file (${expression})` };
  }
  let tree;
  try {
    tree = parseSpdx(expression);
  } catch (error) {
    return { status: "review", reason: `unparseable licence expression: ${error.message}` };
  }
  const blocking = blockers(tree, allowed);
  if (blocking.length === 0) return { status: "allowed" };
  return { status: "review", reason: `not on the allow-list: ${blocking.join(", ")}` };
}

/**
 * Checks every package against the allow-list and the reviewed exceptions.
 * An exception matches by name (and version when given) and must carry a justification.
 * Returns one row per package and the failures (flagged with no exception).
 */
export function checkLicenses(packages, exceptions = []) {
  const rows = packages.map((pkg) => {
    const verdict = classifyLicense(pkg.license);
    if (verdict.status === "allowed") return { ...pkg, status: "allowed" };
    const exception = exceptions.find(
      (entry) =>
        entry.package === pkg.name &&
        (entry.version === undefined || entry.version === pkg.version) &&
        typeof entry.justification === "string" &&
        entry.justification.trim().length > 0,
    );
    if (exception) {
      return { ...pkg, status: "exception", reason: verdict.reason, justification: exception.justification };
    }
    return { ...pkg, status: "fail", reason: verdict.reason };
  });
  return { rows, failures: rows.filter((row) => row.status === "fail") };
}
