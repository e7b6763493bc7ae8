// The `shopify` global of this extension's target, for the typecheck. The same declaration as
// the file Shopify CLI writes here during `app dev` / `app build`, so a regenerated copy changes
// nothing.
import "@shopify/ui-extensions";
import type { Api } from "@shopify/ui-extensions/admin.customer-details.block.render";

declare module "./src/BlockExtension.tsx" {
  const shopify: Api;
  const globalThis: { shopify: typeof shopify };
}
