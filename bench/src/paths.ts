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
