import type { SealedSecret, UpstreamEntry } from "@only1mcp/data-plane";
import type { Db } from "../db/open-database.ts";
import { deriveFleetDataKey, sealForFleet, secretFingerprint } from "../secrets/fleet-data-key.ts";
import type { SecretsKey } from "../secrets/secrets-key.ts";
import { openStoredSecret } from "../secrets/store-secret.ts";

const REFERENCE = /^secret:\/\/([A-Za-z0-9_.-]{1,128})$/;

export type SealedUpstreams = {
  upstreams: UpstreamEntry[];
  /** Sealed secrets by name; undefined when no upstream has an env or header value. */
  secrets: Record<string, SealedSecret> | undefined;
};

/** Thrown when upstream env/header values must be sealed but no secrets key was given. */
export class SecretsKeyRequiredError extends Error {
  constructor() {
    super("upstream env and header values are sealed into snapshots: a secrets key (ONLY1MCP_SECRETS_KEY) is required");
  }
}

/**
 * No env or header value of an upstream travels in clear: a `secret://name` value is
 * resolved from the tenant's stored secrets, any other value is sealed as the inline
 * secret `inline/<upstream id>/<env|header>/<name>` ('/' cannot occur in a stored
 * secret's name), and the value in the upstream becomes the reference. A reference
 * to a secret that does not exist stays as it is: that upstream reports the missing
 * secret on the data plane, the rest of the snapshot still applies.
 */
export async function sealUpstreamSecrets(
  db: Db,
  tenantId: string,
  upstreams: UpstreamEntry[],
  secretsKey: SecretsKey | undefined,
): Promise<SealedUpstreams> {
  const plaintexts = new Map<string, string>();
  let stored: Map<string, string> | undefined;
  const storedSecret = async (name: string): Promise<string | undefined> => {
    if (!secretsKey) throw new SecretsKeyRequiredError();
    stored ??= new Map(
      (await db.secret.findMany({ where: { tenantId }, orderBy: { name: "asc" } })).flatMap((row) => {
        const opened = openStoredSecret(secretsKey, row);
        return opened.ok ? [[row.name, opened.plaintext] as const] : [];
      }),
    );
    return stored.get(name);
  };
  const sealValues = async (upstreamId: string, kind: "env" | "header", values: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
      const reference = REFERENCE.exec(value)?.[1];
      if (reference !== undefined) {
        const plaintext = await storedSecret(reference);
        if (plaintext !== undefined) plaintexts.set(reference, plaintext);
        out[key] = value;
        continue;
      }
      if (!secretsKey) throw new SecretsKeyRequiredError();
      const name = `inline/${upstreamId}/${kind}/${key}`;
      plaintexts.set(name, value);
      out[key] = `secret://${name}`;
    }
    return out;
  };
  const sealed: UpstreamEntry[] = [];
  for (const upstream of upstreams) {
    if (upstream.transport === "stdio")
      sealed.push({ ...upstream, env: await sealValues(upstream.id, "env", upstream.env) });
    else sealed.push({ ...upstream, headers: await sealValues(upstream.id, "header", upstream.headers) });
  }
  if (plaintexts.size === 0 || !secretsKey) return { upstreams: sealed, secrets: undefined };
  const dataKey = deriveFleetDataKey(secretsKey);
  const secrets: Record<string, SealedSecret> = {};
  for (const name of [...plaintexts.keys()].sort()) {
    const plaintext = plaintexts.get(name) ?? "";
    secrets[name] = {
      fingerprint: secretFingerprint(dataKey, `${tenantId}:${name}`, plaintext),
      jwe: await sealForFleet(dataKey, plaintext),
    };
  }
  return { upstreams: sealed, secrets };
}
