import { Prisma } from "../../prisma/client/sqlite/client";

type Executor = { $executeRaw(query: Prisma.Sql): Prisma.PrismaPromise<number> };

// SQLite allows 32,766 bound values per statement, PostgreSQL 65,535; stay well below both.
const MAX_VALUES_PER_STATEMENT = 8_000;

/**
 * A multi-row INSERT in plain SQL for the ingestion's hot path, where the ORM's createMany costs
 * several times the statement itself. Values are bound parameters, never spliced in; table and
 * column names come from the caller's code, never from data. Enum columns take their text value
 * (PostgreSQL infers the enum type from the column for an untyped parameter).
 */
export async function insertRows<Row extends Record<string, unknown>>(
  tx: Executor,
  table: string,
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES `);
  const perStatement = Math.max(1, Math.floor(MAX_VALUES_PER_STATEMENT / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const tuples = rows.slice(start, start + perStatement).map((row) => Prisma.sql`(${Prisma.join(columns.map((column) => row[column] ?? null))})`);
    await tx.$executeRaw(Prisma.sql`${head}${Prisma.join(tuples)}`);
  }
}
