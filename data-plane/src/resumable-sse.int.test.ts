import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseParser } from "./sse/sse-parser.ts";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import { type RunningPlane, waitFor } from "./testing/process.ts";
import { initializeSession, type TenantFixture, tenantFixture, upstreamsReady } from "./testing/tenant-plane.ts";

type Event = { id: number; method: string };

/**
 * Resumable legacy GET stream: a client that loses its stream and reconnects with
 * `Last-Event-ID` gets the list_changed events it missed while it was away, in
 * order, starting right after the last one it saw.
 */
describe("GET /mcp stream resumes with Last-Event-ID", () => {
  let plane: RunningPlane;
  let http: AskingUpstream;
  let tenant: TenantFixture;
  let key: string;
  const upstreams = (second: boolean) => {
    const list: unknown[] = [{ id: "u_one", name: "one", transport: "http", url: http.url }];
    if (second) list.push({ id: "u_two", name: "two", transport: "http", url: http.url });
    return list;
  };

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
        expect(event.id).toMatch(/^g\d+$/);
        events.push({ id: Number(event.id?.slice(1)), method: (JSON.parse(event.data) as { method: string }).method });
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
    http = await startAskingHttpUpstream();
    tenant = await tenantFixture("resume", upstreams(false));
    key = tenant.key;
    plane = await tenant.start();
    await upstreamsReady(plane, 1);
  });

  afterAll(async () => {
    await plane?.stop();
    await http?.close();
  });

  it("replays the events missed since Last-Event-ID, in order, and nothing before it", async () => {
    const sessionId = await initializeSession(plane, key);
    expect(sessionId).not.toBe("");

    const first = openStream(sessionId);
    await new Promise((r) => setTimeout(r, 200));
    await tenant.writeConfig(upstreams(true), 2);
    await upstreamsReady(plane, 2);
    await waitFor(async () => (first.events.length >= 3 ? true : undefined), "list_changed on the first stream");
    first.close();
    await first.done;
    const lastSeen = first.events.at(-1)?.id as number;
    expect(first.events.map((e) => e.id)).toEqual(first.events.map((_, i) => i + 1));

    // While the client is away, the lists change again.
    await tenant.writeConfig(upstreams(false), 3);
    await upstreamsReady(plane, 1);
    await new Promise((r) => setTimeout(r, 300));

    const resumed = openStream(sessionId, `g${lastSeen}`);
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
