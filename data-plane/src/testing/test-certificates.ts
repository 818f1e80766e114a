import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * A throwaway P-256 CA and a `server` and a `client` certificate it signed (valid one day,
 * subjectAltName IP:127.0.0.1), made with the openssl CLI in `dir`: `ca.pem`/`ca.key`,
 * `server.pem`/`server.key`, `client.pem`/`client.key`.
 */
export async function makeTestCertificates(dir: string, caName = "test-ca"): Promise<void> {
  const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await writeFile(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", `/CN=${caName}`]);
  for (const name of ["server", "client"]) {
    openssl(["req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`]);
    openssl(
      ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"].concat([
        "-out",
        `${name}.pem`,
        "-days",
        "1",
        "-extfile",
        "san.ext",
      ]),
    );
  }
}
