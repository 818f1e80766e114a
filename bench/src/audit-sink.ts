// The control plane's audit intake as far as the bench needs it: accepts the data
// plane's AuditBatchV1 POSTs (answering 200, as the control plane does once stored)
// and counts the events, so "enforcement on" includes building, batching and
// shipping audit events without a Postgres write in the measured figure.
// Other control-plane calls (heartbeats) get 200 too. GET /count: events received.
import { createServer } from "node:http";

let events = 0;
/** Once per event of an AuditBatchV1 (`nodeId`, `keyId`… never match: the key is exactly "id"). */
const EVENT_ID = Buffer.from('"id":');
const http = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (req.method === "GET" && req.url === "/count") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ events }));
    return;
  }
  if (req.method === "POST" && req.url === "/api/v1/fleet/audit") {
    // Counted, not parsed: the bench measures the gateway (the control plane's ingestion has its
    // own figure), and parsing ~400 KB batches here took CPU from the processes being measured.
    const body = Buffer.concat(chunks);
    for (let i = body.indexOf(EVENT_ID); i !== -1; i = body.indexOf(EVENT_ID, i + EVENT_ID.length)) events++;
  }
  res.setHeader("content-type", "application/json");
  res.end("{}");
});
http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" ? address?.port : 0 })}\n`);
});
