/**
 * Money as integer minor units (cents, öre, yen) with an ISO 4217 currency, so sums are exact.
 * The number of minor digits comes from the currency (JPY 0, EUR 2, KWD 3).
 */
export type Money = { amountMinor: number; currency: string };

// ISO 4217 minor units, fixed here rather than taken from Intl: ICU's display digits differ
// (IDR, HUF show 0) and change between Node versions, which would silently rescale stored amounts.
const ZERO_DIGIT = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DIGIT = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function minorDigits(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DIGIT.has(code)) return 0;
  if (THREE_DIGIT.has(code)) return 3;
  return 2;
}

/** "12.30" (EUR), "1200" (JPY): the amount as a plain decimal string. */
export function toDecimalString(money: Money): string {
  const digits = minorDigits(money.currency);
  const negative = money.amountMinor < 0;
  const abs = Math.abs(Math.trunc(money.amountMinor)).toString().padStart(digits + 1, "0");
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const fraction = digits === 0 ? "" : `.${abs.slice(-digits)}`;
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** Parses a plain decimal string ("12.3", "-4.50"); "12,30" or "1.234,50" are for callers to normalise first. */
export function parseDecimalToMinor(value: string, currency: string): number | null {
  const trimmed = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return null;
  const digits = minorDigits(currency);
  const [whole = "0", fraction = ""] = trimmed.replace("-", "").split(".");
  if (fraction.length > digits && /[1-9]/.test(fraction.slice(digits))) {
    // More precision than the currency has: round half up on the first dropped digit.
    const kept = Number(`${whole}${fraction.slice(0, digits).padEnd(digits, "0")}`);
    const roundUp = Number(fraction[digits]) >= 5 ? 1 : 0;
    return (trimmed.startsWith("-") ? -1 : 1) * (kept + roundUp);
  }
  const minor = Number(`${whole}${fraction.slice(0, digits).padEnd(digits, "0")}`);
  return trimmed.startsWith("-") ? -minor : minor;
}

export function formatMoney(money: Money, locale: string): string {
  const digits = minorDigits(money.currency);
  return moneyFormat(locale, money.currency, digits).format(money.amountMinor / 10 ** digits);
}

// Building an Intl formatter costs far more than using one; long order lists format thousands.
const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(locale: string, currency: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    moneyFormats.set(key, format);
  }
  return format;
}

/**
 * An amount in another currency converted into the shop currency at `rateToShop` (shop units
 * per one unit of `from`, an exact decimal string such as "1.0835"); rounded half away from
 * zero to the shop currency's minor unit. Null when the rate is not a positive decimal.
 */
export function convertMinorAmount(amountMinor: bigint, from: string, to: string, rateToShop: string): bigint | null {
  if (from.toUpperCase() === to.toUpperCase()) return amountMinor;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rateToShop.trim());
  if (!match) return null;
  const fraction = match[2] ?? "";
  const rateNumerator = BigInt(`${match[1]}${fraction}`);
  if (rateNumerator === 0n) return null;
  const rateDenominator = 10n ** BigInt(fraction.length);
  const numerator = amountMinor * rateNumerator * 10n ** BigInt(minorDigits(to));
  const denominator = rateDenominator * 10n ** BigInt(minorDigits(from));
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  return negative ? -rounded : rounded;
}
