import type { ActionFunctionArgs } from "@remix-run/node";
import { allowMethods, importApiDocument, respondToApi } from "../services/import-api.server";

// GET /api/v1/openapi.json — the import API's description (public: it holds no shop data).
export const loader = () =>
  Response.json(importApiDocument(), { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } });

export const action = ({ request }: ActionFunctionArgs) => respondToApi(async () => allowMethods(request, ["GET"]));
