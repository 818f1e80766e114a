/** Response init for API JSON that must not be cached (Response.json keeps Dates as ISO strings). */
export const NO_STORE: ResponseInit = { headers: { "cache-control": "no-store" } };
