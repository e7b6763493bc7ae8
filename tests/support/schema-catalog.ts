import Database from "better-sqlite3";
import pg from "pg";

/**
 * What a database's schema is, as plain sorted rows: tables and columns, indexes, constraints
 * and enums. Two databases with equal catalogs have the same schema.
 */
export function sqliteCatalog(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`)
      .all() as Array<{ name: string }>;
    return tables.map(({ name }) => ({
      table: name,
      columns: db.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`).all(name),
      foreignKeys: db
        .prepare(`SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY "from"`)
        .all(name),
      indexes: db
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`)
        .all(name),
    }));
  } finally {
    db.close();
  }
}

export async function postgresCatalog(connectionString: string, schema: string): Promise<unknown> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable,
              replace(column_default, $1 || '.', '') AS column_default
         FROM information_schema.columns
        WHERE table_schema = $1 AND table_name <> '_prisma_migrations'
        ORDER BY table_name, column_name`,
      [schema],
    );
    const indexes = await client.query(
      `SELECT tablename, indexname, replace(indexdef, $1 || '.', '') AS indexdef
         FROM pg_indexes WHERE schemaname = $1 AND tablename <> '_prisma_migrations'
        ORDER BY tablename, indexname`,
      [schema],
    );
    const constraints = await client.query(
      `SELECT c.relname AS table_name, con.conname, replace(pg_get_constraintdef(con.oid), $1 || '.', '') AS definition
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        WHERE con.connamespace = $1::regnamespace AND c.relname <> '_prisma_migrations'
        ORDER BY c.relname, con.conname`,
      [schema],
    );
    const enums = await client.query(
      // The position, not the raw sort key: a value added with BEFORE gets a fractional key.
      `SELECT t.typname, e.enumlabel, (rank() OVER (PARTITION BY t.typname ORDER BY e.enumsortorder))::int AS position
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE t.typnamespace = $1::regnamespace
        ORDER BY t.typname, e.enumsortorder`,
      [schema],
    );
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows, enums: enums.rows };
  } finally {
    await client.end();
  }
}
