import { operation, toJson } from "../api/operation.ts";

export const getOpenApiDocument = operation({
  method: "GET",
  path: "/openapi.json",
  summary: "This OpenAPI 3.1 document",
  tag: "Meta",
  permission: "dashboard:read",
  async handler({ request }) {
    // Imported lazily: the document imports the catalog, which imports this module's siblings.
    const { buildOpenApiDocument } = await import("./openapi-document.ts");
    return toJson(buildOpenApiDocument(new URL(request.url).origin));
  },
});
