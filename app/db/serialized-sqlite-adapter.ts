import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

/**
 * The SQLite adapter runs every query of one PrismaClient on one connection. It serialises
 * transactions with each other, but a query outside a transaction runs straight away, on the
 * same connection — so it would land inside whatever transaction is open at that moment and
 * vanish if that transaction rolled back (a webhook recorded, answered 200, then lost).
 * This wrapper makes a query outside a transaction wait until no transaction is open.
 */
export function serializeSqliteAdapter(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialize(await factory.connect()),
    connectToShadowDb: async () => serialize(await factory.connectToShadowDb()),
  };
}

function serialize(inner: SqlDriverAdapter): SqlDriverAdapter {
  const lock = createLock();
  const adapter: SqlDriverAdapter = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query: SqlQuery) => lock.run(() => inner.queryRaw(query)),
    executeRaw: (query: SqlQuery) => lock.run(() => inner.executeRaw(query)),
    executeScript: (script: string) => lock.run(() => inner.executeScript(script)),
    dispose: () => inner.dispose(),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      const release = await lock.acquire();
      try {
        return holdUntilEnd(await inner.startTransaction(isolationLevel), release);
      } catch (error) {
        release();
        throw error;
      }
    },
  };
  if (inner.getConnectionInfo) adapter.getConnectionInfo = () => inner.getConnectionInfo!();
  return adapter;
}

function holdUntilEnd(transaction: Transaction, release: () => void): Transaction {
  let released = false;
  const end = (finish: () => Promise<void>) => async () => {
    try {
      await finish();
    } finally {
      if (!released) {
        released = true;
        release();
      }
    }
  };
  return {
    provider: transaction.provider,
    adapterName: transaction.adapterName,
    options: transaction.options,
    queryRaw: (query) => transaction.queryRaw(query),
    executeRaw: (query) => transaction.executeRaw(query),
    commit: end(() => transaction.commit()),
    rollback: end(() => transaction.rollback()),
  };
}

/** A first-come, first-served lock: each holder starts when the previous one released. */
function createLock() {
  let tail: Promise<void> = Promise.resolve();
  async function acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = previous.then(() => held);
    await previous;
    return release;
  }
  return {
    acquire,
    async run<T>(work: () => Promise<T>): Promise<T> {
      const release = await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
