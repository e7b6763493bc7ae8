import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";

export type RecordedStatement = SqlQuery & { ms: number; rows: number };

/**
 * Sits between Prisma and the driver adapter and sees every SQL statement a Prisma call sends,
 * with its bound arguments and its time. Prisma's own `$on("query")` would need the client to be
 * built with `log: [{ emit: "event", level: "query" }]`, which the app's createDb does not do;
 * the adapter layer also sees statements inside transactions the same way. BEGIN and COMMIT are
 * issued by the adapter's transaction object itself and are counted as transactions.
 */
export class QueryRecorder {
  private statements: RecordedStatement[] | null = null;
  private transactions = 0;
  private connection: SqlDriverAdapter | null = null;

  wrap(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => this.watch(await factory.connect()),
      connectToShadowDb: async () => this.watch(await factory.connectToShadowDb()),
    };
  }

  /** Runs `work` and returns what it sent to the database. */
  async record<T>(work: () => Promise<T>): Promise<{ result: T; statements: RecordedStatement[]; transactions: number }> {
    this.statements = [];
    this.transactions = 0;
    try {
      const result = await work();
      return { result, statements: this.statements, transactions: this.transactions };
    } finally {
      this.statements = null;
    }
  }

  /** Runs `prefix + statement` (EXPLAIN …) with the statement's own arguments, unrecorded. */
  async explain(statement: SqlQuery, prefix: string): Promise<SqlResultSet> {
    if (!this.connection) throw new Error("No connection yet: run a query first");
    return this.connection.queryRaw({ sql: `${prefix} ${statement.sql}`, args: statement.args, argTypes: statement.argTypes });
  }

  private async timed<T extends SqlResultSet | number>(query: SqlQuery, run: () => Promise<T>): Promise<T> {
    if (!this.statements) return run();
    const started = performance.now();
    const result = await run();
    this.statements?.push({ ...query, ms: performance.now() - started, rows: typeof result === "number" ? result : result.rows.length });
    return result;
  }

  private watch(inner: SqlDriverAdapter): SqlDriverAdapter {
    this.connection = inner;
    const adapter: SqlDriverAdapter = {
      provider: inner.provider,
      adapterName: inner.adapterName,
      queryRaw: (query) => this.timed(query, () => inner.queryRaw(query)),
      executeRaw: (query) => this.timed(query, () => inner.executeRaw(query)),
      executeScript: (script) => inner.executeScript(script),
      dispose: () => inner.dispose(),
      startTransaction: async (isolationLevel?: IsolationLevel): Promise<Transaction> => {
        const transaction = await inner.startTransaction(isolationLevel);
        if (this.statements) this.transactions++;
        return {
          provider: transaction.provider,
          adapterName: transaction.adapterName,
          options: transaction.options,
          queryRaw: (query) => this.timed(query, () => transaction.queryRaw(query)),
          executeRaw: (query) => this.timed(query, () => transaction.executeRaw(query)),
          commit: () => transaction.commit(),
          rollback: () => transaction.rollback(),
        };
      },
    };
    if (inner.getConnectionInfo) adapter.getConnectionInfo = () => inner.getConnectionInfo!();
    return adapter;
  }
}
