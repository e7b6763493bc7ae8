// Realistic orders/create bodies for the load benchmark: the fixture (through its factory), a
// stable pool of customers (so each one collects orders and its statistics keep changing) and
// 1–4 line items with consistent totals.
import { randomBytes } from "node:crypto";
import { orderPayload, type ShopifyOrderPayload } from "../tests/support/shopify-fixtures";

const FIRST = ["Anna", "Jonas", "Lea", "Lukas", "Marie", "Felix", "Sophie", "Paul", "Emma", "Noah", "Mia", "Elias", "Hannah", "Ben", "Clara", "Finn", "Ida", "Leon"];
const LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf"];
const CITIES = [
  ["Berlin", "10115"],
  ["Hamburg", "20095"],
  ["München", "80331"],
  ["Köln", "50667"],
  ["Leipzig", "04109"],
  ["Dresden", "01067"],
  ["Bremen", "28195"],
] as const;
const PRODUCTS = [
  { product_id: 7_410_001, variant_id: 44_100_011, sku: "MR-ESP-250", title: "Espresso Morgenrot", variant_title: "250 g", price: 1190 },
  { product_id: 7_410_001, variant_id: 44_100_012, sku: "MR-ESP-1000", title: "Espresso Morgenrot", variant_title: "1 kg", price: 3890 },
  { product_id: 7_410_002, variant_id: 44_100_021, sku: "MR-FIL-500", title: "Filterkaffee Hausmischung", variant_title: "500 g", price: 1650 },
  { product_id: 7_410_003, variant_id: 44_100_031, sku: "MR-ETH-250", title: "Äthiopien Yirgacheffe", variant_title: "250 g", price: 1450 },
  { product_id: 7_410_004, variant_id: 44_100_041, sku: "MR-DEC-250", title: "Entkoffeiniert Schwarzwald", variant_title: "250 g", price: 1290 },
  { product_id: 7_410_005, variant_id: 44_100_051, sku: "MR-GRD-01", title: "Handmühle Comandante", variant_title: null, price: 24_900 },
  { product_id: 7_410_006, variant_id: 44_100_061, sku: "MR-CUP-02", title: "Tassenset Steinzeug", variant_title: "2 Stück", price: 3400 },
  { product_id: 7_410_007, variant_id: 44_100_071, sku: "MR-ABO-M", title: "Kaffee-Abo", variant_title: "monatlich", price: 2490 },
] as const;

export type LoadCustomer = {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  city: string;
  zip: string;
  address1: string;
};

/** `count` distinct customers, the same on every run. */
export function loadCustomers(count: number): LoadCustomer[] {
  return Array.from({ length: count }, (_, index) => {
    const firstName = FIRST[index % FIRST.length]!;
    const lastName = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
    const [city, zip] = CITIES[index % CITIES.length]!;
    return {
      id: 9_100_000_000_000 + index * 7,
      email: `${ascii(firstName)}.${ascii(lastName)}.${index}@example.com`,
      firstName,
      lastName,
      city,
      zip,
      address1: `Bahnhofstraße ${1 + (index % 120)}`,
    };
  });
}

function ascii(name: string): string {
  return name.toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss");
}

const money = (minor: number) => (minor / 100).toFixed(2);

/** Shopify's timestamp shape: seconds and an offset. */
const shopifyTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, "+00:00");

/** One order for `customer` from the orders/create fixture; `seed` varies the basket deterministically. */
export function orderBody({
  orderId,
  orderNumber,
  customer,
  now,
  seed,
}: {
  orderId: string;
  orderNumber: number;
  customer: LoadCustomer;
  now: Date;
  seed: number;
}): ShopifyOrderPayload {
  const at = shopifyTime(now);
  const lineItems = Array.from({ length: 1 + (seed % 4) }, (_, position) => {
    const product = PRODUCTS[(seed * 3 + position * 5) % PRODUCTS.length]!;
    return {
      id: Number(orderId) * 10 + position,
      productId: product.product_id,
      variantId: product.variant_id,
      sku: product.sku,
      title: product.title,
      variantTitle: product.variant_title,
      quantity: 1 + ((seed + position) % 3),
      price: money(product.price),
    };
  });
  const address = {
    first_name: customer.firstName,
    last_name: customer.lastName,
    name: `${customer.firstName} ${customer.lastName}`,
    address1: customer.address1,
    address2: null,
    city: customer.city,
    zip: customer.zip,
    phone: null,
  };
  return orderPayload(
    {
      id: Number(orderId),
      name: `#${orderNumber}`,
      customerId: customer.id,
      email: customer.email,
      // No checkout carries this token: these orders recover nothing.
      checkoutToken: randomBytes(16).toString("hex"),
      createdAt: at,
      processedAt: at,
      updatedAt: at,
      lineItems,
    },
    {
      token: randomBytes(16).toString("hex"),
      cart_token: null,
      customer: { first_name: customer.firstName, last_name: customer.lastName, phone: null, created_at: at, updated_at: at, default_address: address },
      billing_address: address,
      shipping_address: address,
    },
  );
}
