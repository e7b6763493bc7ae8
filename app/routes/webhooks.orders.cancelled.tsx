import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../services/webhook-intake.server";

// POST /webhooks/orders/cancelled, subscribed in shopify.app.toml.
export const action = async ({ request }: ActionFunctionArgs) => receiveWebhook(request);
