import type { SandboxSettings } from "../security/security-schema.ts";
import { limitCpuRate, releaseCpuGroup } from "./cpu-rate.ts";

/**
 * What the sandbox does once an stdio upstream has a pid: the CPU rate limit
 * (cgroups). Returns the cleanup to run when the process has exited.
 */
export function afterSpawn(
  pid: number | undefined,
  name: string,
  settings: SandboxSettings | undefined,
  onNotice: (message: string) => void = () => {},
): () => void {
  if (!settings?.enabled || !settings.max_cpu_percent || pid === undefined) return () => {};
  const result = limitCpuRate(pid, settings.max_cpu_percent, `${name}-${pid}`);
  if (!result.applied) {
    onNotice(`CPU rate limit not applied: ${result.reason}`);
    return () => {};
  }
  return () => releaseCpuGroup(result.group);
}
