// Adds a migration for both databases from the change to prisma/schema.prisma, offline:
//   npm run db:migration -- add_letter_cost
// `prisma migrate dev` needs a shadow database the JS engine cannot create here, so the SQL comes
// from `prisma migrate diff` between the schema as of the last migration (kept in
// prisma/migrations/schema.prisma.last) and the current one. Review the SQL, then `npm run db:migrate`.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { derivePostgresSchema } from "./lib/derive-schema.mjs";
import { diffSchemas } from "./lib/prisma-cli.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <snake_case_name>");
  process.exit(1);
}

const SOURCE = "prisma/schema.prisma";
const LAST = "prisma/migrations/schema.prisma.last";
const stamp = new Date().toISOString().replace(/[-:TZ.]/g, "").slice(0, 14);
const folder = `${stamp}_${name}`;
const scratch = mkdtempSync(path.join(tmpdir(), "letterloop-migration-"));

const current = readFileSync(SOURCE, "utf8");
const last = existsSync(LAST) ? readFileSync(LAST, "utf8") : null;

const schemas = {
  sqlite: { now: current, before: last },
  postgresql: { now: derivePostgresSchema(current), before: last ? derivePostgresSchema(last) : null },
};

let wrote = 0;
for (const provider of ["sqlite", "postgresql"] as const) {
  const nowPath = path.join(scratch, `${provider}.now.prisma`);
  writeFileSync(nowPath, schemas[provider].now);
  let beforePath: string | null = null;
  if (schemas[provider].before) {
    beforePath = path.join(scratch, `${provider}.before.prisma`);
    writeFileSync(beforePath, schemas[provider].before!);
  }
  const sql = diffSchemas(provider, beforePath, nowPath);
  if (!/\S/.test(sql.replace(/^--.*$/gm, ""))) {
    console.log(`${provider}: no schema change, no migration written.`);
    continue;
  }
  const dir = path.join("prisma", "migrations", provider, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`${provider}: wrote ${dir}/migration.sql`);
  wrote++;
}
if (wrote > 0) copyFileSync(SOURCE, LAST);
