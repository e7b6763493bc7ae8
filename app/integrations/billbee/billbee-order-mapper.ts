import type { z } from "zod";
import type {
  CanonicalAddress,
  CanonicalCustomer,
  CanonicalLineItem,
  CanonicalOrder,
  CanonicalOrderFinancialState,
  CanonicalOrderFulfilmentState,
} from "../../core/canonical-records";
import { normalizeEmail, normalizeLanguageTag } from "../../core/customer-identity";
import { minorDigits } from "../../core/money";
import { BillbeeOrderSchema, parseBillbeeDate, type BillbeeAddress, type BillbeeOrder, type BillbeeOrderItem } from "./billbee-schemas";

/**
 * A Billbee order (GET /orders) as a canonical order with its buyer. Billbee orders are history
 * pulled by a back-fill, so they are never live (D1): importing years of orders mails no one.
 *
 * Choices, where Billbee leaves room:
 * - The order is keyed by BillBeeOrderId (Billbee's own, stable id); the merchant sees
 *   OrderNumber, else the shop's Id, else that number.
 * - The buyer is keyed by Customer.Id. Name, company and the postal address come from the
 *   invoice address (the buyer; the shipping address may be a gift recipient or a parcel
 *   locker), falling back to the shipping address; the order keeps the shipping address.
 * - TotalCost is the order's total (shipping included); coupons (IsCoupon) and discount lines
 *   (IsDiscount or a negative total) are not products: their names become the order's
 *   discount codes. Unit price = TotalPrice / Quantity, in minor units.
 * - States 6 (Gelöscht) and 8 (Storniert), and cancellation documents, are cancelled orders,
 *   which never count in the statistics.
 */

export type BillbeeMapError = { column: string | null; reason: string };
export type BillbeeMapResult = { ok: true; order: CanonicalOrder } | { ok: false; errors: BillbeeMapError[] };

/** Billbee's order states (OrderStateEnum) by number, with their German names as shown in Billbee. */
export const BILLBEE_ORDER_STATES: Readonly<Record<number, string>> = {
  1: "Bestellt",
  2: "Bestätigt",
  3: "Zahlung erhalten",
  4: "Versendet",
  5: "Reklamation",
  6: "Gelöscht",
  7: "Abgeschlossen",
  8: "Storniert",
  9: "Archiviert",
  10: "Bewertet",
  11: "Mahnung",
  12: "Mahnung 2",
  13: "Gepackt",
  14: "Angeboten",
  15: "Zahlungserinnerung",
  16: "Im Fulfillment",
};

const CANCELLED_STATES = new Set([6, 8]);
/** Billbee only gets there after shipping. */
const SHIPPED_STATES = new Set([4, 5, 7, 10]);
/** Not shipped yet, whatever ShippedAt says. */
const NOT_SHIPPED_STATES = new Set([1, 2, 3, 13, 14, 16]);

export type BillbeeOrderStatus = {
  financialState: CanonicalOrderFinancialState;
  fulfilmentState: CanonicalOrderFulfilmentState;
  cancelled: boolean;
  cancelReason: string | null;
};

/** Billbee's State (with the payment and shipping facts) as our order states. */
export function billbeeOrderStatus(order: {
  State: number;
  PayedAt: Date | null;
  ShippedAt: Date | null;
  PaidAmount: number | null;
  TotalCost: number;
  IsCancelationFor: string | null;
}): BillbeeOrderStatus {
  const paid = order.PayedAt !== null || (order.PaidAmount !== null && order.TotalCost > 0 && order.PaidAmount >= order.TotalCost);
  const partlyPaid = !paid && order.PaidAmount !== null && order.PaidAmount > 0;
  const cancellationDocument = Boolean(order.IsCancelationFor?.trim());
  if (CANCELLED_STATES.has(order.State) || cancellationDocument) {
    return {
      financialState: paid || partlyPaid ? "REFUNDED" : "VOIDED",
      fulfilmentState: order.ShippedAt ? "FULFILLED" : "UNFULFILLED",
      cancelled: true,
      cancelReason: cancellationDocument ? "cancellation document" : order.State === 6 ? "deleted" : "cancelled",
    };
  }
  // 3 "Zahlung erhalten" and 7 "Abgeschlossen" say it is paid; elsewhere (reminders and dunning
  // included) the payment facts decide.
  const financialState: CanonicalOrderFinancialState =
    order.State === 3 || order.State === 7 || paid ? "PAID" : partlyPaid ? "PARTIALLY_PAID" : "PENDING";
  const fulfilmentState: CanonicalOrderFulfilmentState = SHIPPED_STATES.has(order.State)
    ? "FULFILLED"
    : NOT_SHIPPED_STATES.has(order.State)
      ? "UNFULFILLED"
      : order.ShippedAt
        ? "FULFILLED"
        : order.State in BILLBEE_ORDER_STATES
          ? "UNFULFILLED"
          : "UNKNOWN";
  return { financialState, fulfilmentState, cancelled: false, cancelReason: null };
}

export function mapBillbeeOrder(raw: unknown): BillbeeMapResult {
  const parsed = BillbeeOrderSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: issuesOf(raw, parsed.error) };
  const order = parsed.data;
  const currency = order.Currency.toUpperCase();
  const placedAt = parseBillbeeDate(order.CreatedAt)!;
  const modifiedAt = parseBillbeeDate(order.LastModifiedAt) ?? parseBillbeeDate(order.UpdatedAt);
  const status = billbeeOrderStatus({
    State: order.State,
    PayedAt: parseBillbeeDate(order.PayedAt),
    ShippedAt: parseBillbeeDate(order.ShippedAt),
    PaidAmount: order.PaidAmount ?? null,
    TotalCost: order.TotalCost,
    IsCancelationFor: order.IsCancelationFor ?? null,
  });

  const lineItems: CanonicalLineItem[] = [];
  const discountCodes: string[] = [];
  for (const item of order.OrderItems ?? []) {
    if (item.IsCoupon || item.IsDiscount || item.TotalPrice < 0) {
      const code = text(item.Product?.Title) ?? text(item.Product?.SKU) ?? text(item.InvoiceSKU);
      if (code && !discountCodes.includes(code)) discountCodes.push(code);
      continue;
    }
    lineItems.push(mapItem(item, currency));
  }

  const invoice = order.InvoiceAddress ?? null;
  const shipping = order.ShippingAddress ?? null;
  const buyerAddress = hasStreet(invoice) ? invoice : hasStreet(shipping) ? shipping : (invoice ?? shipping);
  const email = normalizeEmail(
    firstText(order.Customer?.Email, order.Customer?.DefaultMailAddress?.Value, invoice?.Email, shipping?.Email),
  );
  const language = normalizeLanguageTag(order.LanguageCode);
  const number = firstText(order.OrderNumber, order.Id) ?? order.BillBeeOrderId;

  const customerId = order.Customer?.Id ?? null;
  const customer: CanonicalCustomer | null = customerId
    ? {
        source: "BILLBEE",
        sourceId: customerId,
        // Billbee customers carry no change date of their own; the order's says how fresh these details are.
        sourceUpdatedAt: modifiedAt,
        email,
        ...buyerName(invoice, shipping, order.Customer?.Name ?? null),
        company: firstText(invoice?.Company, shipping?.Company),
        phone: firstText(order.Customer?.Tel1, order.Customer?.Tel2, invoice?.Phone, shipping?.Phone),
        language,
        address: mapAddress(buyerAddress),
      }
    : null;

  const totalMinor = toMinor(order.TotalCost, currency);
  return {
    ok: true,
    order: {
      source: "BILLBEE",
      sourceId: order.BillBeeOrderId,
      number,
      placedAt,
      sourceUpdatedAt: modifiedAt,
      currency,
      totalMinor,
      subtotalMinor: typeof order.ShippingCost === "number" ? totalMinor - toMinor(order.ShippingCost, currency) : null,
      refundedMinor: 0n,
      financialState: status.financialState,
      fulfilmentState: status.fulfilmentState,
      // Billbee says when an order changed, not when it was cancelled: the last change is the closest fact.
      cancelledAt: status.cancelled ? (modifiedAt ?? placedAt) : null,
      cancelReason: status.cancelReason,
      checkoutToken: null,
      email,
      customerLocale: language,
      shippingAddress: mapAddress(shipping ?? invoice),
      discountCodes,
      customer,
      lineItems,
      live: false,
    },
  };
}

function mapItem(item: BillbeeOrderItem, currency: string): CanonicalLineItem {
  const totalMinor = toMinor(item.TotalPrice, currency);
  const attributes = (item.Attributes ?? [])
    .map((attribute) => [text(attribute.Name), text(attribute.Value)].filter(Boolean).join(": "))
    .filter(Boolean);
  // Billbee allows fractional quantities (metres, kilos); our items count pieces, so such a line
  // is one piece at its total, and the real quantity stays visible in the variant text.
  const whole = Number.isInteger(item.Quantity);
  const quantity = whole ? item.Quantity : 1;
  if (!whole) attributes.push(`${item.Quantity} ×`);
  return {
    sourceId: item.BillbeeId ?? null,
    productId: item.Product?.BillbeeId ?? text(item.Product?.Id),
    variantId: null,
    sku: firstText(item.Product?.SKU, item.InvoiceSKU),
    title: firstText(item.Product?.Title, item.Product?.SKU, item.InvoiceSKU) ?? "",
    variantTitle: attributes.length > 0 ? attributes.join(", ") : null,
    quantity,
    unitPriceMinor: quantity === 0 ? totalMinor : divideRounded(totalMinor, BigInt(quantity)),
    totalMinor,
  };
}

function buyerName(invoice: BillbeeAddress | null, shipping: BillbeeAddress | null, customerName: string | null) {
  for (const address of [invoice, shipping]) {
    const firstName = text(address?.FirstName);
    const lastName = text(address?.LastName);
    if (firstName || lastName) return { firstName, lastName };
  }
  // Only a company on the addresses: Billbee's customer name is all there is (often the company itself).
  const name = text(customerName);
  const company = firstText(invoice?.Company, shipping?.Company);
  return { firstName: null, lastName: name && name !== company ? name : null };
}

function mapAddress(address: BillbeeAddress | null): CanonicalAddress | null {
  if (!address) return null;
  const name = [text(address.FirstName), text(address.LastName)].filter(Boolean).join(" ") || null;
  const street = [text(address.Street), text(address.HouseNumber)].filter(Boolean).join(" ") || null;
  const line2 = [text(address.NameAddition), text(address.Line2)].filter(Boolean).join(", ") || null;
  const country = firstText(address.CountryISO2, address.Country);
  const mapped: CanonicalAddress = {
    name,
    company: text(address.Company),
    line1: street,
    line2,
    postalCode: text(address.Zip),
    city: text(address.City),
    region: text(address.State),
    countryCode: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
  };
  return Object.values(mapped).some((value) => value !== null) ? mapped : null;
}

function hasStreet(address: BillbeeAddress | null): address is BillbeeAddress {
  return Boolean(text(address?.Street) && text(address?.City));
}

/** A decimal amount in the currency's minor units, rounded half away from zero. */
export function toMinor(amount: number, currency: string): bigint {
  const scaled = Math.abs(amount) * 10 ** minorDigits(currency);
  // 19.9 × 100 is 1989.9999999999998 in binary floating point: round a hair above the noise.
  const minor = BigInt(Math.round(scaled + 1e-7));
  return amount < 0 ? -minor : minor;
}

function divideRounded(total: bigint, quantity: bigint): bigint {
  if (quantity < 0n) return -divideRounded(total, -quantity);
  const negative = total < 0n;
  const magnitude = negative ? -total : total;
  const rounded = (magnitude * 2n + quantity) / (quantity * 2n);
  return negative ? -rounded : rounded;
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function firstText(...values: (string | null | undefined)[]): string | null {
  for (const value of values) {
    const found = text(value);
    if (found) return found;
  }
  return null;
}

/** One error per field (at most five), each naming the order so the merchant can find it in Billbee. */
function issuesOf(raw: unknown, error: z.ZodError): BillbeeMapError[] {
  const record = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const label = [record.BillBeeOrderId, record.OrderNumber].filter((part) => typeof part === "string" || typeof part === "number").join(" / ");
  const prefix = label ? `Billbee order ${label}: ` : "Billbee order: ";
  const seen = new Set<string>();
  const errors: BillbeeMapError[] = [];
  for (const issue of error.issues) {
    const column = issue.path.length > 0 ? issue.path.map(String).join(".") : null;
    if (seen.has(column ?? "")) continue;
    seen.add(column ?? "");
    const value = column ? valueAt(record, issue.path) : undefined;
    const reason = value === undefined || value === null ? (column ? "is missing" : issue.message) : issue.message;
    errors.push({ column, reason: `${prefix}${reason}` });
    if (errors.length === 5) break;
  }
  return errors;
}

function valueAt(record: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = record;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export type { BillbeeOrder };
