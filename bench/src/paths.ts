import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The bench workspace (works from src/ under tsx and from dist/). */
export const BENCH_DIR = path.resolve(here, "..");
export const REPO_ROOT = path.resolve(BENCH_DIR, "..");
/** A sibling module of this one, as a file to run with node (the .js build or the .ts source under tsx). */
export function sibling(name: string): string {
  const ext = path.extname(fileURLToPath(import.meta.url));
  return path.join(here, `${name}${ext}`);
}
/** Node flags that make a sibling runnable: none from dist, tsx from source. */
export function nodeFlags(): string[] {
  return fileURLToPath(import.meta.url).endsWith(".ts") ? ["--import", "tsx"] : [];
}
export const DATA_PLANE_MAIN = path.join(REPO_ROOT, "data-plane/dist/main.js");
/** The Node/V8 flags every launcher of the data plane passes (`data-plane/node-flags.json`), so the bench measures it as shipped. */
export function dataPlaneNodeFlags(): string[] {
  const parsed = JSON.parse(readFileSync(path.join(REPO_ROOT, "data-plane/node-flags.json"), "utf8")) as {
    flags?: unknown;
  };
  return Array.isArray(parsed.flags) ? parsed.flags.filter((f): f is string => typeof f === "string") : [];
}
