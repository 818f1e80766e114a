import { type FSWatcher, watch } from "node:fs";
import path from "node:path";

/**
 * Calls `onChange` (debounced) when `file` changes. Watches the directory so
 * editors that replace the file by rename are still seen.
 */
export function watchFile(file: string, onChange: () => void, debounceMs = 200): { close(): void } {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(dir, { persistent: false }, (_event, name) => {
    if (name !== null && name !== base) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  watcher.on("error", () => {});
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
