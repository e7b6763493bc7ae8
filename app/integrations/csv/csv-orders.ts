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
import { normalizeCsvHeader, type CsvField, type CsvMapping } from "./csv-fields";
import { parseCsvAmount, parseCsvDate, parseCsvQuantity, quoteCsvValue } from "./csv-values";

/**
 * CSV records → canonical orders (with their customer and items), one order per run of
 * consecutive records with the same order key, as exports write one row per order line. Pure.
 *
 * - Order key: the order ID when a row has one, else the order number. Later rows of an order
 *   may leave the ID blank (Shopify repeats only Name and Email); a row with neither is a
 *   problem of its own. Rows of one order must be consecutive: the same key later in the file
 *   starts another order with the same source id (the import service deals with that).
 * - Order-level values (date, totals, status, customer, address) come from the order's first
 *   row; every row may carry an item. The total is the order total column, else the sum of the
 *   item totals (unit price × quantity − line discount, or the line total column).
 * - A customer is needed: source "CSV", keyed by the customer number, else by the normalised
 *   e-mail. A row with neither is a problem ("no customer e-mail address or customer number"):
 *   an order nobody can be found by cannot be written to, and the ingestion would keep it
 *   without a customer.
 * - One bad value skips the whole order: the bad line gets its reasons (column = the header as
 *   written in the file), each other line of the order "skipped: line N of the same order has a
 *   problem". A malformed record or a row without an order key between two rows of the same
 *   order counts as a bad line of that order, since it may well have been one of its lines.
 * - Statuses: Shopify's financial and fulfilment statuses and their usual German words; an
 *   unknown word is UNKNOWN, not a problem. A cancelled status without a "cancelled at" date
 *   takes the order date as the cancellation date, so the order stays out of the statistics.
 *   Unknown language or country names are left empty rather than failing the order.
 * - Orders from a file are history: live false, sourceUpdatedAt null.
 * push and flush return what that call finished (nothing, usually: a shared, frozen result);
 * callers read it, they do not fill it.
 */

export type CsvRecord = { line: number; values: string[]; endByte: number } | { line: number; error: string; endByte: number };

export type CsvRowProblem = { line: number; column: string | null; reason: string };

export type CsvAssembledOrder = { order: CanonicalOrder; firstLine: number; lastLine: number };

export type CsvAssembled = { orders: CsvAssembledOrder[]; problems: CsvRowProblem[] };

export type CsvAssemblerOptions = { mapping: CsvMapping; headers: string[]; shopCurrency: string };

export type CsvOrderAssembler = { push(record: CsvRecord): CsvAssembled; flush(): CsvAssembled };

/** Column index per field, -1 when unmapped; one fixed shape, so reading it stays cheap per row. */
type Columns = { readonly [F in CsvField]: number };

type OrderHead = {
  placedAt: Date;
  currency: string;
  totalMinor: bigint | null;
  subtotalMinor: bigint | null;
  refundedMinor: bigint;
  financialState: CanonicalOrderFinancialState;
  fulfilmentState: CanonicalOrderFulfilmentState;
  cancelledAt: Date | null;
  email: string | null;
  language: string | null;
  address: CanonicalAddress | null;
  discountCodes: string[];
  customer: CanonicalCustomer;
};

type Group = {
  id: string | null;
  number: string | null;
  /** Every line of the order, in file order. */
  lines: number[];
  /** The lines' own problems, by line; null while there are none. */
  problems: Map<number, CsvRowProblem[]> | null;
  firstProblemLine: number | null;
  head: OrderHead | null;
  digits: number;
  items: CanonicalLineItem[];
  unpricedItems: number;
};

export function createCsvOrderAssembler(options: CsvAssemblerOptions): CsvOrderAssembler {
  const { mapping, headers } = options;
  const { decimalSeparator, dateOrder } = mapping;
  const shopCurrency = options.shopCurrency.toUpperCase();
  const at = resolveColumns(mapping, headers.length);
  const headerAt = (index: number): string | null => (index === -1 ? null : (headers[index] ?? null));
  const problemAt = (problems: CsvRowProblem[], line: number, index: number, reason: string) => {
    problems.push({ line, column: headerAt(index), reason });
  };
  const amountAt = (values: string[], index: number, digits: number, problems: CsvRowProblem[], line: number): bigint | null => {
    const text = cellAt(values, index);
    if (text === null) return null;
    const parsed = parseCsvAmount(text, decimalSeparator, digits);
    if (parsed.ok) return parsed.value;
    problemAt(problems, line, index, parsed.reason);
    return null;
  };
  const dateAt = (values: string[], index: number, problems: CsvRowProblem[], line: number): Date | null => {
    const text = cellAt(values, index);
    if (text === null) return null;
    const parsed = parseCsvDate(text, dateOrder);
    if (parsed.ok) return parsed.value;
    problemAt(problems, line, index, parsed.reason);
    return null;
  };

  let group: Group | null = null;
  // Malformed records and rows without a key, held until it is known whether they sit inside an order.
  let pending: CsvRowProblem[] = [];

  /** The order-level values of an order's first row; null when any of them is bad. */
  function parseHead(line: number, values: string[], problems: CsvRowProblem[]): OrderHead | null {
    const before = problems.length;

    const currencyText = cellAt(values, at.currency);
    let currency = mapping.defaultCurrency ?? shopCurrency;
    if (currencyText !== null) {
      const code = currencyCodeOf(currencyText);
      if (code === null) problemAt(problems, line, at.currency, `not a currency code: ${quoteCsvValue(currencyText)}`);
      else currency = code;
    }
    const digits = minorDigits(currency);

    const placedAt = dateAt(values, at.orderDate, problems, line);
    if (placedAt === null && problems.length === before) problemAt(problems, line, at.orderDate, "no order date");
    const totalMinor = amountAt(values, at.orderTotal, digits, problems, line);
    const subtotalMinor = amountAt(values, at.subtotal, digits, problems, line);
    const refundedMinor = amountAt(values, at.refundedAmount, digits, problems, line);
    let cancelledAt = dateAt(values, at.cancelledAt, problems, line);

    const emailText = cellAt(values, at.email);
    const email = normalizeEmail(emailText);
    if (emailText !== null && email === null) problemAt(problems, line, at.email, `not an e-mail address: ${quoteCsvValue(emailText)}`);
    const customerId = cellAt(values, at.customerId);
    if (customerId === null && emailText === null) {
      problemAt(problems, line, at.email !== -1 ? at.email : at.customerId, "no customer e-mail address or customer number");
    }

    const financialText = cellAt(values, at.financialStatus);
    const fulfilmentText = cellAt(values, at.fulfillmentStatus);
    const financial = financialText === null ? null : statusKey(financialText);
    const fulfilment = fulfilmentText === null ? null : statusKey(fulfilmentText);
    const financialState = (financial && FINANCIAL_STATES[financial]) || "UNKNOWN";
    // A single "Status" column often says how far the order got rather than how it was paid.
    const fulfilmentState =
      (fulfilment && FULFILMENT_STATES[fulfilment]) || (financial && financialState === "UNKNOWN" && FULFILMENT_STATES[financial]) || "UNKNOWN";
    const cancelled = (financial !== null && CANCELLED_WORDS.has(financial)) || (fulfilment !== null && CANCELLED_WORDS.has(fulfilment));

    if (problems.length > before || placedAt === null) return null;
    if (cancelled && cancelledAt === null) cancelledAt = placedAt;

    let firstName = cellAt(values, at.firstName);
    let lastName = cellAt(values, at.lastName);
    const fullName = cellAt(values, at.fullName);
    if (firstName === null && lastName === null && fullName !== null) [firstName, lastName] = splitFullName(fullName);
    const personName = firstName === null ? lastName : lastName === null ? firstName : `${firstName} ${lastName}`;
    const language = languageOf(cellAt(values, at.language));
    const address = addressOf(values, personName);
    const discountText = cellAt(values, at.discountCode);
    return {
      placedAt,
      currency,
      totalMinor,
      subtotalMinor,
      refundedMinor: refundedMinor ?? 0n,
      financialState,
      fulfilmentState,
      cancelledAt,
      email,
      language,
      address,
      discountCodes: discountText === null ? [] : discountText.split(/[,;]/).map((code) => code.trim()).filter(Boolean),
      customer: {
        source: "CSV",
        sourceId: customerId ?? email!,
        sourceUpdatedAt: null,
        email,
        firstName,
        lastName,
        company: cellAt(values, at.company),
        phone: stripSpreadsheetQuote(cellAt(values, at.phone)),
        language,
        address,
      },
    };
  }

  function addressOf(values: string[], personName: string | null): CanonicalAddress | null {
    const street = cellAt(values, at.addressLine1);
    const houseNumber = cellAt(values, at.addressHouseNumber);
    const line1 = street !== null && houseNumber !== null ? `${street} ${houseNumber}` : (street ?? houseNumber);
    const postalCode = stripSpreadsheetQuote(cellAt(values, at.postalCode));
    const city = cellAt(values, at.city);
    const countryText = cellAt(values, at.countryCode);
    const countryCode = countryText === null ? null : countryCodeOf(countryText);
    if (line1 === null && postalCode === null && city === null && countryCode === null) return null;
    return {
      name: cellAt(values, at.addressName) ?? personName,
      company: cellAt(values, at.company),
      line1,
      line2: cellAt(values, at.addressLine2),
      postalCode,
      city,
      region: cellAt(values, at.region),
      countryCode,
    };
  }

  /** The row's item, if it has one, into the group; its bad values into `problems`. */
  function addItem(target: Group, line: number, values: string[], problems: CsvRowProblem[]): void {
    const title = cellAt(values, at.itemTitle);
    const sku = cellAt(values, at.itemSku);
    const unitText = cellAt(values, at.itemUnitPrice);
    const totalText = cellAt(values, at.itemTotal);
    if (title === null && sku === null && unitText === null && totalText === null) return;
    const before = problems.length;
    let quantity = 1;
    const quantityText = cellAt(values, at.itemQuantity);
    if (quantityText !== null) {
      const parsed = parseCsvQuantity(quantityText);
      if (!parsed.ok) problemAt(problems, line, at.itemQuantity, parsed.reason);
      else if (parsed.value !== null) quantity = parsed.value;
    }
    const unit = amountAt(values, at.itemUnitPrice, target.digits, problems, line);
    const total = amountAt(values, at.itemTotal, target.digits, problems, line);
    const discount = amountAt(values, at.itemDiscount, target.digits, problems, line);
    if (problems.length > before) return;
    if (unit === null && total === null) target.unpricedItems += 1;
    const unitPriceMinor = unit ?? (total !== null && quantity > 0 ? divideRounded(total, BigInt(quantity)) : (total ?? 0n));
    target.items.push({
      sourceId: null,
      productId: null,
      variantId: null,
      sku,
      title: title ?? sku ?? "",
      variantTitle: cellAt(values, at.itemVariant),
      quantity,
      unitPriceMinor,
      totalMinor: total ?? unitPriceMinor * BigInt(quantity) - (discount ?? 0n),
    });
  }

  function addLine(target: Group, line: number, problems: CsvRowProblem[] | null): void {
    target.lines.push(line);
    if (problems === null || problems.length === 0) return;
    (target.problems ??= new Map()).set(line, problems);
    target.firstProblemLine ??= line;
  }

  function startGroup(line: number, values: string[], id: string | null, number: string | null): Group {
    const problems: CsvRowProblem[] = [];
    const head = parseHead(line, values, problems);
    const currency = head?.currency ?? currencyCodeOf(cellAt(values, at.currency) ?? "") ?? mapping.defaultCurrency ?? shopCurrency;
    const started: Group = { id, number, lines: [], problems: null, firstProblemLine: null, head, digits: minorDigits(currency), items: [], unpricedItems: 0 };
    addItem(started, line, values, problems);
    addLine(started, line, problems);
    return started;
  }

  function finish(done: Group, out: CsvAssembled): void {
    const firstLine = done.lines[0]!;
    const head = done.head;
    let totalMinor: bigint | null = null;
    if (done.firstProblemLine === null && head) {
      totalMinor = head.totalMinor;
      if (totalMinor === null && done.items.length > 0 && done.unpricedItems === 0) {
        totalMinor = 0n;
        for (const item of done.items) totalMinor += item.totalMinor;
      }
      if (totalMinor === null) {
        const reason =
          done.items.length === 0 || done.unpricedItems === done.items.length ? "no order total and no item prices to add up" : "no order total, and not every item has a price";
        (done.problems ??= new Map()).set(firstLine, [{ line: firstLine, column: headerAt(at.orderTotal), reason }]);
        done.firstProblemLine = firstLine;
      }
    }
    if (done.firstProblemLine !== null || !head || totalMinor === null) {
      const culprit = done.firstProblemLine ?? firstLine;
      for (const line of done.lines) {
        const own = done.problems?.get(line);
        if (own) out.problems.push(...own);
        else out.problems.push({ line, column: null, reason: `skipped: line ${culprit} of the same order has a problem` });
      }
      return;
    }
    const sourceId = done.id ?? done.number!;
    out.orders.push({
      order: {
        source: "CSV",
        sourceId,
        number: done.number ?? sourceId,
        placedAt: head.placedAt,
        sourceUpdatedAt: null,
        currency: head.currency,
        totalMinor,
        subtotalMinor: head.subtotalMinor,
        refundedMinor: head.refundedMinor,
        financialState: head.financialState,
        fulfilmentState: head.fulfilmentState,
        cancelledAt: head.cancelledAt,
        cancelReason: null,
        checkoutToken: null,
        email: head.email,
        customerLocale: head.language,
        shippingAddress: head.address,
        discountCodes: head.discountCodes,
        customer: head.customer,
        lineItems: done.items,
        live: false,
      },
      firstLine,
      lastLine: done.lines[done.lines.length - 1]!,
    });
  }

  function flushPending(out: CsvAssembled): void {
    if (pending.length === 0) return;
    out.problems.push(...pending);
    pending = [];
  }

  return {
    push(record) {
      if ("error" in record) {
        pending.push({ line: record.line, column: null, reason: record.error });
        return NOTHING;
      }
      const { line, values } = record;
      const id = cellAt(values, at.orderId);
      const number = cellAt(values, at.orderNumber);
      if (id === null && number === null) {
        pending.push({ line, column: headerAt(at.orderNumber !== -1 ? at.orderNumber : at.orderId), reason: "no order number or order ID" });
        return NOTHING;
      }
      const current: Group | null = group;
      const continues = current !== null && (id !== null && current.id !== null ? id === current.id : number !== null && current.number !== null && number === current.number);
      if (current && continues) {
        for (const problem of pending) addLine(current, problem.line, [problem]);
        pending = [];
        current.id ??= id;
        current.number ??= number;
        const problems: CsvRowProblem[] = [];
        addItem(current, line, values, problems);
        addLine(current, line, problems);
        return NOTHING;
      }
      const out: CsvAssembled = { orders: [], problems: [] };
      if (current) finish(current, out);
      flushPending(out);
      group = startGroup(line, values, id, number);
      return out;
    },
    flush() {
      const out: CsvAssembled = { orders: [], problems: [] };
      if (group) finish(group, out);
      group = null;
      flushPending(out);
      return out;
    },
  };
}

// Most rows finish nothing; they all share this (frozen, so a caller cannot fill it by mistake).
const NOTHING: CsvAssembled = Object.freeze({ orders: Object.freeze([]) as unknown as CsvAssembled["orders"], problems: Object.freeze([]) as unknown as CsvRowProblem[] });

function resolveColumns(mapping: CsvMapping, headerCount: number): Columns {
  const at = (field: CsvField): number => {
    const index = mapping.columns[field];
    return index !== undefined && Number.isInteger(index) && index >= 0 && index < headerCount ? index : -1;
  };
  return {
    orderId: at("orderId"),
    orderNumber: at("orderNumber"),
    orderDate: at("orderDate"),
    customerId: at("customerId"),
    email: at("email"),
    firstName: at("firstName"),
    lastName: at("lastName"),
    fullName: at("fullName"),
    company: at("company"),
    phone: at("phone"),
    language: at("language"),
    currency: at("currency"),
    orderTotal: at("orderTotal"),
    subtotal: at("subtotal"),
    refundedAmount: at("refundedAmount"),
    financialStatus: at("financialStatus"),
    fulfillmentStatus: at("fulfillmentStatus"),
    cancelledAt: at("cancelledAt"),
    discountCode: at("discountCode"),
    itemTitle: at("itemTitle"),
    itemVariant: at("itemVariant"),
    itemSku: at("itemSku"),
    itemQuantity: at("itemQuantity"),
    itemUnitPrice: at("itemUnitPrice"),
    itemTotal: at("itemTotal"),
    itemDiscount: at("itemDiscount"),
    addressName: at("addressName"),
    addressLine1: at("addressLine1"),
    addressHouseNumber: at("addressHouseNumber"),
    addressLine2: at("addressLine2"),
    postalCode: at("postalCode"),
    city: at("city"),
    region: at("region"),
    countryCode: at("countryCode"),
  };
}

/** The trimmed value of a column, null when unmapped or blank. */
function cellAt(values: string[], index: number): string | null {
  if (index === -1) return null;
  const value = values[index];
  if (value === undefined || value === "") return null;
  // Most values have no surrounding spaces; only those pay for trim().
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first > 32 && first !== 160 && last > 32 && last !== 160) return value;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/**
 * The first records of a file with their problems, for the mapping preview: the same assembly
 * as the import, so the preview shows exactly what the import would report for these rows.
 */
export function previewCsvRecords(records: CsvRecord[], options: CsvAssemblerOptions): { line: number; values: string[]; problems: CsvRowProblem[] }[] {
  const assembler = createCsvOrderAssembler(options);
  const byLine = new Map<number, CsvRowProblem[]>();
  const collect = (assembled: CsvAssembled) => {
    for (const problem of assembled.problems) {
      const list = byLine.get(problem.line);
      if (list) list.push(problem);
      else byLine.set(problem.line, [problem]);
    }
  };
  for (const record of records) collect(assembler.push(record));
  collect(assembler.flush());
  return records.map((record) => ({
    line: record.line,
    values: "values" in record ? record.values : [],
    problems: byLine.get(record.line) ?? [],
  }));
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

function divideRounded(amount: bigint, by: bigint): bigint {
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const rounded = (magnitude * 2n + by) / (by * 2n);
  return negative ? -rounded : rounded;
}

/** "Müller, Anna" → ["Anna", "Müller"]; "Anna Maria Müller" → ["Anna Maria", "Müller"]; "Cher" → [null, "Cher"]. */
export function splitFullName(fullName: string): [string | null, string | null] {
  const comma = fullName.indexOf(",");
  if (comma !== -1) {
    const last = fullName.slice(0, comma).trim();
    const first = fullName.slice(comma + 1).trim();
    return [first || null, last || null];
  }
  const trimmed = fullName.trim();
  const space = trimmed.lastIndexOf(" ");
  if (space === -1) return [null, trimmed || null];
  return [trimmed.slice(0, space).trim(), trimmed.slice(space + 1)];
}

// Spreadsheet exports (Shopify's among them) put an apostrophe in front of postal codes and
// phone numbers so that Excel keeps their leading zeros.
function stripSpreadsheetQuote(value: string | null): string | null {
  if (value === null || value[0] !== "'") return value;
  return value.slice(1).trim() || null;
}

const CURRENCY_SIGNS: Record<string, string> = { "€": "EUR", "£": "GBP", "FR.": "CHF", "SFR.": "CHF", "CHF.": "CHF", "US$": "USD" };

function currencyCodeOf(text: string): string | null {
  const upper = text.toUpperCase();
  if (/^[A-Z]{3}$/.test(upper)) return upper;
  return CURRENCY_SIGNS[upper] ?? null;
}

const LANGUAGE_NAMES: Record<string, string> = {
  deutsch: "de", german: "de", englisch: "en", english: "en", franzoesisch: "fr", french: "fr", francais: "fr",
  italienisch: "it", italian: "it", italiano: "it", spanisch: "es", spanish: "es", espanol: "es", niederlaendisch: "nl",
  dutch: "nl", nederlands: "nl", polnisch: "pl", polish: "pl", russisch: "ru", russian: "ru", daenisch: "da", danish: "da",
  schwedisch: "sv", swedish: "sv", tschechisch: "cs", czech: "cs", portugiesisch: "pt", portuguese: "pt", tuerkisch: "tr", turkish: "tr",
};

function languageOf(text: string | null): string | null {
  if (text === null) return null;
  return normalizeLanguageTag(text) ?? LANGUAGE_NAMES[normalizeCsvHeader(text)] ?? null;
}

const COUNTRY_NAMES: Record<string, string> = {
  deutschland: "DE", germany: "DE", deu: "DE", oesterreich: "AT", austria: "AT", aut: "AT", schweiz: "CH", switzerland: "CH",
  suisse: "CH", svizzera: "CH", che: "CH", liechtenstein: "LI", niederlande: "NL", netherlands: "NL", nederland: "NL", holland: "NL",
  nld: "NL", belgien: "BE", belgium: "BE", belgique: "BE", bel: "BE", luxemburg: "LU", luxembourg: "LU", lux: "LU", frankreich: "FR",
  france: "FR", fra: "FR", italien: "IT", italy: "IT", italia: "IT", ita: "IT", spanien: "ES", spain: "ES", espana: "ES", esp: "ES",
  portugal: "PT", prt: "PT", daenemark: "DK", denmark: "DK", dnk: "DK", schweden: "SE", sweden: "SE", swe: "SE", norwegen: "NO",
  norway: "NO", nor: "NO", finnland: "FI", finland: "FI", fin: "FI", polen: "PL", poland: "PL", pol: "PL", tschechien: "CZ",
  czechia: "CZ", czechrepublic: "CZ", tschechischerepublik: "CZ", cze: "CZ", slowakei: "SK", slovakia: "SK", ungarn: "HU",
  hungary: "HU", slowenien: "SI", slovenia: "SI", kroatien: "HR", croatia: "HR", irland: "IE", ireland: "IE", irl: "IE",
  griechenland: "GR", greece: "GR", rumaenien: "RO", romania: "RO", bulgarien: "BG", bulgaria: "BG", uk: "GB", gbr: "GB",
  unitedkingdom: "GB", grossbritannien: "GB", vereinigteskoenigreich: "GB", england: "GB", usa: "US", unitedstates: "US",
  unitedstatesofamerica: "US", vereinigtestaaten: "US", kanada: "CA", canada: "CA", australien: "AU", australia: "AU",
  russland: "RU", russia: "RU", ukraine: "UA", tuerkei: "TR", turkey: "TR",
};

/** "DE", "de", "Deutschland", "Germany", "DEU" → "DE"; null for names it does not know. */
function countryCodeOf(text: string): string | null {
  if (/^[A-Za-z]{2}$/.test(text)) return text.toUpperCase() === "UK" ? "GB" : text.toUpperCase();
  return COUNTRY_NAMES[normalizeCsvHeader(text)] ?? null;
}

const FINANCIAL_STATES: Record<string, CanonicalOrderFinancialState> = {
  paid: "PAID", payed: "PAID", bezahlt: "PAID", completed: "PAID", complete: "PAID", abgeschlossen: "PAID", processing: "PAID",
  pending: "PENDING", pendingpayment: "PENDING", ausstehend: "PENDING", zahlungausstehend: "PENDING", offen: "PENDING", unpaid: "PENDING",
  unbezahlt: "PENDING", nichtbezahlt: "PENDING", onhold: "PENDING",
  authorized: "AUTHORIZED", authorised: "AUTHORIZED", autorisiert: "AUTHORIZED",
  partiallypaid: "PARTIALLY_PAID", teilweisebezahlt: "PARTIALLY_PAID", teilbezahlt: "PARTIALLY_PAID", anbezahlt: "PARTIALLY_PAID",
  partiallyrefunded: "PARTIALLY_REFUNDED", teilweiseerstattet: "PARTIALLY_REFUNDED", teilweiserueckerstattet: "PARTIALLY_REFUNDED", teilerstattet: "PARTIALLY_REFUNDED",
  refunded: "REFUNDED", erstattet: "REFUNDED", rueckerstattet: "REFUNDED", zurueckerstattet: "REFUNDED", gutgeschrieben: "REFUNDED",
  voided: "VOIDED", void: "VOIDED", expired: "VOIDED", abgelaufen: "VOIDED",
};

const FULFILMENT_STATES: Record<string, CanonicalOrderFulfilmentState> = {
  fulfilled: "FULFILLED", shipped: "FULFILLED", delivered: "FULFILLED", versendet: "FULFILLED", versandt: "FULFILLED", verschickt: "FULFILLED",
  geliefert: "FULFILLED", zugestellt: "FULFILLED", erledigt: "FULFILLED",
  partial: "PARTIAL", partiallyfulfilled: "PARTIAL", partiallyshipped: "PARTIAL", teilweiseversendet: "PARTIAL", teilversendet: "PARTIAL",
  teilgeliefert: "PARTIAL", teilweisegeliefert: "PARTIAL",
  unfulfilled: "UNFULFILLED", unshipped: "UNFULFILLED", notshipped: "UNFULFILLED", nichtversendet: "UNFULFILLED", unversendet: "UNFULFILLED",
  open: "UNFULFILLED", offen: "UNFULFILLED", pending: "UNFULFILLED", ausstehend: "UNFULFILLED", inbearbeitung: "UNFULFILLED",
  restocked: "RESTOCKED",
};

// Status columns repeat a handful of words a million times; normalise each once.
const statusKeys = new Map<string, string>();
function statusKey(text: string): string {
  let key = statusKeys.get(text);
  if (key === undefined) {
    key = normalizeCsvHeader(text);
    if (statusKeys.size > 1000) statusKeys.clear();
    statusKeys.set(text, key);
  }
  return key;
}

const CANCELLED_WORDS = new Set(["cancelled", "canceled", "storniert", "annulliert", "abgebrochen", "storno"]);
