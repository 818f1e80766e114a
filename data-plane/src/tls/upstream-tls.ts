import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { checkServerIdentity, type PeerCertificate } from "node:tls";
import type { buildConnector } from "undici";
import type { UpstreamTls } from "../snapshots/schema.ts";

export type UpstreamConnectOptions = buildConnector.BuildOptions;

/**
 * The pin of a certificate: base64 sha256 of its DER SubjectPublicKeyInfo (what
 * `openssl … -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256` hashes).
 * From the whole certificate: a peer certificate's `pubkey` is the bare key for EC.
 */
export function spkiPin(certificate: Pick<PeerCertificate, "raw">): string | undefined {
  if (!certificate.raw) return undefined;
  const spki = new X509Certificate(certificate.raw).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

/**
 * undici connect options for an HTTPS upstream from its `tls` definition: the CA to
 * trust, the client certificate (mutual TLS), and a pin check after the usual chain
 * and host name checks. Files are read here, when the connection is (re)built; a file
 * that cannot be read is an error the caller reports as the upstream's.
 */
export function upstreamConnectOptions(tls: UpstreamTls | undefined): UpstreamConnectOptions | undefined {
  if (!tls) return undefined;
  const options: UpstreamConnectOptions = {};
  if (tls.caFile) options.ca = readFileSync(tls.caFile);
  if (tls.certFile && tls.keyFile) {
    options.cert = readFileSync(tls.certFile);
    options.key = readFileSync(tls.keyFile);
  }
  if (tls.serverName) options.servername = tls.serverName;
  const pins = tls.pinSha256;
  if (pins) {
    options.checkServerIdentity = (host: string, certificate: PeerCertificate) => {
      const identity = checkServerIdentity(tls.serverName ?? host, certificate);
      if (identity) return identity;
      const pin = spkiPin(certificate);
      if (pin !== undefined && pins.includes(pin)) return undefined;
      return new Error(
        `certificate pin mismatch for ${host}: the server's key is sha256/${pin ?? "(none)"}, the configuration pins ${pins
          .map((p) => `sha256/${p}`)
          .join(", ")}`,
      );
    };
  }
  return options;
}
