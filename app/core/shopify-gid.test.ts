import { describe, expect, it } from "vitest";
import { parseShopifyCustomerGid } from "./shopify-gid";

describe("parseShopifyCustomerGid", () => {
  it.each([
    ["gid://shopify/Customer/123", "123"],
    ["gid://shopify/Customer/7012345678901", "7012345678901"],
    ["gid://shopify/Customer/18446744073709551615", "18446744073709551615"],
    // Another resource type, even with a valid number.
    ["gid://shopify/Order/123", null],
    ["gid://shopify/CustomerAddress/123", null],
    ["gid://shopify/customer/123", null],
    ["gid://other/Customer/123", null],
    // Not a number, or not a canonical one.
    ["gid://shopify/Customer/abc", null],
    ["gid://shopify/Customer/12a", null],
    ["gid://shopify/Customer/-5", null],
    ["gid://shopify/Customer/1.5", null],
    ["gid://shopify/Customer/0", null],
    ["gid://shopify/Customer/0123", null],
    ["gid://shopify/Customer/123456789012345678901", null],
    ["gid://shopify/Customer/", null],
    // Whitespace anywhere.
    [" gid://shopify/Customer/123", null],
    ["gid://shopify/Customer/123 ", null],
    ["gid://shopify/Customer/123\n", null],
    ["gid://shopify/Customer/ 123", null],
    // Extra parts and bare ids.
    ["gid://shopify/Customer/123?foo=bar", null],
    ["gid://shopify/Customer/123/456", null],
    ["123", null],
    ["", null],
    [null, null],
    [undefined, null],
  ])("%j → %j", (input, expected) => expect(parseShopifyCustomerGid(input)).toBe(expected));
});
