/**
 * Parsers for the values real CSV exports contain: amounts with either decimal separator,
 * grouping, currency signs and trailing minus; dates in the formats shops and spreadsheets
 * write; quantities with a unit. Pure. Each returns a value, `null` for a blank cell, or a
 * reason a merchant can act on (it ends up in the row report next to line and column).
 */

export type CsvParsed<T> = { ok: true; value: T | null } | { ok: false; reason: string };

export type CsvDateOrder = "DMY" | "MDY" | "YMD";
export type CsvDecimalSeparator = "," | ".";

const BLANK = { ok: true, value: null } as const;

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** The value as the merchant typed it, cut short so one odd cell cannot flood the report. */
export function quoteCsvValue(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed);
}

// ---------------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------------

// The common case (plain digits with at most one separator) skips the general path.
const PLAIN_AMOUNT = /^(-?)(\d+)(?:([.,])(\d+))?$/;
// Sign, parentheses, a currency sign or three-letter code (or "Fr.") before or after, a trailing
// minus (SAP, DATEV).
const CURRENCY_MARK = String.raw`(?:[A-Za-z]{3}|S?Fr\.|\p{Sc})`;
const DECORATED_AMOUNT = new RegExp(
  String.raw`^(\()?\s*([-−+]?)\s*${CURRENCY_MARK}?\s*([-−+]?)\s*([\d.,'’\s]*\d[\d.,'’\s]*?)\s*${CURRENCY_MARK}?\s*(-?)\s*(\))?$`,
  "u",
);
const GROUPING_SPACES = /['’\s]/g;

/**
 * An amount in minor units of a currency with `currencyDigits` decimals. Both "1.234,56" and
 * "1,234.56" read as 1234.56 whatever `decimalSeparator` says, since the last separator of two
 * kinds is the decimal one; a single separator is read with `decimalSeparator` unless three
 * digits follow the other one ("1.234" with ",": one thousand two hundred thirty-four), or it
 * cannot be grouping ("12.5" with ","). More decimals than the currency has are rounded half
 * away from zero (unit prices are often stored with four).
 */
export function parseCsvAmount(text: string, decimalSeparator: CsvDecimalSeparator, currencyDigits: number): CsvParsed<bigint> {
  const trimmed = text.trim();
  if (trimmed === "") return BLANK;
  const plain = PLAIN_AMOUNT.exec(trimmed);
  if (plain) {
    const [, sign, whole = "", separator, fraction = ""] = plain;
    if (separator === undefined) return { ok: true, value: toMinor(sign === "-", whole, "", currencyDigits) };
    if (separator !== decimalSeparator && fraction.length === 3) {
      return { ok: true, value: toMinor(sign === "-", whole + fraction, "", currencyDigits) };
    }
    return { ok: true, value: toMinor(sign === "-", whole, fraction, currencyDigits) };
  }

  const decorated = DECORATED_AMOUNT.exec(trimmed);
  if (!decorated) return fail(`not an amount: ${quoteCsvValue(text)}`);
  const [, open, signBefore, signAfterSymbol, body = "", trailingMinus, close] = decorated;
  if (Boolean(open) !== Boolean(close)) return fail(`not an amount: ${quoteCsvValue(text)}`);
  const signs = [signBefore, signAfterSymbol, trailingMinus].filter((sign) => sign).length;
  if (signs > 1 || (open && signs > 0)) return fail(`not an amount: ${quoteCsvValue(text)}`);
  const negative = Boolean(open) || signBefore === "-" || signBefore === "−" || signAfterSymbol === "-" || signAfterSymbol === "−" || trailingMinus === "-";

  const number = splitNumber(body.replace(GROUPING_SPACES, (match, offset: number) => (isGroupingGap(body, offset, match.length) ? "_" : "|")), decimalSeparator);
  if (!number) return fail(`not an amount: ${quoteCsvValue(text)}`);
  return { ok: true, value: toMinor(negative, number.whole, number.fraction, currencyDigits) };
}

// A space or apostrophe between digits groups thousands ("1 234,50", "1'234.50"); anywhere else
// it is no number.
function isGroupingGap(body: string, offset: number, length: number): boolean {
  return /\d/.test(body[offset - 1] ?? "") && /\d/.test(body[offset + length] ?? "");
}

/**
 * "1.234.567,8" → whole "1234567", fraction "8"; "_" stands for a space or apostrophe between
 * digits. Null when the separators do not add up (grouping other than in threes, two kinds of
 * grouping, grouping after the decimal separator).
 */
function splitNumber(body: string, decimalSeparator: CsvDecimalSeparator): { whole: string; fraction: string } | null {
  if (!/^[\d.,_]+$/.test(body)) return null;
  const lastDot = body.lastIndexOf(".");
  const lastComma = body.lastIndexOf(",");
  let decimal: "." | "," | null;
  if (lastDot !== -1 && lastComma !== -1) {
    decimal = lastDot > lastComma ? "." : ",";
  } else if (lastDot === -1 && lastComma === -1) {
    decimal = null;
  } else {
    const only = lastDot !== -1 ? "." : ",";
    const count = body.split(only).length - 1;
    const digitsAfter = body.length - body.lastIndexOf(only) - 1;
    if (count > 1) decimal = null;
    else if (only !== decimalSeparator && digitsAfter === 3 && /\d/.test(body[body.lastIndexOf(only) - 1] ?? "")) decimal = null;
    else decimal = only;
  }
  const decimalAt = decimal === null ? -1 : body.lastIndexOf(decimal);
  const integerPart = decimalAt === -1 ? body : body.slice(0, decimalAt);
  const fraction = decimalAt === -1 ? "" : body.slice(decimalAt + 1);
  if (decimalAt !== -1 && !/^\d+$/.test(fraction)) return null;
  // ".50" is half a unit; otherwise the integer part is digits, grouped in threes with one kind of separator.
  if (integerPart === "") return decimalAt === -1 ? null : { whole: "0", fraction };
  const groups = integerPart.split(/[.,_]/);
  if (groups.length > 1) {
    if (new Set(integerPart.replace(/\d/g, "")).size > 1) return null;
    if (!/^\d{1,3}$/.test(groups[0]!) || groups.slice(1).some((group) => !/^\d{3}$/.test(group))) return null;
  }
  return { whole: groups.join(""), fraction };
}

function toMinor(negative: boolean, whole: string, fraction: string, digits: number): bigint {
  const kept = fraction.slice(0, digits).padEnd(digits, "0");
  const digitsText = `${whole || "0"}${kept}`;
  // Up to 15 digits a double is exact, and BigInt(number) is cheaper than parsing the string.
  let minor = digitsText.length <= 15 ? BigInt(Number(digitsText)) : BigInt(digitsText);
  // Half away from zero on the first dropped digit, like parseDecimalToMinor in core/money.
  if (fraction.length > digits && fraction.charCodeAt(digits) >= 53) minor += 1n;
  return negative ? -minor : minor;
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

// 2024-03-05, 05.03.2024, 5.3.24, 03/05/2024, 2024/03/05; then an optional time (with seconds,
// fractions, AM/PM) and an optional zone: Z, UTC, GMT, +01:00, +0100, +01.
const NUMERIC_DATE =
  /^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?:(?:[T\s]|,\s*)+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp]\.?[Mm]\.?|Uhr)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
// 5 Mar 2024, 5. März 2024, 05-Mar-2024 (optionally with a time)
const DAY_MONTH_NAME_YEAR = /^(\d{1,2})\.?[\s-]*(\p{L}{3,10})\.?[\s-]*(\d{2}|\d{4})(?:(?:[T\s]|,\s*)+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/u;
// March 5, 2024 / Mar 5 2024 (optionally with a time)
const MONTH_NAME_DAY_YEAR = /^(\p{L}{3,10})\.?\s+(\d{1,2}),?\s+(\d{4})(?:(?:[T\s]|,\s*)+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/u;

const MONTH_NAMES: [string, number][] = [
  ["january", 1], ["januar", 1], ["jänner", 1], ["february", 2], ["februar", 2], ["march", 3], ["märz", 3], ["maerz", 3], ["mrz", 3],
  ["april", 4], ["may", 5], ["mai", 5], ["june", 6], ["juni", 6], ["july", 7], ["juli", 7], ["august", 8], ["september", 9],
  ["october", 10], ["oktober", 10], ["november", 11], ["december", 12], ["dezember", 12],
];

/** "Mar", "März", "Sept", "okt" → month number; a name or a prefix of at least three letters. */
function monthFromName(name: string): number | null {
  const lower = name.toLowerCase();
  for (const [full, month] of MONTH_NAMES) {
    if (full === lower || (lower.length >= 3 && full.startsWith(lower))) return month;
  }
  return null;
}

const DATE_ORDER_LABEL: Record<CsvDateOrder, string> = { DMY: "DD.MM.YYYY", MDY: "MM/DD/YYYY", YMD: "YYYY-MM-DD" };

/**
 * A date (and time) as an instant. A year in front (ISO 8601, Shopify's "2024-03-05 14:22:10
 * +0100", "2024/03/05") is always year-month-day; otherwise `dateOrder` decides whether
 * "03/05/2024" is the 3rd of May (DMY) or the 5th of March (MDY); with YMD, a date that ends in
 * its year is read as DMY, or MDY when written with slashes. Two-digit years are 2000–2069 or
 * 1970–1999. A value without a zone is read as UTC: exports rarely say which zone they mean,
 * and UTC keeps the day the file shows for European shops to within an hour or two.
 */
export function parseCsvDate(text: string, dateOrder: CsvDateOrder): CsvParsed<Date> {
  const trimmed = text.trim();
  if (trimmed === "") return BLANK;

  const numeric = NUMERIC_DATE.exec(trimmed);
  if (numeric) {
    const [, first = "", separator, second = "", third = "", hour, minute, second_, fraction, meridiem, zone] = numeric;
    let year: string;
    let month: string;
    let day: string;
    if (first.length >= 3) {
      if (third.length > 2) return invalidDate(text, dateOrder);
      [year, month, day] = [first, second, third];
    } else if (dateOrder === "YMD" && third.length <= 2) {
      [year, month, day] = [first, second, third];
    } else {
      if (third.length === 3 || third.length === 1) return invalidDate(text, dateOrder);
      const order = dateOrder === "YMD" ? (separator === "/" ? "MDY" : "DMY") : dateOrder;
      [year, month, day] = order === "DMY" ? [third, second, first] : [third, first, second];
    }
    return buildDate({ year, month: Number(month), day, hour, minute, second: second_, fraction, meridiem, zone }) ?? invalidDate(text, dateOrder);
  }

  const dayFirst = DAY_MONTH_NAME_YEAR.exec(trimmed);
  if (dayFirst) {
    const [, day = "", name = "", year = "", hour, minute, second, meridiem, zone] = dayFirst;
    const month = monthFromName(name);
    if (month === null) return invalidDate(text, dateOrder);
    return buildDate({ year, month, day, hour, minute, second, fraction: undefined, meridiem, zone }) ?? invalidDate(text, dateOrder);
  }

  const monthFirst = MONTH_NAME_DAY_YEAR.exec(trimmed);
  if (monthFirst) {
    const [, name = "", day = "", year = "", hour, minute, second, meridiem, zone] = monthFirst;
    const month = monthFromName(name);
    if (month === null) return invalidDate(text, dateOrder);
    return buildDate({ year, month, day, hour, minute, second, fraction: undefined, meridiem, zone }) ?? invalidDate(text, dateOrder);
  }
  return invalidDate(text, dateOrder);
}

function invalidDate(text: string, dateOrder: CsvDateOrder): { ok: false; reason: string } {
  return fail(`not a date (expected e.g. ${DATE_ORDER_LABEL[dateOrder]}): ${quoteCsvValue(text)}`);
}

type DateParts = {
  year: string;
  month: number;
  day: string;
  hour: string | undefined;
  minute: string | undefined;
  second: string | undefined;
  fraction: string | undefined;
  meridiem: string | undefined;
  zone: string | undefined;
};

function buildDate(parts: DateParts): { ok: true; value: Date } | null {
  let year = Number(parts.year);
  if (parts.year.length === 2) year += year < 70 ? 2000 : 1900;
  else if (parts.year.length !== 4) return null;
  const month = parts.month;
  const day = Number(parts.day);
  let hour = parts.hour === undefined ? 0 : Number(parts.hour);
  const minute = parts.minute === undefined ? 0 : Number(parts.minute);
  const second = parts.second === undefined ? 0 : Number(parts.second);
  const millisecond = parts.fraction === undefined ? 0 : Number(parts.fraction.slice(0, 3).padEnd(3, "0"));
  // "14:22 Uhr" is a German 24-hour time, not a meridiem.
  if (parts.meridiem && parts.meridiem !== "Uhr") {
    if (hour < 1 || hour > 12) return null;
    const pm = parts.meridiem[0] === "p" || parts.meridiem[0] === "P";
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offsetMinutes = zoneOffsetMinutes(parts.zone);
  if (offsetMinutes === null) return null;
  return { ok: true, value: new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000) };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === "Z" || zone === "UTC" || zone === "GMT") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

// ---------------------------------------------------------------------------------------------
// Quantities
// ---------------------------------------------------------------------------------------------

const QUANTITY = /^([-−]?)(\d+)(?:[.,](\d+))?\s*(?:x|stk\.?|stück|st\.?|pcs\.?|pc\.?|pieces?)?$/i;
const MAX_QUANTITY = 1_000_000;

/** A whole, non-negative number of items: "2", "2,0", "3 Stk.", "1 pcs". */
export function parseCsvQuantity(text: string): CsvParsed<number> {
  const trimmed = text.trim();
  if (trimmed === "") return BLANK;
  const match = QUANTITY.exec(trimmed);
  if (!match) return fail(`not a quantity: ${quoteCsvValue(text)}`);
  const [, sign, whole = "", fraction = ""] = match;
  if (/[1-9]/.test(fraction)) return fail(`not a whole number of items: ${quoteCsvValue(text)}`);
  const quantity = Number(whole);
  if (sign && quantity !== 0) return fail(`a negative quantity: ${quoteCsvValue(text)}`);
  if (quantity > MAX_QUANTITY) return fail(`an implausibly large quantity: ${quoteCsvValue(text)}`);
  return { ok: true, value: quantity };
}
