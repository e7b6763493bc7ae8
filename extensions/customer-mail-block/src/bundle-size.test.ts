import path from "node:path";
import { expect, it } from "vitest";
import { BUNDLE_LIMIT_BYTES, bundleExtension } from "../bundle";

/**
 * Shopify refuses to deploy an admin UI extension over 64 KB of compressed JavaScript
 * (https://shopify.dev/docs/apps/build/admin/optimize-bundle-size). Measured here on every test
 * run, so a heavy dependency shows up in review and not at deploy time.
 */
it("bundles the block under Shopify's 64 KB compressed limit", async () => {
  const bundle = await bundleExtension();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.warn(`customer-mail-block bundle: ${kb(bundle.bytes)} minified, ${kb(bundle.gzippedBytes)} gzipped (limit ${kb(BUNDLE_LIMIT_BYTES)})`);
  expect(bundle.gzippedBytes).toBeLessThan(BUNDLE_LIMIT_BYTES);

  const [output] = Object.values(bundle.metafile.outputs);
  // Self-contained: the admin loads one module and provides no others.
  expect(output?.imports).toEqual([]);
  const inputs = Object.keys(output?.inputs ?? {}).map((input) => input.split(path.sep).join("/"));
  expect(inputs).toEqual(expect.arrayContaining([expect.stringContaining("node_modules/preact/"), expect.stringContaining("node_modules/@preact/signals/")]));
  // Nothing of React or the app's server code slipped in.
  expect(inputs.filter((input) => /node_modules\/(react|react-dom|zod)\//.test(input) || input.startsWith("app/"))).toEqual([]);
});
