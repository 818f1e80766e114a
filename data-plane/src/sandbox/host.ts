import { accessSync, constants, readFileSync } from "node:fs";
import type { Host } from "./sandbox-plan.ts";

const SEARCH = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];
const found = new Map<string, string | undefined>();

/** This machine, as the sandbox planner sees it. */
export function currentHost(): Host {
  return {
    platform: process.platform,
    isRoot: typeof process.getuid === "function" && process.getuid() === 0,
    env: process.env,
    which(tool) {
      if (!found.has(tool)) {
        found.set(
          tool,
          SEARCH.map((dir) => `${dir}/${tool}`).find((file) => {
            try {
              accessSync(file, constants.X_OK);
              return true;
            } catch {
              return false;
            }
          }),
        );
      }
      return found.get(tool);
    },
    userIds(name) {
      try {
        for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
          const [user, , uid, gid] = line.split(":");
          if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
        }
      } catch {
        return undefined;
      }
      return undefined;
    },
  };
}

let settingsInForce: import("../security/security-schema.ts").SandboxSettings | undefined;

/**
 * The sandbox settings of the configuration in force. Set on every apply; read
 * when an stdio upstream starts (a change applies to upstreams started after it).
 */
export const sandboxSettings = {
  set(value: typeof settingsInForce): void {
    settingsInForce = value;
  },
  get(): typeof settingsInForce {
    return settingsInForce;
  },
};
