/** One Server-Sent Event as the HTML spec's parser sees it. */
export type SseEvent = { event: string; data: string; id: string | undefined };

/**
 * Incremental text/event-stream parser: feed it chunks, it calls back with each
 * complete event. Handles CRLF/CR/LF line ends, comments and multi-line data.
 */
export class SseParser {
  private pending = "";
  private data: string[] = [];
  private event = "";
  private id: string | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    let start = 0;
    for (;;) {
      const lf = text.indexOf("\n", start);
      const cr = text.indexOf("\r", start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (cr === text.length - 1) break; // a CR at the end may be half of a CRLF
        end = cr;
        next = text[cr + 1] === "\n" ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      this.line(text.slice(start, end));
      start = next;
    }
    this.pending = text.slice(start);
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length > 0)
        this.onEvent({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
      this.data = [];
      this.event = "";
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\u0000")) this.id = value;
  }
}
