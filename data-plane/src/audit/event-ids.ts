import { randomBytes } from "node:crypto";

const COUNTER_MAX = 0xfff;
const HEX3 = Array.from({ length: COUNTER_MAX + 1 }, (_, i) => i.toString(16).padStart(3, "0"));

/**
 * Audit event ids as RFC 9562 UUIDv7: 48 bits of Unix milliseconds, a 12-bit
 * counter within the millisecond (§6.2, method 1) and 62 random bits drawn once
 * per process. Unique across nodes (the random part) and within one (time and
 * counter never repeat: a full counter borrows the next millisecond), ordered by
 * time for the control plane's index, and cheap: the request path records three
 * events per call, and crypto.randomUUID per event was the largest single source
 * of garbage left on it (its text is built from ~20 string pieces).
 */
export class EventIds {
  private ms = -1;
  private counter = 0;
  private head = "";
  private readonly tail: string;

  constructor(random: Buffer = randomBytes(8)) {
    const bytes = Buffer.from(random.subarray(0, 8));
    bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x80; // the RFC 9562 variant
    const hex = bytes.toString("hex");
    this.tail = `${hex.slice(0, 4)}-${hex.slice(4)}`;
  }

  next(now: number = Date.now()): string {
    if (now > this.ms) this.start(now);
    else if (this.counter > COUNTER_MAX) this.start(this.ms + 1);
    return `${this.head}${HEX3[this.counter++]}-${this.tail}`;
  }

  private start(ms: number): void {
    this.ms = ms;
    this.counter = 0;
    const time = ms.toString(16).padStart(12, "0");
    this.head = `${time.slice(0, 8)}-${time.slice(8, 12)}-7`;
  }
}
