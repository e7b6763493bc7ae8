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
