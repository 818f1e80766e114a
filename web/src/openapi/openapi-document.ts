import { z } from "zod";
import { OPERATIONS } from "../api/catalog.ts";
import { API_ERROR_CODES } from "../api/errors.ts";

/** Routes documented by hand: called by data planes with the node token, not by operators. */
const EXTERNAL_PATHS: Record<string, Record<string, { summary: string; tags: string[] }>> = {
  "/fleet/heartbeat": {
    post: { summary: "A data plane reports what it runs (node token, not an operator credential)", tags: ["Fleet"] },
  },
  "/fleet/audit": {
    post: { summary: "A data plane ships a batch of audit events (node token)", tags: ["Fleet"] },
  },
};

const errorSchema = {
  type: "object",
  required: ["code", "message", "requestId"],
  properties: {
    code: { type: "string", enum: Object.keys(API_ERROR_CODES) },
    message: { type: "string" },
    requestId: { type: "string" },
    details: {},
  },
} as const;

function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input") {
  return z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });
}

function parametersOf(path: string, query: z.ZodType | undefined) {
  const fromPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  if (!query) return fromPath;
  const schema = jsonSchema(query) as { properties?: Record<string, unknown>; required?: string[] };
  const fromQuery = Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
  return [...fromPath, ...fromQuery];
}

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const status = String(op.status ?? 200);
    const entry: Record<string, unknown> = {
      operationId: `${op.method.toLowerCase()}${op.path.replace(/[{}]/g, "").replace(/(^|[/-])(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
      summary: op.summary,
      tags: [op.tag],
      "x-permission": op.permission,
      parameters: parametersOf(op.path, op.query),
      responses: {
        [status]: { description: "Success", content: { "application/json": { schema: {} } } },
        "400": { $ref: "#/components/responses/Error" },
        "401": { $ref: "#/components/responses/Error" },
        "403": { $ref: "#/components/responses/Error" },
        "404": { $ref: "#/components/responses/Error" },
        "409": { $ref: "#/components/responses/Error" },
      },
    };
    if (op.body) {
      entry.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } };
    }
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method.toLowerCase()] = entry;
  }
  for (const [path, methods] of Object.entries(EXTERNAL_PATHS)) {
    for (const [method, info] of Object.entries(methods)) {
      paths[path] ??= {};
      (paths[path] as Record<string, unknown>)[method] = {
        ...info,
        responses: { "200": { description: "Success" }, "401": { $ref: "#/components/responses/Error" } },
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Only1MCP control plane API",
      version: "1.0.0",
      description:
        "Operator API of Only1MCP. Authenticate with the console session or `Authorization: Bearer <operator API token>`. Every error is `{ code, message, requestId }`.",
    },
    servers: [{ url: `${serverUrl.replace(/\/$/, "")}/api/v1` }],
    security: [{ operatorToken: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        operatorToken: { type: "http", scheme: "bearer", description: "o1t_… operator API token" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: { Error: errorSchema },
      responses: {
        Error: {
          description: "Error",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    },
  };
}
