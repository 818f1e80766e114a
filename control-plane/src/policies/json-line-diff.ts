/** One line of a diff: kept, added or removed. */
export type DiffLine = { op: "same" | "add" | "remove"; text: string };

/** Stable pretty JSON: object keys sorted, so a reordering is not a change. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

const MAX_LINES = 4000;

/** A line diff (longest common subsequence) of two JSON values, as the console shows it. */
export function jsonLineDiff(before: unknown, after: unknown): DiffLine[] {
  const a = before === undefined ? [] : stableJson(before).split("\n");
  const b = after === undefined ? [] : stableJson(after).split("\n");
  if (a.length * b.length > MAX_LINES * MAX_LINES) {
    // Too large to align: show it as a replacement rather than spend the CPU.
    return [...a.map((text) => ({ op: "remove" as const, text })), ...b.map((text) => ({ op: "add" as const, text }))];
  }
  const table: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  const at = (i: number, j: number) => table[i]?.[j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--) {
    const row = table[i] as number[];
    for (let j = b.length - 1; j >= 0; j--) {
      row[j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: "same", text: a[i] ?? "" });
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      out.push({ op: "remove", text: a[i++] ?? "" });
    } else {
      out.push({ op: "add", text: b[j++] ?? "" });
    }
  }
  while (i < a.length) out.push({ op: "remove", text: a[i++] ?? "" });
  while (j < b.length) out.push({ op: "add", text: b[j++] ?? "" });
  return out;
}
