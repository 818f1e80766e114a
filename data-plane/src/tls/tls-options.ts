import { readFileSync } from "node:fs";
import type { ServerOptions } from "node:https";
import type { SecuritySettings } from "../security/security-schema.ts";

export type TlsFiles = { certFile?: string; keyFile?: string; clientCaFile?: string };

/**
 * HTTPS options from the seed's `security.tls` block (files may also come from the
 * environment): TLS 1.3 minimum unless the block says 1.2, only the listed cipher
 * suites, and mutual TLS when a client CA is given. Undefined = plain HTTP.
 */
export function tlsServerOptions(security: SecuritySettings | undefined, env: TlsFiles): ServerOptions | undefined {
  const tls = security?.tls;
  const certFile = env.certFile ?? tls?.cert_file;
  const keyFile = env.keyFile ?? tls?.key_file;
  if (!certFile || !keyFile || (tls && !tls.enabled && !env.certFile)) return undefined;
  const clientCaFile = env.clientCaFile ?? tls?.client_ca_file;
  const suites = tls?.cipher_suites ?? ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
  const options: ServerOptions = {
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
    minVersion: tls?.min_version === "1.2" ? "TLSv1.2" : "TLSv1.3",
    // Node takes TLS 1.3 suites (TLS_*) in `ciphers`, alongside any 1.2 ones.
    ciphers: suites.join(":"),
    honorCipherOrder: true,
  };
  if (clientCaFile) {
    options.ca = readFileSync(clientCaFile);
    options.requestCert = true;
    options.rejectUnauthorized = tls?.require_client_cert ?? true;
  }
  return options;
}
