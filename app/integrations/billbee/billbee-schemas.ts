import { z } from "zod";

/**
 * Billbee's REST API (https://api.billbee.io/api/v1) at the edge: the page envelope of
 * GET /orders and the order fields the mapper reads, in Billbee's PascalCase (.NET) keys.
 * Billbee sends null for most absent values, so nearly everything is nullish; orders are
 * parsed one by one (Data is unknown[] here) so one broken order never costs the page.
 * Facts: ../shared/reference/integrations.md §5 and Billbee's published SDK models.
 */

const Text = z.string().nullish();
// .NET decimals arrive as JSON numbers (3498.6000000 → 3498.6).
const Amount = z.number().refine(Number.isFinite, "not a finite number");

/**
 * Billbee's timestamps: ISO 8601, usually without a zone ("2023-04-29T13:31:59.317"), which we
 * read as UTC; .NET's default date (year 0001) means "no date".
 */
export function parseBillbeeDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return null;
  if (match[1] === "0001") return null;
  const fraction = match[7] ? match[7].slice(0, 4).padEnd(4, "0") : ".000";
  const zone = match[8] ? match[8].replace(/^([+-]\d{2})(\d{2})$/, "$1:$2") : "Z";
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${fraction}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const BillbeeDate = z.string().refine((value) => parseBillbeeDate(value) !== null, "not a date Billbee sends (ISO 8601)");
const OptionalBillbeeDate = z
  .string()
  .nullish()
  .refine((value) => value === null || value === undefined || value === "" || /^0001-/.test(value) || parseBillbeeDate(value) !== null, "not a date Billbee sends (ISO 8601)");

/** Ids are 64-bit numbers in Billbee (300000180937794); a few SDKs send them as strings. */
const Id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

export const BillbeeAddressSchema = z.object({
  FirstName: Text,
  LastName: Text,
  Company: Text,
  NameAddition: Text,
  Street: Text,
  HouseNumber: Text,
  Line2: Text,
  Zip: Text,
  City: Text,
  State: Text,
  CountryISO2: Text,
  Country: Text,
  Email: Text,
  Phone: Text,
});

export const BillbeeCustomerSchema = z.object({
  Id: Id.nullish(),
  Name: Text,
  Email: Text,
  Tel1: Text,
  Tel2: Text,
  DefaultMailAddress: z.object({ Value: Text }).nullish(),
});

export const BillbeeOrderItemSchema = z.object({
  BillbeeId: Id.nullish(),
  Product: z
    .object({
      Id: Text,
      Title: Text,
      SKU: Text,
      BillbeeId: Id.nullish(),
    })
    .nullish(),
  Quantity: Amount,
  /** The line's total (unit price × quantity, after the line's own discount). */
  TotalPrice: Amount,
  /** The line's discount in percent (already taken off TotalPrice). */
  Discount: z.number().nullish(),
  Attributes: z.array(z.object({ Name: Text, Value: Text })).nullish(),
  /** A voucher redeemed as a (tax-free) payment, not a product. */
  IsCoupon: z.boolean().nullish(),
  /** A discount position (newer API versions). */
  IsDiscount: z.boolean().nullish(),
  InvoiceSKU: Text,
});

export const BillbeeOrderSchema = z.object({
  BillBeeOrderId: Id,
  /** The marketplace's or shop's own id. */
  Id: Text,
  OrderNumber: Text,
  State: z.number().int(),
  CreatedAt: BillbeeDate,
  PayedAt: OptionalBillbeeDate,
  ShippedAt: OptionalBillbeeDate,
  UpdatedAt: OptionalBillbeeDate,
  LastModifiedAt: OptionalBillbeeDate,
  /** The order's gross total, shipping included (real responses: items + ShippingCost). */
  TotalCost: Amount,
  ShippingCost: z.number().nullish(),
  PaidAmount: z.number().nullish(),
  Currency: z.string().regex(/^[A-Za-z]{3}$/, "not an ISO 4217 currency code"),
  LanguageCode: Text,
  /** Set on a cancellation document: the id of the order it cancels. */
  IsCancelationFor: Text,
  Customer: BillbeeCustomerSchema.nullish(),
  InvoiceAddress: BillbeeAddressSchema.nullish(),
  ShippingAddress: BillbeeAddressSchema.nullish(),
  OrderItems: z.array(BillbeeOrderItemSchema).nullish(),
});

/** GET /orders: `{ Paging, ErrorMessage, ErrorCode, ErrorDescription, Data }`. */
export const BillbeeOrderPageSchema = z.object({
  Paging: z
    .object({
      Page: z.number().int(),
      TotalPages: z.number().int(),
      TotalRows: z.number().int(),
      PageSize: z.number().int(),
    })
    .nullish(),
  ErrorMessage: Text,
  ErrorCode: z.union([z.number(), z.string()]).nullish(),
  ErrorDescription: Text,
  Data: z.array(z.unknown()).nullish(),
});

export type BillbeeAddress = z.infer<typeof BillbeeAddressSchema>;
export type BillbeeOrder = z.infer<typeof BillbeeOrderSchema>;
export type BillbeeOrderItem = z.infer<typeof BillbeeOrderItemSchema>;
export type BillbeeOrderPage = z.infer<typeof BillbeeOrderPageSchema>;

/** An envelope reports an error when its ErrorCode is set and not 0 / "NoError". */
export function envelopeError(page: Pick<BillbeeOrderPage, "ErrorCode" | "ErrorMessage" | "ErrorDescription">): string | null {
  const code = page.ErrorCode;
  if (code === null || code === undefined || code === 0 || code === "0" || code === "" || code === "NoError") return null;
  const text = [page.ErrorMessage, page.ErrorDescription].filter((part) => part && part !== "NoError").join(" – ");
  return `Billbee reported error ${code}${text ? `: ${text}` : ""}`;
}
