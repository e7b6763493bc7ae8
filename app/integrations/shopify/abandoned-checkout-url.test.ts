import { describe, expect, it } from "vitest";
import { localeFromAbandonedCheckoutUrl, tokenFromAbandonedCheckoutUrl } from "./abandoned-checkout-url";

describe("tokenFromAbandonedCheckoutUrl", () => {
  it.each([
    // Current checkouts: the segment after `ac/` is the cart token (Shopify's own example names it so).
    [
      "https://letterloop-test.myshopify.com/60673655038/checkouts/ac/hWN2TB7ZmvSu4DM4b8U70bgH/recover?key=65ed255c5950eaeb927a13420bb84879&locale=en-IN",
      { kind: "cart", token: "hWN2TB7ZmvSu4DM4b8U70bgH" },
    ],
    [
      "https://pixel-testing.myshopify.com/59026964593/checkouts/ac/Z2NwLXVzLWVhc3QxOjAxSkJaTUVRSjgzNUJUN1BTNjEzRFdRUFFQ/recover?key=0385163be3875d3a2117e982d9cc3517",
      { kind: "cart", token: "Z2NwLXVzLWVhc3QxOjAxSkJaTUVRSjgzNUJUN1BTNjEzRFdRUFFQ" },
    ],
    ["https://www.snowdevil.ca/26371970/checkouts/ac/cart_token_k23sabns3/recover?key=secret_token_i23kd8f88&locale=en", { kind: "cart", token: "cart_token_k23sabns3" }],
    // A custom domain and the one-page checkout path carry the cart token too.
    ["https://shop.example.de/checkouts/cn/hWNGDJJmX6QaE40VVCxtIMRY", { kind: "cart", token: "hWNGDJJmX6QaE40VVCxtIMRY" }],
    // Legacy checkouts: the segment after `checkouts/` is the checkout token itself.
    [
      "https://letterloop-test.myshopify.com/60673655038/checkouts/0b9f5e1d2c3a4b5c6d7e8f9012345678/recover?key=c2d4e6f8a0b1c3d5",
      { kind: "checkout", token: "0b9f5e1d2c3a4b5c6d7e8f9012345678" },
    ],
    ["https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token", { kind: "checkout", token: "123123123" }],
    ["  https://shop.example.com/1/checkouts/ac/abc%2D123/recover  ", { kind: "cart", token: "abc-123" }],
  ])("reads %s", (url, expected) => {
    expect(tokenFromAbandonedCheckoutUrl(url)).toEqual(expected);
  });

  it.each([
    null,
    "",
    "not a url",
    "ftp://shop.example.com/1/checkouts/abc123def/recover",
    "https://shop.example.com/cart",
    "https://shop.example.com/1/checkouts",
    "https://shop.example.com/1/checkouts/ac",
    "https://shop.example.com/1/checkouts/ac/recover?key=abc",
    "https://shop.example.com/1/checkouts/recover?key=abc",
    "https://shop.example.com/1/checkouts/a b c/recover",
    "https://shop.example.com/1/checkouts/x/recover",
  ])("finds no token in %s", (url) => {
    expect(tokenFromAbandonedCheckoutUrl(url)).toBeNull();
  });

  it("never takes the recovery key for a token", () => {
    expect(tokenFromAbandonedCheckoutUrl("https://shop.example.com/recover?key=0123456789abcdef0123456789abcdef")).toBeNull();
  });
});

describe("localeFromAbandonedCheckoutUrl", () => {
  it("reads the checkout language from the locale parameter", () => {
    expect(localeFromAbandonedCheckoutUrl("https://s.example.com/1/checkouts/ac/abc123/recover?key=k&locale=de-CH")).toBe("de-CH");
    expect(localeFromAbandonedCheckoutUrl("https://s.example.com/1/checkouts/ac/abc123/recover?key=k")).toBeNull();
    expect(localeFromAbandonedCheckoutUrl("garbage")).toBeNull();
  });
});
