import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type BuildOptions, type Metafile } from "esbuild";

/**
 * Bundles the block the way it ships: one minified ES module with Preact and @preact/signals
 * inside. Nothing is external: the admin provides the `shopify` global and the s-* elements,
 * but no modules, and @shopify/ui-extensions has a single runtime file we use
 * (`@shopify/ui-extensions/preact`, a few lines that hand Preact's Signal class to the host);
 * the rest of that package is types. Shopify CLI builds the deployed bundle itself; this one
 * measures it against the 64 KB compressed limit enforced at deploy
 * (https://shopify.dev/docs/apps/build/admin/optimize-bundle-size).
 *
 * `npm run extension:build` writes it to extensions/customer-mail-block/dist/.
 */

export const EXTENSION_DIR = path.dirname(fileURLToPath(import.meta.url));
export const BUNDLE_LIMIT_BYTES = 64 * 1024;

const OPTIONS: BuildOptions = {
  entryPoints: [path.join(EXTENSION_DIR, "src/BlockExtension.tsx")],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "none",
  metafile: true,
  write: false,
  logLevel: "silent",
};

export type ExtensionBundle = { code: Uint8Array; bytes: number; gzippedBytes: number; metafile: Metafile };

export async function bundleExtension(): Promise<ExtensionBundle> {
  const result = await build({ ...OPTIONS, outfile: path.join(EXTENSION_DIR, "dist/customer-mail-block.js") });
  const output = result.outputFiles?.[0];
  if (!output || !result.metafile) throw new Error("esbuild produced no output");
  return { code: output.contents, bytes: output.contents.byteLength, gzippedBytes: gzipSync(output.contents).byteLength, metafile: result.metafile };
}

async function main() {
  const bundle = await bundleExtension();
  const outfile = path.join(EXTENSION_DIR, "dist/customer-mail-block.js");
  mkdirSync(path.dirname(outfile), { recursive: true });
  writeFileSync(outfile, bundle.code);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.warn(`${path.relative(process.cwd(), outfile)}: ${kb(bundle.bytes)}, ${kb(bundle.gzippedBytes)} gzipped (limit ${kb(BUNDLE_LIMIT_BYTES)})`);
  if (bundle.gzippedBytes >= BUNDLE_LIMIT_BYTES) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
