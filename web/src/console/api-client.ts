/** The console's one way to call /api/v1: same-origin, JSON, errors as ApiCallError with the envelope's message. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiCallError";
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    method: init.method ?? "GET",
    credentials: "same-origin",
    headers: init.body === undefined ? {} : { "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  // A route missing from this build answers with Next's HTML 404 page, not JSON.
  const json: unknown = parseJson(text);
  if (!response.ok) {
    const envelope = (json ?? {}) as { code?: string; message?: string };
    throw new ApiCallError(response.status, envelope.code ?? "ERROR", envelope.message ?? `HTTP ${response.status}`);
  }
  return json as T;
}

/** A route another branch builds may be absent from this build: screens show an empty state for it. */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiCallError && error.status === 404 && error.code !== "NOT_FOUND";
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
