import type { Prisma } from "../../prisma/client/sqlite/client";
import { bulkQuery, bulkStatement } from "../db/bulk-channel.server";
import { databaseProvider } from "../db/client.server";

type Executor = {
  $executeRaw(query: Prisma.Sql): Prisma.PrismaPromise<number>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Prisma.PrismaPromise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Prisma.PrismaPromise<T>;
};

/**
 * Reads rows with plain SQL: through the bulk channel when the caller's transaction has one
 * (the ORM's per-value cost dominated large IN lists), else through the ORM's raw query.
 * Either way Date, bigint and boolean columns arrive typed.
 */
export async function selectRows<Row>(tx: Executor, sql: string, args: unknown[]): Promise<Row[]> {
  return (await bulkQuery<Row>(sql, args)) ?? (await tx.$queryRawUnsafe<Row[]>(sql, ...args));
}

/**
 * Placeholders for the SQL the repositories write by hand: `next(value)` binds a value and
 * returns its placeholder (`?` on SQLite, `$n` on PostgreSQL); `list(values)` binds several.
 */
export function sqlParameters(tx: object) {
  const postgres = databaseProvider(tx) === "postgresql";
  const args: unknown[] = [];
  const next = (value: unknown) => {
    args.push(value);
    return postgres ? `$${args.length}` : "?";
  };
  return { args, next, list: (values: readonly unknown[]) => values.map(next).join(", ") };
}

// SQLite allows 32,766 bound values per statement, PostgreSQL 65,535; stay well below both.
const MAX_VALUES_PER_STATEMENT = 8_000;

/**
 * A multi-row INSERT in plain SQL for the ingestion's hot path, where the ORM's createMany costs
 * several times the statement itself. Values are bound parameters, never spliced in; table and
 * column names come from the caller's code, never from data. Enum columns take their text value
 * (PostgreSQL infers the enum type from the column for an untyped parameter). The statement
 * text is built as a string with numbered placeholders: building a tagged Prisma.sql fragment
 * per row cost more than the database's own work.
 */
export async function insertRows<Row extends Record<string, unknown>>(
  tx: Executor,
  table: string,
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const postgres = databaseProvider(tx) === "postgresql";
  const head = `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES `;
  const perStatement = Math.max(1, Math.floor(MAX_VALUES_PER_STATEMENT / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values: unknown[] = new Array(chunk.length * columns.length);
    let index = 0;
    for (const row of chunk) for (const column of columns) values[index++] = row[column] ?? null;
    const sql = head + placeholders(chunk.length, columns.length, postgres);
    if (!(await bulkStatement(sql, values))) await tx.$executeRawUnsafe(sql, ...values);
  }
}

/** "(?, ?), (?, ?)" for SQLite, "($1, $2), ($3, $4)" for PostgreSQL. */
function placeholders(rowCount: number, columnCount: number, postgres: boolean, casts?: readonly string[]): string {
  const tuples: string[] = new Array(rowCount);
  let number = 1;
  for (let row = 0; row < rowCount; row++) {
    const cells: string[] = new Array(columnCount);
    for (let column = 0; column < columnCount; column++) {
      cells[column] = postgres ? `$${number++}${casts ? `::${casts[column]}` : ""}` : "?";
    }
    tuples[row] = `(${cells.join(", ")})`;
  }
  return tuples.join(", ");
}

/** How a column's value is typed in a multi-row UPDATE (PostgreSQL types untyped VALUES as text). */
export type ColumnType = "text" | "bigint" | "integer" | "double" | "timestamp" | "boolean";

const POSTGRES_CAST: Record<ColumnType, string> = {
  text: "text",
  bigint: "bigint",
  integer: "integer",
  double: "double precision",
  timestamp: "timestamp(3)",
  boolean: "boolean",
};

/**
 * Updates many rows of one shop in one statement per chunk (UPDATE … FROM VALUES), where an
 * UPDATE per row would cost one round through the ORM each: every ingested batch rewrites the
 * statistics of all its customers. Rows are matched by "id" and the shop; values are bound.
 */
export async function updateRows<Row extends { id: string }>(
  tx: Executor,
  {
    provider,
    table,
    shopId,
    columns,
    rows,
  }: {
    provider: "sqlite" | "postgresql";
    table: string;
    shopId: string;
    columns: readonly { name: Exclude<keyof Row & string, "id">; type: ColumnType }[];
    rows: readonly Row[];
  },
): Promise<void> {
  if (rows.length === 0) return;
  const all = [{ name: "id", type: "text" as ColumnType }, ...columns];
  const perStatement = Math.max(1, Math.floor(MAX_VALUES_PER_STATEMENT / all.length));
  const assignments = columns.map((column) => `"${column.name}" = v."${column.name}"`).join(", ");
  const postgres = provider === "postgresql";
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values: unknown[] = [];
    for (const row of chunk) for (const column of all) values.push((row as Record<string, unknown>)[column.name] ?? null);
    values.push(shopId);
    const shopParameter = postgres ? `$${values.length}` : "?";
    const tuples = placeholders(chunk.length, all.length, postgres, postgres ? all.map((column) => POSTGRES_CAST[column.type]) : undefined);
    // SQLite names VALUES columns column1, column2, …; the sub-select gives them their names.
    const source = postgres
      ? `(VALUES ${tuples}) AS v(${all.map((column) => `"${column.name}"`).join(", ")})`
      : `(SELECT ${all.map((column, index) => `column${index + 1} AS "${column.name}"`).join(", ")} FROM (VALUES ${tuples})) AS v`;
    const sql = `UPDATE "${table}" AS t SET ${assignments} FROM ${source} WHERE t."id" = v."id" AND t."shopId" = ${shopParameter}`;
    if (!(await bulkStatement(sql, values))) await tx.$executeRawUnsafe(sql, ...values);
  }
}

/** Splits a list for IN (…) filters, which the ORM refuses beyond SQLite's 999 bound values. */
export function chunksOf<T>(items: readonly T[], size = 400): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
