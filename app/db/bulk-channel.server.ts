import { AsyncLocalStorage } from "node:async_hooks";
import { ColumnTypeEnum, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory, type SqlQuery, type Transaction } from "@prisma/driver-adapter-utils";

/**
 * A direct line to the driver for the ingestion's multi-row statements, inside the same
 * transaction as the ORM's queries.
 *
 * Prisma's client engine hands every statement, bound values included, to its query compiler
 * and interpreter; for an INSERT of 8,000 values that costs several times the database's own
 * work, and it bounded imports at a few thousand orders per second. A transaction opened inside
 * `withBulkChannel` remembers the driver's transaction object, and `bulkStatement` sends SQL
 * straight to it: same connection, same transaction, same rollback.
 *
 * AsyncLocalStorage ties the driver's transaction to the call that opened it, so concurrent
 * transactions (PostgreSQL's pool) never see each other's.
 */

type Channel = { transaction: Transaction | null };

const channels = new AsyncLocalStorage<Channel>();

/** Runs `work` (which opens one interactive transaction) with the bulk channel available inside it. */
export function withBulkChannel<T>(work: () => Promise<T>): Promise<T> {
  return channels.run({ transaction: null }, work);
}

const UNKNOWN_ARG = { scalarType: "unknown", arity: "scalar" } as const;

/**
 * Executes a statement on the current transaction's driver connection, or returns false when
 * there is none (outside withBulkChannel): the caller then goes through the ORM.
 */
export async function bulkStatement(sql: string, args: unknown[]): Promise<boolean> {
  const transaction = channels.getStore()?.transaction;
  if (!transaction) return false;
  const query: SqlQuery = { sql, args, argTypes: args.map(() => UNKNOWN_ARG) };
  await transaction.executeRaw(query);
  return true;
}

/**
 * Runs a query on the current transaction's driver connection and returns its rows as objects
 * with the types the ORM would give them (Date, bigint, boolean), or null when there is no
 * channel (the caller then asks the ORM).
 */
export async function bulkQuery<Row>(sql: string, args: unknown[]): Promise<Row[] | null> {
  const transaction = channels.getStore()?.transaction;
  if (!transaction) return null;
  const result = await transaction.queryRaw({ sql, args, argTypes: args.map(() => UNKNOWN_ARG) });
  const { columnNames, columnTypes } = result;
  return result.rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let index = 0; index < columnNames.length; index++) row[columnNames[index]!] = fromDriver(values[index], columnTypes[index]);
    return row as Row;
  });
}

function fromDriver(value: unknown, type: number | undefined): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case ColumnTypeEnum.DateTime:
      return new Date(value as string);
    case ColumnTypeEnum.Int64:
      return BigInt(value as string | number);
    case ColumnTypeEnum.Boolean:
      return value === true || value === 1 || value === "1" || value === "true";
    default:
      return value;
  }
}

/** Wraps an adapter factory so transactions started inside withBulkChannel are remembered. */
export function trackTransactions(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
}

function track(inner: SqlDriverAdapter): SqlDriverAdapter {
  const adapter: SqlDriverAdapter = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => inner.queryRaw(query),
    executeRaw: (query) => inner.executeRaw(query),
    executeScript: (script) => inner.executeScript(script),
    dispose: () => inner.dispose(),
    async startTransaction(isolationLevel) {
      const transaction = await inner.startTransaction(isolationLevel);
      const channel = channels.getStore();
      if (channel && !channel.transaction) {
        channel.transaction = transaction;
        const forget = () => {
          if (channel.transaction === transaction) channel.transaction = null;
        };
        return {
          provider: transaction.provider,
          adapterName: transaction.adapterName,
          options: transaction.options,
          queryRaw: (query) => transaction.queryRaw(query),
          executeRaw: (query) => transaction.executeRaw(query),
          commit: async () => {
            forget();
            await transaction.commit();
          },
          rollback: async () => {
            forget();
            await transaction.rollback();
          },
        };
      }
      return transaction;
    },
  };
  if (inner.getConnectionInfo) adapter.getConnectionInfo = () => inner.getConnectionInfo!();
  return adapter;
}
