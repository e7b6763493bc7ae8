import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrateDatabase } from "../../app/db/migrate.server";
import { derivePostgresSchema } from "../../scripts/lib/derive-schema.mjs";
import { diffSchemas } from "../../scripts/lib/prisma-cli.mjs";
import { TEST_POSTGRES_URL } from "../support/postgres-url";
import { postgresCatalog, sqliteCatalog } from "../support/schema-catalog";

/**
 * The migrations and the schema must not drift: applying every migration gives exactly the
 * database that prisma/schema.prisma describes (compared catalog to catalog), on both databases.
 */

const TMP = path.join(process.cwd(), ".tmp");
mkdirSync(TMP, { recursive: true });
const scratch = mkdtempSync(path.join(tmpdir(), "letterloop-drift-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sourceSchema = readFileSync("prisma/schema.prisma", "utf8");

describe("migrations [sqlite]", () => {
  const name = `drift_${randomBytes(4).toString("hex")}`;
  const migrated = path.join(TMP, `${name}_migrated.db`);
  const expected = path.join(TMP, `${name}_expected.db`);
  afterAll(() => {
    for (const file of [migrated, expected]) rmSync(file, { force: true });
  });

  it("applying the migrations gives the schema's database", async () => {
    const result = await migrateDatabase(`file:${migrated}`);
    expect(result.applied.length).toBeGreaterThan(0);

    const schemaPath = path.join(scratch, "sqlite.prisma");
    writeFileSync(schemaPath, sourceSchema);
    const db = new Database(expected);
    db.exec(diffSchemas("sqlite", null, schemaPath));
    db.close();

    expect(sqliteCatalog(migrated)).toEqual(sqliteCatalog(expected));
  });

  it("a second run applies nothing, and Prisma's own status agrees", async () => {
    expect((await migrateDatabase(`file:${migrated}`)).applied).toEqual([]);
    const status = execFileSync("npx", ["prisma", "migrate", "status"], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: `file:${migrated}` },
    });
    expect(status).toContain("Database schema is up to date");
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "letterloop-edited-"));
    cpSync("prisma/migrations", path.join(root, "prisma", "migrations"), { recursive: true });
    const [first] = readFileSync(path.join(root, "prisma/migrations/sqlite/migration_lock.toml"), "utf8") ? ["20261125000000_init"] : [];
    const file = path.join(root, "prisma/migrations/sqlite", first!, "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- edited\n`);
    await expect(migrateDatabase(`file:${migrated}`, root)).rejects.toThrow(/changed after it was applied/);
    rmSync(root, { recursive: true, force: true });
  });
});

describe.skipIf(!inject("postgresAvailable"))("migrations [postgresql]", () => {
  const migratedSchema = `drift_m_${randomBytes(4).toString("hex")}`;
  const expectedSchema = `drift_e_${randomBytes(4).toString("hex")}`;

  afterAll(async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    for (const schema of [migratedSchema, expectedSchema]) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it("applying the migrations gives the schema's database", async () => {
    const result = await migrateDatabase(`${TEST_POSTGRES_URL}?schema=${migratedSchema}`);
    expect(result.applied.length).toBeGreaterThan(0);

    const schemaPath = path.join(scratch, "postgresql.prisma");
    writeFileSync(schemaPath, derivePostgresSchema(sourceSchema));
    const sql = diffSchemas("postgresql", null, schemaPath);
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA "${expectedSchema}"`);
    await client.query(`SET search_path TO "${expectedSchema}"`);
    await client.query(sql);
    await client.end();

    expect(await postgresCatalog(TEST_POSTGRES_URL, migratedSchema)).toEqual(
      await postgresCatalog(TEST_POSTGRES_URL, expectedSchema),
    );
  });

  it("a second run applies nothing, concurrent runs apply once, and Prisma's own status agrees", async () => {
    const url = `${TEST_POSTGRES_URL}?schema=${migratedSchema}`;
    const runs = await Promise.all([migrateDatabase(url), migrateDatabase(url)]);
    expect(runs.flatMap((run) => run.applied)).toEqual([]);
    const status = execFileSync("npx", ["prisma", "migrate", "status", "--config", "prisma.postgresql.config.ts"], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: url },
    });
    expect(status).toContain("Database schema is up to date");
  });
});

describe("migrations keep data [sqlite]", () => {
  it("redefining a table that others reference keeps the rows that reference it", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "letterloop-redefine-"));
    const file = path.join(root, "data.db");
    const url = `file:${file}`;
    cpSync("prisma/migrations/sqlite", path.join(root, "prisma/migrations/sqlite"), { recursive: true });
    await migrateDatabase(url, root);

    const db = new Database(file);
    db.exec(`INSERT INTO "Shop" (id, domain, name, emailHashSalt, updatedAt) VALUES ('s1', 's1.myshopify.com', 'S1', 'x', 0)`);
    db.exec(`INSERT INTO "Customer" (id, shopId, updatedAt) VALUES ('c1', 's1', 0), ('c2', 's1', 0)`);
    db.close();

    // The shape Prisma writes when a column of a referenced table changes.
    const shopTable = (sqliteCatalog(file) as Array<{ table: string }>).find((t) => t.table === "Shop");
    expect(shopTable).toBeDefined();
    const original = new Database(file, { readonly: true });
    const createShop = (original.prepare(`SELECT sql FROM sqlite_master WHERE name = 'Shop'`).get() as { sql: string }).sql;
    original.close();
    const migration = [
      "PRAGMA defer_foreign_keys=ON;",
      "PRAGMA foreign_keys=OFF;",
      `${createShop.replace('CREATE TABLE "Shop"', 'CREATE TABLE "new_Shop"')};`,
      `INSERT INTO "new_Shop" SELECT * FROM "Shop";`,
      `DROP TABLE "Shop";`,
      `ALTER TABLE "new_Shop" RENAME TO "Shop";`,
      `CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");`,
      "PRAGMA foreign_keys=ON;",
      "PRAGMA defer_foreign_keys=OFF;",
    ].join("\n");
    mkdirSync(path.join(root, "prisma/migrations/sqlite/29990101000000_redefine_shop"), { recursive: true });
    writeFileSync(path.join(root, "prisma/migrations/sqlite/29990101000000_redefine_shop/migration.sql"), migration);

    expect((await migrateDatabase(url, root)).applied).toEqual(["29990101000000_redefine_shop"]);
    const after = new Database(file, { readonly: true });
    expect(after.prepare(`SELECT count(*) AS n FROM "Customer" WHERE shopId = 's1'`).get()).toEqual({ n: 2 });
    after.close();
    rmSync(root, { recursive: true, force: true });
  });
});
