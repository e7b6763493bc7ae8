import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const CONFIG = { sqlite: "prisma.config.ts", postgresql: "prisma.postgresql.config.ts" };
// The CLI needs a DATABASE_URL of the right kind to pick the JS engine, even for a diff that never connects.
const PLACEHOLDER_URL = { sqlite: "file:./.tmp/prisma-cli.db", postgresql: "postgresql://postgres@127.0.0.1:5432/test" };

/** SQL that turns the `from` schema file's database into the `to` one (offline; no database). */
export function diffSchemas(provider, fromSchemaPath, toSchemaPath) {
  // The SQLite adapter opens its placeholder file even for a diff: its folder must exist.
  mkdirSync(".tmp", { recursive: true });
  const from = fromSchemaPath ? ["--from-schema-datamodel", fromSchemaPath] : ["--from-empty"];
  return execFileSync(
    "npx",
    ["prisma", "migrate", "diff", "--config", CONFIG[provider], ...from, "--to-schema-datamodel", toSchemaPath, "--script"],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DATABASE_URL: PLACEHOLDER_URL[provider] },
    },
  );
}
