import { describe, expect, it } from "vitest";
import { type SseEvent, SseParser } from "./sse-parser.ts";

describe("SseParser", () => {
  it("parses events split across chunks, with CRLF, comments, ids and multi-line data", () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push(": comment\r\nid: 7\r\nevent: message\r");
    parser.push('\ndata: {"a":\ndata: 1}\r\n\r\ndata: x\n');
    parser.push("\nevent: ping\ndata:y\n\n");
    expect(events).toEqual([
      { event: "message", data: '{"a":\n1}', id: "7" },
      { event: "message", data: "x", id: "7" },
      { event: "ping", data: "y", id: "7" },
    ]);
  });
});
