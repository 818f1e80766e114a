import { dataPlaneTarget } from "./data-plane.ts";
import { directHttpUpstream } from "./direct.ts";
import { mcpProxy, supergateway } from "./peers.ts";
import { bareHttp } from "./reference.ts";
import type { TargetSpec } from "./types.ts";

/** Every target of the overhead scenarios, in table order. */
export const ALL_TARGETS: TargetSpec[] = [
  bareHttp,
  directHttpUpstream,
  dataPlaneTarget({ upstream: "http", era: "legacy", enforcement: "off" }),
  dataPlaneTarget({ upstream: "http", era: "legacy", enforcement: "on" }),
  dataPlaneTarget({ upstream: "http", era: "stateless", enforcement: "on" }),
  dataPlaneTarget({ upstream: "stdio", era: "legacy", enforcement: "off" }),
  dataPlaneTarget({ upstream: "stdio", era: "legacy", enforcement: "on" }),
  dataPlaneTarget({ upstream: "stdio", era: "stateless", enforcement: "on" }),
  mcpProxy,
  supergateway,
];
