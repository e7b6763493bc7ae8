import type { LoaderFunctionArgs } from "@remix-run/node";
import { answerDemoBillbeeOrders } from "../services/billbee-import.server";

// The demo's stand-in for Billbee's GET /api/v1/orders (demo mode only; 404 otherwise).
export const loader = ({ request }: LoaderFunctionArgs) => answerDemoBillbeeOrders(request);
