import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";

// A fresh process: in this one, anything importing "undici" would hide a Pool that
// only works once undici's index has run.
const script = `
import { createRequire } from "node:module";
const { Pool } = await import(${JSON.stringify(new URL("./pool.ts", import.meta.url).href)});
const pool = new Pool(process.argv[1], { connections: 1 });
const { statusCode, body } = await pool.request({ path: "/x", method: "POST", body: "{}" });
const text = await body.text();
await pool.close();
const require = createRequire(import.meta.url);
const indexLoaded = Object.keys(require.cache).some((f) => /undici[\\\\/]index\\.js$/.test(f));
const { Pool: FromIndex } = await import("undici");
console.log(JSON.stringify({ statusCode, text, indexLoaded, same: FromIndex === Pool }));
`;

describe("outbound Pool (undici's Pool, loaded alone)", () => {
  it("sends requests without undici's index, and is the Pool undici exports", async () => {
    const server = createServer((req, res) => res.end(`${req.method} ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // Asynchronous: this process's server has to answer while the child runs.
      const run = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
        execFile(
          process.execPath,
          ["--import", "tsx", "--input-type=module", "-e", script, origin],
          { encoding: "utf8", cwd: new URL(".", import.meta.url), timeout: 20_000 },
          (error, stdout, stderr) => (error ? reject(Object.assign(error, { stderr })) : resolve({ stdout, stderr })),
        ),
      );
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual({
        statusCode: 200,
        text: "POST /x",
        indexLoaded: false,
        same: true,
      });
    } finally {
      server.close();
    }
  });
});
