// `npm run supply-chain`: npm audit (high and above), a CycloneDX SBOM and a licence
// report of every installed production dependency. Writes reports/; exits non-zero
// on a high/critical advisory or a licence that is neither allowed nor excepted.
// Only the npm registry is reachable from here: whatever it cannot answer is
// reported as UNAVAILABLE, never as a pass.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkLicenses, licenseExpressionOf } from "./supply-chain/licenses.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reports = path.join(root, "reports");
const projectLicense = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).license;
mkdirSync(reports, { recursive: true });

function npm(args) {
  // npm exits non-zero for findings too: keep its stdout and status.
  const result = spawnSync("npm", args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

function write(name, value) {
  const file = path.join(reports, name);
  writeFileSync(file, typeof value === "string" ? value : `${JSON.stringify(value, null, 2)}\n`);
  return path.relative(root, file);
}

// 1. npm audit --------------------------------------------------------------------
function runAudit() {
  const { status, stdout, stderr } = npm(["audit", "--omit=dev", "--audit-level=high", "--json"]);
  let json;
  try {
    json = JSON.parse(stdout);
  } catch {
    return { status: "unavailable", reason: `npm audit printed no JSON: ${stderr.trim().split("\n").at(-1) ?? ""}` };
  }
  if (json.error || json.statusCode || (json.message && !json.metadata)) {
    const why = json.message ?? json.error?.summary ?? "unknown error";
    return { status: "unavailable", reason: `the registry's audit endpoint did not answer: ${why}` };
  }
  const counts = json.metadata?.vulnerabilities ?? {};
  const high = (counts.high ?? 0) + (counts.critical ?? 0);
  return { status: high > 0 || status !== 0 ? "fail" : "pass", counts, vulnerabilities: json.vulnerabilities ?? {} };
}

// 2. Production packages from the installed tree ----------------------------------
function productionPackages() {
  // Parseable output lists every installed package once per location
  // (`<path>:<name>@<version>[:<realpath>]`); the JSON tree hides children of
  // nodes it prints as deduped peers, which would skip whole subtrees.
  const { stdout } = npm(["ls", "--all", "--omit=dev", "--parseable", "--long"]);
  const byId = new Map();
  for (const line of stdout.split("\n").slice(1)) {
    const [location, spec] = line.split(":");
    if (!location || !spec || !existsSync(location)) continue;
    const at = spec.lastIndexOf("@");
    const name = spec.slice(0, at);
    const version = spec.slice(at + 1);
    const id = `${name}@${version}`;
    if (byId.has(id)) continue;
    const real = realpathSync(location);
    // Workspace packages are this project (same licence), not dependencies.
    const workspace = !real.split(path.sep).includes("node_modules");
    const manifest = JSON.parse(readFileSync(path.join(real, "package.json"), "utf8"));
    byId.set(id, {
      name,
      version,
      license: licenseExpressionOf(manifest),
      path: path.relative(root, location),
      workspace,
    });
  }
  return [...byId.values()];
}

// 3. SBOM: npm's own CycloneDX output, scoped to what ships ----------------------
function writeSbom(prodIds) {
  // `npm sbom --omit=dev` drops production packages that a workspace also lists as a
  // devDependency (npm 11.19), so take the full tree and mark dev-only components
  // `excluded` (CycloneDX: not part of the runtime) instead.
  const { status, stdout, stderr } = npm(["sbom", "--sbom-format", "cyclonedx"]);
  if (status !== 0) throw new Error(`npm sbom failed: ${stderr.trim()}`);
  const sbom = JSON.parse(stdout);
  let excluded = 0;
  for (const component of sbom.components ?? []) {
    if (!prodIds.has(`${component.name}@${component.version}`) && component.scope !== "excluded") {
      component.scope = "excluded";
      excluded += 1;
    }
  }
  return { file: write("sbom.cdx.json", sbom), components: sbom.components?.length ?? 0, excluded };
}

const audit = runAudit();
const packages = productionPackages();
const dependencies = packages.filter((pkg) => !pkg.workspace);
const sbom = writeSbom(new Set(packages.map((pkg) => `${pkg.name}@${pkg.version}`)));
const exceptionsFile = path.join(reports, "license-exceptions.json");
const exceptions = existsSync(exceptionsFile) ? JSON.parse(readFileSync(exceptionsFile, "utf8")).exceptions : [];
const licences = checkLicenses(dependencies, exceptions);
const tally = {};
for (const row of licences.rows) tally[row.license ?? "(none)"] = (tally[row.license ?? "(none)"] ?? 0) + 1;

const licensesFile = write("licenses.json", {
  generatedAt: new Date().toISOString(),
  projectLicense,
  packages: licences.rows,
  byLicense: tally,
});
const auditFile = write("audit.json", { generatedAt: new Date().toISOString(), ...audit });
const summary = [
  "# Supply chain report",
  "",
  `Generated ${new Date().toISOString()} by \`npm run supply-chain\`. Project licence: ${projectLicense}.`,
  "",
  "| check | result | detail |",
  "| --- | --- | --- |",
  `| npm audit (prod, high+) | ${audit.status.toUpperCase()} | ${
    audit.status === "unavailable" ? audit.reason : JSON.stringify(audit.counts)
  } |`,
  `| SBOM (CycloneDX) | written | ${sbom.components} components, ${sbom.excluded} dev-only marked excluded: \`${sbom.file}\` |`,
  `| licences | ${licences.failures.length === 0 ? "PASS" : "FAIL"} | ${dependencies.length} production packages, ${
    licences.rows.filter((row) => row.status === "exception").length
  } reviewed exceptions, ${licences.failures.length} failures: \`${licensesFile}\` |`,
  "",
  "## Licences",
  "",
  "| licence | packages |",
  "| --- | --- |",
  ...Object.entries(tally)
    .sort((a, b) => b[1] - a[1])
    .map(([license, count]) => `| ${license} | ${count} |`),
  "",
  "## Flagged for review",
  "",
  ...licences.rows
    .filter((row) => row.status !== "allowed")
    .map(
      (row) =>
        `- ${row.name}@${row.version} (${row.license ?? "none"}): ${row.reason}. ${
          row.status === "exception" ? `Accepted: ${row.justification}` : "NO EXCEPTION: fails the check."
        }`,
    ),
  "",
].join("\n");
const summaryFile = write("supply-chain.md", summary);

process.stdout.write(
  [
    `npm audit (prod, high+): ${audit.status.toUpperCase()}${
      audit.status === "unavailable"
        ? ` - ${audit.reason}. NOT a pass: run it where the registry's audit endpoint answers.`
        : ` ${JSON.stringify(audit.counts)}`
    }`,
    `SBOM: ${sbom.file} (${sbom.components} components, ${sbom.excluded} dev-only marked excluded)`,
    `Licences: ${dependencies.length} production packages, ${licences.failures.length} failing, ${
      licences.rows.filter((row) => row.status === "exception").length
    } excepted -> ${licensesFile}`,
    ...licences.failures.map((row) => `  FAIL ${row.name}@${row.version}: ${row.license ?? "none"} (${row.reason})`),
    `Summary: ${summaryFile}, audit: ${auditFile}`,
    "",
  ].join("\n"),
);

const requireAudit = process.env.SUPPLY_CHAIN_REQUIRE_AUDIT === "1";
const failed = licences.failures.length > 0 || audit.status === "fail" || (requireAudit && audit.status !== "pass");
process.exitCode = failed ? 1 : 0;
