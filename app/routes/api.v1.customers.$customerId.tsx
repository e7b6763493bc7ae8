import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticateApiRequest } from "../services/api-keys.server";
import { allowMethods, findApiCustomerProfile, respondToApi } from "../services/import-api.server";

// GET /api/v1/customers/{customerId} — the whole profile as JSON (A4); 404 for another shop's customer.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  respondToApi(async () => {
    const { shopId } = await authenticateApiRequest(request);
    return findApiCustomerProfile({ shopId, customerId: params.customerId ?? "", now: new Date() });
  });

// Read-only: any other method gets 405.
export const action = ({ request }: ActionFunctionArgs) =>
  respondToApi(async () => {
    await authenticateApiRequest(request);
    allowMethods(request, ["GET"]);
  });
