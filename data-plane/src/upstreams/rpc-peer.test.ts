import { describe, expect, it } from "vitest";
import { Cancellation } from "./cancellation.ts";
import { type MessageWire, type RpcMessage, RpcPeer, UpstreamClosedError } from "./rpc-peer.ts";

/** A wire that records what the peer sends; the test plays the upstream. */
function recordingPeer() {
  const sent: RpcMessage[] = [];
  const notifications: RpcMessage[] = [];
  const wire: MessageWire = {
    send: (text) => {
      sent.push(JSON.parse(text) as RpcMessage);
    },
    close: async () => {},
  };
  const peer = new RpcPeer(wire, { onNotification: (m) => notifications.push(m) });
  return { peer, sent, notifications };
}

describe("RpcPeer", () => {
  it("uses its own ids, matches answers by id, and passes results and errors through untouched", async () => {
    const { peer, sent } = recordingPeer();
    const a = peer.request("tools/call", { name: "x", arguments: { n: 1 } });
    const b = peer.request("tools/call", { name: "y" });
    expect(sent.map((m) => m.id)).toEqual([1, 2]);
    expect(sent[0]).toEqual({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "x", arguments: { n: 1 } },
    });
    peer.receive({ jsonrpc: "2.0", id: 2, error: { code: -32602, message: "bad", data: { why: 1 } } });
    peer.receive({ jsonrpc: "2.0", id: 1, result: { content: [], extra: { kept: true } } });
    expect(await a).toEqual({ result: { content: [], extra: { kept: true } } });
    expect(await b).toEqual({ error: { code: -32602, message: "bad", data: { why: 1 } } });
    expect(peer.outstanding).toBe(0);
  });

  it("routes progress for a request to that request and other notifications to the handler", async () => {
    const { peer, sent, notifications } = recordingPeer();
    const progress: RpcMessage[] = [];
    const call = peer.request(
      "tools/call",
      { name: "slow", _meta: { other: 1 } },
      {
        progress: true,
        onNotification: (m) => progress.push(m),
      },
    );
    expect(sent[0]?.params).toEqual({ name: "slow", _meta: { other: 1, progressToken: 1 } });
    peer.receive({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1, progress: 5 } });
    peer.receive({ jsonrpc: "2.0", method: "notifications/tools/list_changed" });
    peer.receive({ jsonrpc: "2.0", id: 1, result: {} });
    await call;
    expect(progress).toHaveLength(1);
    expect(notifications.map((m) => m.method)).toEqual(["notifications/tools/list_changed"]);
  });

  it("cancels: the upstream hears notifications/cancelled with its own id, and a late answer is dropped", async () => {
    const { peer, sent } = recordingPeer();
    const cancellation = new Cancellation();
    const call = peer.request("tools/call", { name: "slow" }, { cancellation });
    cancellation.cancel("client disconnected");
    await expect(call).rejects.toThrow(/client disconnected/);
    expect(sent[1]).toEqual({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 1, reason: "client disconnected" },
    });
    peer.receive({ jsonrpc: "2.0", id: 1, result: {} });
    expect(peer.outstanding).toBe(0);
  });

  it("fails every pending call when the wire closes, and later calls at once", async () => {
    const { peer } = recordingPeer();
    const call = peer.request("ping", undefined);
    peer.closed("process exited");
    await expect(call).rejects.toBeInstanceOf(UpstreamClosedError);
    await expect(peer.request("ping", undefined)).rejects.toThrow(/process exited/);
  });

  it("hands an upstream's request the requester of the call whose stream carried it, else every pending requester", () => {
    const seen: unknown[][] = [];
    const wire: MessageWire = { send: () => {}, close: async () => {} };
    const peer = new RpcPeer(wire, { onRequest: (_m, requesters) => seen.push(requesters) });
    const alice = { who: "alice" };
    const bob = { who: "bob" };
    void peer.request("tools/call", { name: "a" }, { requester: alice }).catch(() => {});
    void peer.request("tools/call", { name: "b" }, { requester: bob }).catch(() => {});
    void peer.request("tools/list", {}).catch(() => {});
    peer.receive({ jsonrpc: "2.0", id: 7, method: "sampling/createMessage", params: {} }, 2);
    peer.receive({ jsonrpc: "2.0", id: 8, method: "roots/list" });
    expect(seen).toEqual([[bob], [alice, bob]]);
    peer.closed("done");
  });
});
