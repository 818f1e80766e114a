import { readFile } from "node:fs/promises";
import type { JWK } from "jose";
import { z } from "zod";
import { TrustedKeys } from "../snapshots/verify.ts";

const jwkSchema = z.looseObject({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string().min(1),
  kid: z.string().min(1),
});
const fileSchema = z.object({ keys: z.array(jwkSchema) });

/** Reads `{"keys":[<Ed25519 public JWK with kid>...]}`; an absent file means no trusted keys. */
export async function readTrustedKeysFile(file: string | undefined): Promise<TrustedKeys> {
  if (!file) return TrustedKeys.fromJwks([]);
  const text = await readFile(file, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`trusted keys file ${file} is not JSON`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`trusted keys file ${file} is invalid: ${problems}`);
  }
  return TrustedKeys.fromJwks(parsed.data.keys as JWK[]);
}
