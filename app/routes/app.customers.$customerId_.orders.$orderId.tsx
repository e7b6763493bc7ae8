import type { LoaderFunctionArgs } from "@remix-run/node";
import { orRespond } from "../http/errors.server";
import { findCustomerOrder } from "../services/customers.server";
import { requireShop } from "../services/shop-guard.server";

// GET: one order's items for the profile, loaded when the merchant opens an order that came
// without them (all orders are listed without items so the long list stays light).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const order = await orRespond(() => findCustomerOrder({ shopId: shop.id, customerId: params.customerId ?? "", orderId: params.orderId ?? "" }));
  return Response.json(order, { headers: { "Cache-Control": "private, no-store" } });
};
