// `npm run bench`: runs every bench/*.bench.ts (each exports `run(): Promise<BenchResult[]>`)
// or only those named on the command line: `npm run bench -- webhook-intake`.
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { report, type BenchResult } from "./harness";

const only = process.argv.slice(2);
const files = readdirSync(path.join(process.cwd(), "bench"))
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();

const results: BenchResult[] = [];
for (const file of files) {
  const module = (await import(pathToFileURL(path.join(process.cwd(), "bench", file)).href)) as { run: () => Promise<BenchResult[]> };
  console.log(`▶ ${file}`);
  results.push(...(await module.run()));
}
report(results);
