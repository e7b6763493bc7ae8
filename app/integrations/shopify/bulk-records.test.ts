import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  assembleBulkGroups,
  BulkFileError,
  mapBulkAbandonedCheckout,
  mapBulkCustomer,
  mapBulkOrder,
  resolveCheckoutToken,
  sourceIdFromGid,
  type BulkGroup,
  type BulkSourceLine,
  type CheckoutDraft,
} from "./bulk-records";

const FIXTURES = path.join(process.cwd(), "tests/fixtures/shopify/bulk");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");

async function* linesOf(text: string): AsyncGenerator<BulkSourceLine> {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const [line, value] of lines.entries()) yield { line, text: value };
}

async function groupsOf(text: string, options?: Parameters<typeof assembleBulkGroups>[1]): Promise<BulkGroup[]> {
  const groups: BulkGroup[] = [];
  for await (const group of assembleBulkGroups(linesOf(text), options)) groups.push(group);
  return groups;
}

const jsonl = (...objects: object[]) => objects.map((object) => JSON.stringify(object)).join("\n") + "\n";

describe("sourceIdFromGid", () => {
  it("takes the numeric tail webhooks carry", () => {
    expect(sourceIdFromGid("gid://shopify/Order/450789469")).toBe("450789469");
    expect(sourceIdFromGid("gid://shopify/Customer/820982911946154508")).toBe("820982911946154508");
    expect(sourceIdFromGid("gid://shopify/CheckoutLineItem/abc123?checkout=x")).toBe("abc123");
    expect(() => sourceIdFromGid("450789469")).toThrow(/Not a Shopify GID/);
  });
});

describe("mapping bulk lines", () => {
  it("maps a customer with its default address", async () => {
    const [first, , third] = await groupsOf(fixture("customers.jsonl"));
    expect(mapBulkCustomer(first!.line, first!.parent)).toEqual({
      ok: true,
      record: {
        source: "SHOPIFY",
        sourceId: "7001",
        sourceUpdatedAt: new Date("2026-03-01T10:00:00Z"),
        email: "anna.schmidt@example.de",
        firstName: "Anna",
        lastName: "Schmidt",
        company: null,
        phone: "+49301234567",
        language: "de",
        address: {
          name: "Anna Schmidt",
          company: null,
          line1: "Torstraße 12",
          line2: null,
          postalCode: "10119",
          city: "Berlin",
          region: "Berlin",
          countryCode: "DE",
        },
      },
    });
    const chloe = mapBulkCustomer(third!.line, third!.parent);
    expect(chloe.ok && chloe.record).toMatchObject({ sourceId: "7003", address: null, phone: null, language: "fr" });
  });

  it("maps an order with its child line items, amounts in minor units, never live", async () => {
    const groups = await groupsOf(fixture("orders.jsonl"));
    expect(groups.map((group) => [group.line, group.children.length])).toEqual([
      [0, 2],
      [3, 1],
      [5, 1],
      [7, 3],
    ]);
    const result = mapBulkOrder(groups[0]!.line, groups[0]!.parent, groups[0]!.children);
    expect(result).toEqual({
      ok: true,
      record: expect.objectContaining({
        source: "SHOPIFY",
        sourceId: "5001",
        number: "#1001",
        placedAt: new Date("2026-01-10T09:00:00Z"),
        sourceUpdatedAt: new Date("2026-01-12T11:00:00Z"),
        currency: "EUR",
        totalMinor: 5990n,
        subtotalMinor: 5500n,
        refundedMinor: 0n,
        financialState: "PAID",
        fulfilmentState: "FULFILLED",
        checkoutToken: "4c5f1e2d3b6a79808f1e2d3c4b5a6978",
        customerLocale: "de-DE",
        discountCodes: ["WELCOME10"],
        customer: expect.objectContaining({ source: "SHOPIFY", sourceId: "7001", sourceUpdatedAt: null, email: null }),
        live: false,
      }),
    });
    expect(result.ok && result.record.lineItems).toEqual([
      {
        sourceId: "80011",
        productId: "632910392",
        variantId: "808950810",
        sku: "MUG-BLUE",
        title: "Ceramic mug",
        variantTitle: "Blue",
        quantity: 2,
        unitPriceMinor: 1500n,
        totalMinor: 2700n,
      },
      expect.objectContaining({ sourceId: "80012", quantity: 1, totalMinor: 2800n }),
    ]);
  });

  it("maps cancellation, refunds and fulfilment states as webhooks do", async () => {
    const groups = await groupsOf(fixture("orders.jsonl"));
    const refunded = mapBulkOrder(groups[1]!.line, groups[1]!.parent, groups[1]!.children);
    expect(refunded.ok && refunded.record).toMatchObject({ financialState: "PARTIALLY_REFUNDED", refundedMinor: 2000n });
    const cancelled = mapBulkOrder(groups[2]!.line, groups[2]!.parent, groups[2]!.children);
    expect(cancelled.ok && cancelled.record).toMatchObject({
      cancelledAt: new Date("2026-03-06T07:00:00Z"),
      cancelReason: "customer",
      fulfilmentState: "UNFULFILLED",
      checkoutToken: null,
    });
    expect(cancelled.ok && cancelled.record.lineItems[0]).toMatchObject({ sku: null, productId: null, variantId: null });
    const partial = mapBulkOrder(groups[3]!.line, groups[3]!.parent, groups[3]!.children);
    expect(partial.ok && partial.record.fulfilmentState).toBe("PARTIAL");
  });

  it("reports an invalid line as a row error with its line number", () => {
    const result = mapBulkOrder(41, { id: "gid://shopify/Order/1", name: "#1", totalPriceSet: { shopMoney: { amount: "12,50", currencyCode: "EUR" } } }, []);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.line).toBe(41);
    expect(!result.ok && result.error.reason).toMatch(/^Invalid order: /);
  });

  it("maps abandoned checkouts, with the URL's token and locale, and no e-mail without a customer", async () => {
    const groups = await groupsOf(fixture("abandoned-checkouts.jsonl"));
    const [ben, guest, chloe] = groups.map((group) => mapBulkAbandonedCheckout(group.line, group.parent, group.children));
    expect(ben).toMatchObject({
      ok: true,
      record: {
        sourceId: "9001",
        urlToken: { kind: "cart", token: "hWN2TB7ZmvSu4DM4b8U70bgH" },
        checkout: {
          graphqlId: "gid://shopify/AbandonedCheckout/9001",
          email: "ben.mueller@example.ch",
          customerLocale: "de-CH",
          currency: "EUR",
          valueMinor: 8900n,
          completedAt: null,
          customer: { source: "SHOPIFY", sourceId: "7002", firstName: "Ben", language: "de-CH" },
        },
      },
    });
    expect(ben!.ok && ben!.record.checkout.lineItems).toEqual([
      {
        sourceId: "90011",
        productId: "632910394",
        variantId: "808950812",
        sku: "POT-XL",
        title: "Teapot",
        variantTitle: "XL",
        quantity: 1,
        unitPriceMinor: 8900n,
        totalMinor: 8900n,
      },
    ]);
    expect(guest).toMatchObject({
      ok: true,
      record: { urlToken: { kind: "checkout", token: "0b9f5e1d2c3a4b5c6d7e8f9012345678" }, checkout: { customer: null, email: null, customerLocale: null } },
    });
    expect(chloe!.ok && chloe!.record.checkout.completedAt).toEqual(new Date("2026-03-15T12:00:00Z"));
  });
});

describe("resolveCheckoutToken", () => {
  const draft = (urlToken: CheckoutDraft["urlToken"], completedAt: Date | null = null): CheckoutDraft => ({
    sourceId: "9001",
    urlToken,
    checkout: {
      graphqlId: "gid://shopify/AbandonedCheckout/9001",
      email: null,
      customerLocale: null,
      abandonedCheckoutUrl: "https://example.com",
      currency: "EUR",
      valueMinor: 100n,
      createdAt: new Date("2026-03-10T10:00:00Z"),
      updatedAt: new Date("2026-03-10T10:00:00Z"),
      completedAt,
      customer: null,
      shippingAddress: null,
      lineItems: [],
    },
  });
  const stored = { token: "webhook-token", cartToken: "cart-1", email: "guest@example.com", customerLocale: "de" };
  const empty = { storedByToken: new Map(), storedByCartToken: new Map(), orderCheckoutTokenByCartToken: new Map() };

  it.each([
    ["a legacy URL's checkout token", draft({ kind: "checkout", token: "abc123" }), empty, "abc123", "URL_CHECKOUT_TOKEN"],
    [
      "the token of a stored checkout of the same cart",
      draft({ kind: "cart", token: "cart-1" }),
      { ...empty, storedByCartToken: new Map([["cart-1", stored]]) },
      "webhook-token",
      "STORED_CART_TOKEN",
    ],
    [
      "the checkout token of the order placed from the cart",
      draft({ kind: "cart", token: "cart-1" }, new Date()),
      { ...empty, orderCheckoutTokenByCartToken: new Map([["cart-1", "order-checkout-token"]]) },
      "order-checkout-token",
      "ORDER_CART_TOKEN",
    ],
    ["a stable token of its own when nothing matches", draft({ kind: "cart", token: "cart-1" }), empty, "abandoned-checkout:9001", "FALLBACK"],
    ["a stable token of its own for an unrecognised URL", draft(null), empty, "abandoned-checkout:9001", "FALLBACK"],
  ])("uses %s", (_label, input, known, token, matchedBy) => {
    const result = resolveCheckoutToken(input, known);
    expect(result.checkout.token).toBe(token);
    expect(result.matchedBy).toBe(matchedBy);
  });

  it("keeps the cart token and fills what the back-fill lacks from the stored checkout", () => {
    const result = resolveCheckoutToken(draft({ kind: "cart", token: "cart-1" }), {
      ...empty,
      storedByCartToken: new Map([["cart-1", stored]]),
      storedByToken: new Map([["webhook-token", stored]]),
    });
    expect(result.checkout).toMatchObject({ token: "webhook-token", cartToken: "cart-1", email: "guest@example.com", customerLocale: "de" });
  });
});

describe("assembleBulkGroups", () => {
  const order = (n: number) => ({ id: `gid://shopify/Order/${n}` });
  const item = (n: number, parent: number) => ({ id: `gid://shopify/LineItem/${n}`, __parentId: `gid://shopify/Order/${parent}` });

  it("groups children with their parent and strips __parentId", async () => {
    const groups = await groupsOf(jsonl(order(1), item(11, 1), item(12, 1), order(2), order(3), item(31, 3)), { maxPendingParents: 1 });
    expect(groups.map((group) => [group.parent.id, group.children.map((child) => child.id)])).toEqual([
      ["gid://shopify/Order/1", ["gid://shopify/LineItem/11", "gid://shopify/LineItem/12"]],
      ["gid://shopify/Order/2", []],
      ["gid://shopify/Order/3", ["gid://shopify/LineItem/31"]],
    ]);
    expect(groups[0]!.children[0]).not.toHaveProperty("__parentId");
  });

  it("holds a window of parents, so children a little out of place still find theirs", async () => {
    const text = jsonl(order(1), order(2), item(11, 1), item(21, 2), order(3), item(12, 1), order(4), order(5));
    const groups = await groupsOf(text, { maxPendingParents: 3 });
    expect(groups.map((group) => group.children.length)).toEqual([2, 1, 0, 0, 0]);
  });

  it("fails on a child whose parent already left the window instead of dropping it", async () => {
    const text = jsonl(order(1), order(2), item(11, 1));
    await expect(groupsOf(text, { maxPendingParents: 1 })).rejects.toThrow(BulkFileError);
    await expect(groupsOf(text, { maxPendingParents: 1 })).rejects.toThrow(/line 3: child of gid:\/\/shopify\/Order\/1/);
  });

  it("fails on lines that are not JSON objects", async () => {
    await expect(groupsOf('{"id":"gid://shopify/Order/1"}\n{oops\n')).rejects.toThrow(/line 2: not JSON/);
  });

  it("gives checkpoints from which a resumed read yields exactly the groups not yet stored", async () => {
    const text = jsonl(order(1), item(11, 1), order(2), order(3), item(21, 2), item(31, 3), order(4), item(41, 4), order(5));
    const all = await groupsOf(text, { maxPendingParents: 2 });
    expect(all.map((group) => group.parent.id)).toEqual([1, 2, 3, 4, 5].map((n) => `gid://shopify/Order/${n}`));
    for (let stored = 1; stored < all.length; stored++) {
      const { resumeLine, skipOrphansThrough } = all[stored - 1]!.checkpoint;
      const rest: BulkGroup[] = [];
      const remaining = text
        .split("\n")
        .slice(resumeLine)
        .map((value, index) => ({ line: resumeLine + index, text: value }));
      async function* lines() {
        yield* remaining;
      }
      for await (const group of assembleBulkGroups(lines(), { maxPendingParents: 2, skipOrphansThrough })) rest.push(group);
      expect(rest.map((group) => [group.parent.id, group.children.length])).toEqual(
        all.slice(stored).map((group) => [group.parent.id, group.children.length]),
      );
    }
  });

  it("ends with a checkpoint past the last line", async () => {
    const groups = await groupsOf(jsonl(order(1), item(11, 1)));
    expect(groups.at(-1)!.checkpoint).toEqual({ resumeLine: 2, skipOrphansThrough: 1 });
  });
});
