import { describe, expect, it } from "vitest";
import { buildOrderTimeline, evaluateContactGuard, measureLetterEffect, orderStatusKey } from "./customer-profile";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const HOUR = 3_600_000;

describe("orderStatusKey", () => {
  it.each([
    [{ cancelledAt: day("2026-01-02"), financialState: "PAID", fulfilmentState: "FULFILLED" }, "CANCELLED"],
    [{ cancelledAt: null, financialState: "REFUNDED", fulfilmentState: "FULFILLED" }, "REFUNDED"],
    [{ cancelledAt: null, financialState: "PARTIALLY_REFUNDED", fulfilmentState: "FULFILLED" }, "PARTIALLY_REFUNDED"],
    [{ cancelledAt: null, financialState: "VOIDED", fulfilmentState: "UNFULFILLED" }, "VOIDED"],
    [{ cancelledAt: null, financialState: "PAID", fulfilmentState: "FULFILLED" }, "FULFILLED"],
    [{ cancelledAt: null, financialState: "PAID", fulfilmentState: "PARTIAL" }, "PARTIALLY_FULFILLED"],
    [{ cancelledAt: null, financialState: "PAID", fulfilmentState: "UNFULFILLED" }, "PAID"],
    [{ cancelledAt: null, financialState: "PENDING", fulfilmentState: "UNKNOWN" }, "PENDING"],
    [{ cancelledAt: null, financialState: "UNKNOWN", fulfilmentState: "UNKNOWN" }, "OPEN"],
  ] as const)("%j → %s", (order, expected) => {
    expect(orderStatusKey(order)).toBe(expected);
  });
});

describe("buildOrderTimeline", () => {
  const orders = [
    { id: "o3", placedAt: day("2026-03-01") },
    { id: "o2", placedAt: day("2026-02-01") },
  ];
  const checkouts = [
    { id: "c-new", at: day("2026-03-05") },
    { id: "c-mid", at: day("2026-02-15") },
    { id: "c-old", at: day("2026-01-10") },
    { id: "c-same", at: day("2026-02-01") },
  ];
  const ids = (entries: ReturnType<typeof buildOrderTimeline>) => entries.map((entry) => (entry.kind === "order" ? entry.order.id : entry.checkout.id));

  it("merges newest first, an order before a checkout of the same moment", () => {
    expect(ids(buildOrderTimeline({ orders, checkouts, complete: true }))).toEqual(["c-new", "o3", "c-mid", "o2", "c-same", "c-old"]);
  });

  it("holds back checkouts older than the oldest shown order while orders are missing", () => {
    expect(ids(buildOrderTimeline({ orders, checkouts, complete: false }))).toEqual(["c-new", "o3", "c-mid", "o2", "c-same"]);
  });

  it("shows every checkout of a customer without orders", () => {
    expect(ids(buildOrderTimeline({ orders: [], checkouts, complete: false }))).toEqual(["c-new", "c-mid", "c-same", "c-old"]);
    expect(buildOrderTimeline({ orders: [], checkouts: [], complete: true })).toEqual([]);
  });
});

describe("measureLetterEffect", () => {
  const sent = { status: "MAILED" as const, createdAt: day("2026-03-01"), submittedAt: day("2026-03-02") };
  const order = (placedAt: Date) => ({ id: "o1", number: "#1001", placedAt });

  it.each([
    ["the same day", new Date(day("2026-03-02").getTime() + 2 * HOUR), 0, true],
    ["29 days later", day("2026-03-31"), 29, true],
    ["exactly at the window's end", day("2026-04-01"), 30, true],
    ["an hour past the window", new Date(day("2026-04-01").getTime() + HOUR), 30, false],
    ["months later", day("2026-07-01"), 121, false],
  ])("an order %s", (_name, placedAt, daysAfter, within) => {
    expect(measureLetterEffect({ letter: sent, nextOrder: order(placedAt), attributionWindowDays: 30 }).nextOrder).toEqual({
      ...order(placedAt),
      daysAfter,
      withinAttributionWindow: within,
    });
  });

  it("counts from submission, and from creation when the letter has no submission date", () => {
    expect(measureLetterEffect({ letter: sent, nextOrder: null, attributionWindowDays: 30 })).toEqual({ sentAt: day("2026-03-02"), nextOrder: null });
    const printed = { status: "PRINTED" as const, createdAt: day("2026-03-01"), submittedAt: null };
    expect(measureLetterEffect({ letter: printed, nextOrder: order(day("2026-03-04")), attributionWindowDays: 30 }).nextOrder?.daysAfter).toBe(3);
  });

  it.each(["SCHEDULED", "RENDERED", "FAILED", "CANCELLED"] as const)("measures nothing for a %s letter", (status) => {
    expect(measureLetterEffect({ letter: { ...sent, status }, nextOrder: order(day("2026-03-05")), attributionWindowDays: 30 })).toEqual({ sentAt: null, nextOrder: null });
  });

  it("ignores an order that is not after the letter", () => {
    expect(measureLetterEffect({ letter: sent, nextOrder: order(day("2026-03-02")), attributionWindowDays: 30 }).nextOrder).toBeNull();
  });
});

describe("evaluateContactGuard", () => {
  const now = day("2026-06-30");
  const letter = (status: "MAILED" | "SCHEDULED" | "CANCELLED" | "RETURNED", at: string) => ({ status, createdAt: day(at), submittedAt: day(at) });

  it("reports never written to", () => {
    expect(evaluateContactGuard({ letters: [], capLetters: 1, capDays: 30, now })).toEqual({
      lastWrittenAt: null,
      daysSinceLastLetter: null,
      lettersInCapPeriod: 0,
      capReached: false,
      nextContactAllowedAt: null,
    });
  });

  it("finds the last letter that left the shop and when the cap frees up", () => {
    const guard = evaluateContactGuard({
      letters: [letter("SCHEDULED", "2026-06-29"), letter("MAILED", "2026-06-20"), letter("CANCELLED", "2026-06-25"), letter("RETURNED", "2026-05-01")],
      capLetters: 1,
      capDays: 30,
      now,
    });
    expect(guard).toEqual({
      lastWrittenAt: day("2026-06-20"),
      daysSinceLastLetter: 10,
      lettersInCapPeriod: 1,
      capReached: true,
      nextContactAllowedAt: day("2026-07-20"),
    });
  });

  it("leaves room under a cap of several letters, and frees it with the oldest blocking letter", () => {
    const letters = [letter("MAILED", "2026-06-20"), letter("MAILED", "2026-06-10")];
    expect(evaluateContactGuard({ letters, capLetters: 3, capDays: 30, now }).capReached).toBe(false);
    expect(evaluateContactGuard({ letters, capLetters: 2, capDays: 30, now })).toMatchObject({ capReached: true, nextContactAllowedAt: day("2026-07-10") });
  });

  it("does not count a letter exactly one period old, nor one dated in the future", () => {
    expect(evaluateContactGuard({ letters: [letter("MAILED", "2026-05-31")], capLetters: 1, capDays: 30, now }).capReached).toBe(false);
    expect(evaluateContactGuard({ letters: [letter("MAILED", "2026-07-05")], capLetters: 1, capDays: 30, now })).toMatchObject({ lastWrittenAt: null, capReached: false });
  });
});
