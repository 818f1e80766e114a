import { existsSync, readFileSync, writeFileSync } from "node:fs";

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

/**
 * Replaces the text between the bench markers of a README with the latest
 * table, so the Performance section always shows the committed results.
 * Returns false (and changes nothing) when the file or the markers are missing.
 */
export function updateReadmeSection(readme: string, table: string): boolean {
  if (!existsSync(readme)) return false;
  const text = readFileSync(readme, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) return false;
  const section = `${START}\n\n${table.trim()}\n\n${END}`;
  writeFileSync(readme, text.slice(0, start) + section + text.slice(end + END.length));
  return true;
}
