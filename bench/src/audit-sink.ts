// The control plane's audit intake as far as the bench needs it: accepts the data
// plane's AuditBatchV1 POSTs (answering 200, as the control plane does once stored)
// and counts the events, so "enforcement on" includes building, batching and
// shipping audit events without a Postgres write in the measured figure.
// Other control-plane calls (heartbeats) get 200 too. GET /count: events received.
import { createServer } from "node:http";

let events = 0;
const http = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (req.method === "GET" && req.url === "/count") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ events }));
    return;
  }
  if (req.method === "POST" && req.url === "/api/v1/fleet/audit") {
    try {
      const batch = JSON.parse(Buffer.concat(chunks).toString()) as { events?: unknown[] };
      events += batch.events?.length ?? 0;
    } catch {
      res.statusCode = 400;
    }
  }
  res.setHeader("content-type", "application/json");
  res.end("{}");
});
http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" ? address?.port : 0 })}\n`);
});
