import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticateApiRequest } from "../services/api-keys.server";
import { allowMethods, findApiCustomers, pushApiCustomers, readApiJsonBody, respondToApi } from "../services/import-api.server";

// GET /api/v1/customers?email=… | ?source=…&sourceId=… — find customers (A4).
export const loader = ({ request }: LoaderFunctionArgs) =>
  respondToApi(async () => {
    const { shopId } = await authenticateApiRequest(request);
    return findApiCustomers({ shopId, params: new URL(request.url).searchParams });
  });

// POST /api/v1/customers — push up to 1,000 customers, idempotent by sourceId.
export const action = ({ request }: ActionFunctionArgs) =>
  respondToApi(async () => {
    const { shopId } = await authenticateApiRequest(request);
    allowMethods(request, ["POST"]);
    return pushApiCustomers({ shopId, body: await readApiJsonBody(request), now: new Date() });
  });
