import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { SseParser } from "./sse/sse-parser.ts";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import { hashKey, makeApiKey } from "./testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "./testing/process.ts";

type Status = { upstreams: { name: string; state: string }[] };
type Event = { id: number; method: string };

/**
 * Resumable legacy GET stream: a client that loses its stream and reconnects with
 * `Last-Event-ID` gets the list_changed events it missed while it was away, in
 * order, starting right after the last one it saw.
 */
describe("GET /mcp stream resumes with Last-Event-ID", () => {
  let dir: string;
  let plane: RunningPlane;
  let http: AskingUpstream;
  let key: string;
  let prefix: string;
  let configFile: string;
  const status = async () => (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as Status;

  const writeConfig = async (version: number, second: boolean) => {
    const upstreams: unknown[] = [{ id: "u_one", name: "one", transport: "http", url: http.url }];
    if (second) upstreams.push({ id: "u_two", name: "two", transport: "http", url: http.url });
    await writeFile(
      configFile,
      stringify({
        schema: "snapshot.v1",
        version,
        issuedAt: new Date().toISOString(),
        tenants: [
          {
            id: "ten_resume",
            slug: "resume",
            name: "Resume",
            apiKeys: [{ id: "key_resume", prefix, hash: await hashKey(key, 4) }],
            upstreams,
          },
        ],
      }),
    );
  };
  const upstreamCount = (n: number) =>
    waitFor(async () => {
      const s = await status();
      return s.upstreams.length === n && s.upstreams.every((u) => u.state === "ready") ? s : undefined;
    }, `${n} upstreams ready`);

  /** Opens the GET stream and collects its events until `stop` says enough. */
  function openStream(sessionId: string, lastEventId?: string) {
    const abort = new AbortController();
    const events: Event[] = [];
    const headers: Record<string, string> = {
      authorization: `Bearer ${key}`,
      accept: "text/event-stream",
      "mcp-session-id": sessionId,
      "mcp-protocol-version": "2025-11-25",
    };
    if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
    const done = (async () => {
      const response = await fetch(`${plane.url}/mcp`, { headers, signal: abort.signal });
      expect(response.status).toBe(200);
      const parser = new SseParser((event) => {
        if (event.event !== "message" || !event.data) return;
        events.push({ id: Number(event.id), method: (JSON.parse(event.data) as { method: string }).method });
      });
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          parser.push(decoder.decode(chunk, { stream: true }));
        }
      } catch {
        // aborted
      }
    })();
    return { events, close: () => abort.abort(), done };
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dp-resume-"));
    http = await startAskingHttpUpstream();
    ({ key, prefix } = makeApiKey());
    configFile = path.join(dir, "config.yaml");
    await writeConfig(1, false);
    plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", configFile]);
    await upstreamCount(1);
  });

  afterAll(async () => {
    await plane?.stop();
    await http?.close();
  });

  it("replays the events missed since Last-Event-ID, in order, and nothing before it", async () => {
    const init = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
      }),
    });
    const sessionId = init.headers.get("mcp-session-id") ?? "";
    expect(sessionId).not.toBe("");

    const first = openStream(sessionId);
    await new Promise((r) => setTimeout(r, 200));
    await writeConfig(2, true);
    await upstreamCount(2);
    await waitFor(async () => (first.events.length >= 3 ? true : undefined), "list_changed on the first stream");
    first.close();
    await first.done;
    const lastSeen = first.events.at(-1)?.id as number;
    expect(first.events.map((e) => e.id)).toEqual(first.events.map((_, i) => i + 1));

    // While the client is away, the lists change again.
    await writeConfig(3, false);
    await upstreamCount(1);
    await new Promise((r) => setTimeout(r, 300));

    const resumed = openStream(sessionId, String(lastSeen));
    await waitFor(async () => (resumed.events.length >= 3 ? true : undefined), "replayed events");
    resumed.close();
    await resumed.done;
    expect(resumed.events[0]?.id).toBe(lastSeen + 1);
    const ids = resumed.events.map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => lastSeen + 1 + i));
    expect(resumed.events.every((e) => e.method.endsWith("/list_changed"))).toBe(true);
    expect(new Set(resumed.events.map((e) => e.method))).toEqual(
      new Set([
        "notifications/tools/list_changed",
        "notifications/prompts/list_changed",
        "notifications/resources/list_changed",
      ]),
    );

    // DELETE ends the session and its stream state.
    const deleted = await fetch(`${plane.url}/mcp`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}`, "mcp-session-id": sessionId },
    });
    expect(deleted.status).toBe(200);
  });
});
