// The control plane's audit ingestion (ingestAuditBatch: dedupe by id, per-tenant hash
// chain, Postgres) behind a plain node:http server speaking the fleet route's contract
// (POST /api/v1/fleet/audit, Bearer node token, AuditBatchV1): lets a data-plane-only
// case ship audit for real without starting the whole console.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ingestAuditBatch } from "../../../../control-plane/src/audit/ingest-audit-batch.ts";
import { verifyAllAuditChains } from "../../../../control-plane/src/audit/verify-audit-chain.ts";
import { createTestDatabase } from "../../../../control-plane/src/testing/postgres-test-database.ts";
import { auditBatchV1Schema } from "../../../../data-plane/src/audit/audit-event-schema.ts";

export type AuditIngest = {
  url: string;
  nodeToken: string;
  stored(): Promise<number>;
  chainsOk(): Promise<{ chains: number; events: number; ok: boolean }>;
  close(): Promise<void>;
};

export async function startAuditIngest(): Promise<AuditIngest> {
  const database = await createTestDatabase();
  const nodeToken = randomBytes(24).toString("base64url");
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || req.url !== "/api/v1/fleet/audit") return reply(404, { code: "NOT_FOUND" });
    if (req.headers.authorization !== `Bearer ${nodeToken}`) return reply(401, { code: "UNAUTHENTICATED" });
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const parsed = auditBatchV1Schema.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      if (!parsed.success) return reply(400, { code: "INVALID_REQUEST" });
      ingestAuditBatch(database.db, parsed.data).then(
        (result) => reply(200, result),
        () => reply(503, { code: "UNAVAILABLE" }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    nodeToken,
    stored: () => database.db.dataPlaneEvent.count(),
    async chainsOk() {
      const chains = await verifyAllAuditChains(database.db);
      return {
        chains: chains.length,
        events: chains.reduce((n, c) => n + c.checked, 0),
        ok: chains.every((c) => c.ok),
      };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.drop();
    },
  };
}
