import { readFileSync } from "node:fs";
import path from "node:path";

/** The seed's recommended `security:` + `observability:` block, as written (examples/seed-security-block.yaml). */
export const SEED_SECURITY_BLOCK = readFileSync(
  path.resolve(import.meta.dirname, "..", "..", "examples", "seed-security-block.yaml"),
  "utf8",
);
