import { createRequire } from "node:module";
import type { Pool as UndiciPool } from "undici";

// undici's Pool, loaded alone. `import { Pool } from "undici"` loads all of undici
// (fetch, WebSocket, cache, mock agents…): ~12 MB more resident memory in every data
// plane, for classes it never uses. undici's own index does two things this module
// repeats: require the Pool, and give every dispatcher its request API
// (`Object.assign(Dispatcher.prototype, api)`; idempotent if the index loads too).
// pool.test.ts checks both in a process where undici's index is not loaded.
const require = createRequire(import.meta.url);
const Dispatcher = require("undici/lib/dispatcher/dispatcher.js") as { prototype: object };
Object.assign(Dispatcher.prototype, require("undici/lib/api/index.js"));

export const Pool = require("undici/lib/dispatcher/pool.js") as typeof UndiciPool;
export type Pool = UndiciPool;
export type PoolOptions = UndiciPool.Options;
