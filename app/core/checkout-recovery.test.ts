import { describe, expect, it } from "vitest";
import { abandonmentDueAt, evaluateCheckoutRecovery, type RecoveryOrder } from "./checkout-recovery";

const settings = { abandonmentThresholdMinutes: 60, recoveryWindowDays: 7 };
const at = (iso: string) => new Date(`2026-11-${iso}Z`);
const order = (id: string, placed: string, cancelled: string | null = null): RecoveryOrder => ({
  id,
  placedAt: at(placed),
  cancelledAt: cancelled ? at(cancelled) : null,
});

function evaluate({
  activity = "10T10:00:00",
  completed = null as string | null,
  stored = null as string | null,
  ownOrder = null as RecoveryOrder | null,
  customerOrders = [] as RecoveryOrder[],
  now,
}: {
  activity?: string;
  completed?: string | null;
  stored?: string | null;
  ownOrder?: RecoveryOrder | null;
  customerOrders?: RecoveryOrder[];
  now: string;
}) {
  return evaluateCheckoutRecovery({
    checkout: { lastActivityAt: at(activity), completedAt: completed ? at(completed) : null, abandonedAt: stored ? at(stored) : null },
    ownOrder,
    customerOrders,
    settings,
    now: at(now),
  });
}

describe("abandonment", () => {
  it("is due the threshold after the last activity", () => {
    expect(abandonmentDueAt(at("10T10:00:00"), settings)).toEqual(at("10T11:00:00"));
    expect(abandonmentDueAt(at("10T10:00:00"), { abandonmentThresholdMinutes: 600 })).toEqual(at("10T20:00:00"));
  });

  it("is pending before the threshold, with a time to look again", () => {
    expect(evaluate({ now: "10T10:59:59" })).toEqual({
      abandonedAt: null,
      recoveredAt: null,
      recoveredByOrderId: null,
      recoveryKind: null,
      reviewAt: at("10T11:00:00"),
    });
  });

  it("happens exactly at the threshold, dated at the threshold however late it is noticed", () => {
    expect(evaluate({ now: "10T11:00:00" }).abandonedAt).toEqual(at("10T11:00:00"));
    expect(evaluate({ now: "14T08:00:00" })).toMatchObject({ abandonedAt: at("10T11:00:00"), reviewAt: null, recoveryKind: null });
  });

  it("never happens to a checkout completed before the threshold (no badge)", () => {
    const byOrder = evaluate({ ownOrder: order("o1", "10T10:45:00"), now: "12T00:00:00" });
    expect(byOrder).toEqual({ abandonedAt: null, recoveredAt: null, recoveredByOrderId: null, recoveryKind: null, reviewAt: null });
    expect(evaluate({ completed: "10T11:00:00", now: "12T00:00:00" }).abandonedAt).toBeNull();
  });

  it("is undone by an order that was placed before the threshold but delivered after it was marked", () => {
    expect(evaluate({ stored: "10T11:00:00", ownOrder: order("o1", "10T10:50:00"), now: "10T13:00:00" }).abandonedAt).toBeNull();
  });

  it("keeps a recorded abandonment when the threshold is raised later", () => {
    const result = evaluateCheckoutRecovery({
      checkout: { lastActivityAt: at("10T10:00:00"), completedAt: null, abandonedAt: at("10T11:00:00") },
      ownOrder: null,
      customerOrders: [],
      settings: { abandonmentThresholdMinutes: 600, recoveryWindowDays: 7 },
      now: at("10T12:00:00"),
    });
    expect(result.abandonedAt).toEqual(at("10T11:00:00"));
  });

  it("ignores an order dated in the future", () => {
    expect(evaluate({ ownOrder: order("o1", "10T10:30:00"), now: "10T10:20:00" }).reviewAt).toEqual(at("10T11:00:00"));
  });
});

describe("recovery", () => {
  it("by its own order after the abandonment", () => {
    expect(evaluate({ ownOrder: order("o1", "11T09:00:00"), now: "11T10:00:00" })).toEqual({
      abandonedAt: at("10T11:00:00"),
      recoveredAt: at("11T09:00:00"),
      recoveredByOrderId: "o1",
      recoveryKind: "CHECKOUT_COMPLETED",
      reviewAt: null,
    });
  });

  it("by its completion before its order has arrived", () => {
    expect(evaluate({ completed: "10T12:30:00", now: "10T12:31:00" })).toMatchObject({
      abandonedAt: at("10T11:00:00"),
      recoveredAt: at("10T12:30:00"),
      recoveredByOrderId: null,
      recoveryKind: "CHECKOUT_COMPLETED",
    });
  });

  it("by the same customer's order within the window", () => {
    const result = evaluate({ customerOrders: [order("late", "20T00:00:00"), order("o2", "16T12:00:00")], now: "21T00:00:00" });
    expect(result).toMatchObject({ recoveredAt: at("16T12:00:00"), recoveredByOrderId: "o2", recoveryKind: "SAME_CUSTOMER_ORDER" });
  });

  it("counts the window's last instant and not one after it", () => {
    expect(evaluate({ customerOrders: [order("edge", "17T11:00:00")], now: "20T00:00:00" }).recoveredByOrderId).toBe("edge");
    expect(evaluate({ customerOrders: [order("late", "17T11:00:01")], now: "20T00:00:00" }).recoveryKind).toBeNull();
  });

  it("not by an order placed before the abandonment, nor by a cancelled one", () => {
    const result = evaluate({ customerOrders: [order("before", "10T10:30:00"), order("cancelled", "12T00:00:00", "12T01:00:00")], now: "13T00:00:00" });
    expect(result).toMatchObject({ abandonedAt: at("10T11:00:00"), recoveredAt: null, recoveryKind: null });
  });

  it("prefers its own order over an earlier order of the same customer", () => {
    const result = evaluate({ ownOrder: order("own", "13T00:00:00"), customerOrders: [order("other", "11T00:00:00"), order("own", "13T00:00:00")], now: "14T00:00:00" });
    expect(result).toMatchObject({ recoveredByOrderId: "own", recoveryKind: "CHECKOUT_COMPLETED" });
  });
});
