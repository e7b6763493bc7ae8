import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import {
  postgresConnectionString,
  postgresSchemaOf,
  providerOf,
  sqliteFilePath,
  type DatabaseProvider,
} from "./database-url";

/**
 * Applies prisma/migrations/<provider>/<name>/migration.sql in name order and records each in
 * Prisma's own `_prisma_migrations` table (same columns and checksum), so `prisma migrate status`
 * agrees with it. One runner for both databases: Prisma's `migrate deploy` cannot run on
 * PostgreSQL through the JS engine (docs/decisions/0003-postgresql-migrations.md).
 */

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationResult = { applied: string[]; alreadyApplied: string[] };

export function migrationsDir(provider: DatabaseProvider, root = process.cwd()): string {
  return path.join(root, "prisma", "migrations", provider);
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`No migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      // Prisma's checksum: SHA-256 of the file's bytes, hex.
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

type AppliedRow = { migration_name: string; checksum: string; finished_at: unknown };

function pending(all: Migration[], applied: AppliedRow[]): Migration[] {
  const byName = new Map(applied.filter((row) => row.finished_at != null).map((row) => [row.migration_name, row]));
  for (const migration of all) {
    const row = byName.get(migration.name);
    if (row && row.checksum !== migration.checksum) {
      throw new Error(
        `Migration ${migration.name} was changed after it was applied (checksum differs). Add a new migration instead.`,
      );
    }
  }
  return all.filter((migration) => !byName.has(migration.name));
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

function migrateSqlite(url: string, migrations: Migration[]): MigrationResult {
  const db = new Database(sqliteFilePath(url));
  try {
    db.pragma("busy_timeout = 10000");
    // WAL (persistent in the file): the app, the job runner and readers work side by side,
    // and a commit appends instead of rewriting pages.
    db.pragma("journal_mode = WAL");
    db.exec(SQLITE_TABLE);
    // Prisma's SQLite migrations redefine tables (create new, copy, DROP old, rename) between
    // `PRAGMA foreign_keys=OFF/ON`, which SQLite ignores inside a transaction. With foreign keys
    // on, DROP TABLE would run ON DELETE CASCADE and empty the child tables, so they are switched
    // off for the connection here and checked before each commit instead.
    db.pragma("foreign_keys = OFF");
    // BEGIN IMMEDIATE takes the write lock first, so two processes cannot both apply a migration.
    const run = db.transaction(() => {
      const applied = db
        .prepare(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`)
        .all() as AppliedRow[];
      const todo = pending(migrations, applied);
      for (const migration of todo) {
        db.exec(migration.sql);
        const broken = db.prepare("PRAGMA foreign_key_check").all();
        if (broken.length > 0) {
          throw new Error(`Migration ${migration.name} leaves ${broken.length} broken foreign key(s): ${JSON.stringify(broken.slice(0, 3))}`);
        }
        const now = Date.now();
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
        ).run(randomUUID(), migration.checksum, now, migration.name, now);
      }
      return { applied: todo.map((m) => m.name), alreadyApplied: applied.map((r) => r.migration_name) };
    });
    const result = run.immediate();
    // A new index has no statistics while the old ones do, and SQLite's planner then takes it
    // for very selective: after an index was added, a 200,000-customer list went from 0.1 ms to
    // 0.3 s. `optimize` analyses what lacks or has outgrown its statistics; the limit keeps it
    // under a second on large files.
    db.exec("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;");
    return result;
  } finally {
    db.close();
  }
}

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 7_240_311;

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrationResult> {
  const schema = postgresSchemaOf(url);
  const client = new pg.Client({ connectionString: postgresConnectionString(url) });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    // Several app processes may start at once: one migrates, the others wait and then find nothing to do.
    await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [MIGRATION_LOCK_KEY, schema]);
    await client.query(POSTGRES_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const todo = pending(migrations, rows);
    for (const migration of todo) {
      const id = randomUUID();
      // DDL is transactional in PostgreSQL: a failing migration leaves nothing half-applied.
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)`,
          [id, migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
    }
    return { applied: todo.map((m) => m.name), alreadyApplied: rows.map((r) => r.migration_name) };
  } finally {
    await client.query("SELECT pg_advisory_unlock_all()").catch(() => undefined);
    await client.end();
  }
}

export async function migrateDatabase(url: string, root = process.cwd()): Promise<MigrationResult> {
  const provider = providerOf(url);
  const migrations = readMigrations(migrationsDir(provider, root));
  return provider === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}
