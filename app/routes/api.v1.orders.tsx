import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticateApiRequest } from "../services/api-keys.server";
import { allowMethods, pushApiOrders, readApiJsonBody, respondToApi } from "../services/import-api.server";

// POST /api/v1/orders — push up to 1,000 orders with their buyers and lines, idempotent by sourceId (A4).
export const action = ({ request }: ActionFunctionArgs) =>
  respondToApi(async () => {
    const { shopId } = await authenticateApiRequest(request);
    allowMethods(request, ["POST"]);
    return pushApiOrders({ shopId, body: await readApiJsonBody(request), now: new Date() });
  });

// Write-only: GET gets 405.
export const loader = ({ request }: LoaderFunctionArgs) =>
  respondToApi(async () => {
    await authenticateApiRequest(request);
    allowMethods(request, ["POST"]);
  });
