import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient as SqliteClient } from "../../prisma/client/sqlite/client";
import { PrismaClient as PostgresClient } from "../../prisma/client/postgresql/client";
import { trackTransactions } from "./bulk-channel.server";
import { providerOf, sqliteFilePath } from "./database-url";
import { createPostgresAdapter } from "./postgres-adapter";
import { serializeSqliteAdapter } from "./serialized-sqlite-adapter";

/**
 * The app's database client. Both generated clients come from the same schema source and
 * expose the same models and methods; the SQLite one's type stands for both.
 */
export type Db = SqliteClient;

const providers = new WeakMap<object, "sqlite" | "postgresql">();

/** Which database a client talks to, for the few queries whose best form differs between them. */
export function databaseProvider(db: object): "sqlite" | "postgresql" {
  const tagged = providers.get(db);
  if (tagged) return tagged;
  // Interactive transaction clients are new objects on every call; they carry the provider
  // of the client that opened them.
  const active = (db as { _activeProvider?: unknown })._activeProvider;
  return active === "postgresql" ? "postgresql" : "sqlite";
}

export function createDb(url: string): Db {
  const client = openClient(url);
  providers.set(client, providerOf(url) === "sqlite" ? "sqlite" : "postgresql");
  return client;
}

function openClient(url: string): Db {
  if (providerOf(url) === "sqlite") {
    const client = new SqliteClient({
      adapter: trackTransactions(serializeSqliteAdapter(new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: 10_000 }))),
    });
    // In WAL mode NORMAL is still crash-safe (a power cut may lose the last commits, never
    // corrupt the file) and saves an fsync per commit. The adapter has one connection, so this
    // runs before any other query.
    void client.$executeRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
    // Checkpoints (the WAL copied back into the file, with an fsync) every 32 MB instead of SQLite's 4 MB:
    // an import commits a few MB per batch, and the fsync of every other batch dominated its commits.
    void client.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 8000").catch(() => undefined);
    // A 32 MB page cache instead of SQLite's 2 MB: imports insert into indexes all over a file of
    // hundreds of MB, and the customer screens read the same index pages again and again.
    void client.$executeRawUnsafe("PRAGMA cache_size = -32768").catch(() => undefined);
    return client;
  }
  return new PostgresClient({ adapter: trackTransactions(createPostgresAdapter(url)) }) as unknown as Db;
}
