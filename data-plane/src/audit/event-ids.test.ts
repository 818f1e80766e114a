import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EventIds } from "./event-ids.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("EventIds", () => {
  it("makes RFC 9562 version 7 UUIDs the audit schema accepts, carrying the time", () => {
    const ids = new EventIds();
    const at = Date.UTC(2026, 10, 27, 12, 0, 0);
    const id = ids.next(at);
    expect(id).toMatch(UUID_V7);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(at);
  });

  it("never repeats and stays ordered within a millisecond, past the counter's 4096 and when the clock steps back", () => {
    const ids = new EventIds();
    const at = 1_800_000_000_000;
    const made = [
      ...Array.from({ length: 5000 }, () => ids.next(at)),
      ids.next(at - 10), // a clock that went back: still after the previous id
      ids.next(at + 5),
    ];
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
  });

  it("differs between processes: the random part is drawn per instance", () => {
    const at = 1_800_000_000_000;
    expect(new EventIds().next(at)).not.toBe(new EventIds().next(at));
    const fixed = Buffer.from("0011223344556677", "hex");
    expect(new EventIds(fixed).next(at)).toBe(new EventIds(fixed).next(at));
  });
});
