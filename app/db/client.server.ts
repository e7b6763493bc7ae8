import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "../../prisma/client/sqlite/client";
import { PrismaClient as PostgresClient } from "../../prisma/client/postgresql/client";
import {
  postgresConnectionFields,
  postgresSchemaOf,
  providerOf,
  sqliteFilePath,
} from "./database-url";

/**
 * The app's database client. Both generated clients come from the same schema source and
 * expose the same models and methods; the SQLite one's type stands for both.
 */
export type Db = SqliteClient;

export function createDb(url: string): Db {
  if (providerOf(url) === "sqlite") {
    return new SqliteClient({
      adapter: new PrismaBetterSQLite3({ url: sqliteFilePath(url) }),
    });
  }
  return new PostgresClient({ adapter: createPostgresAdapter(url) }) as unknown as Db;
}

export function createPostgresAdapter(url: string, poolSize = 10): PrismaPg {
  const schema = postgresSchemaOf(url);
  return new PrismaPg(
    {
      // Discrete fields, not a connection string: Prisma's shadow database (the drift check)
      // copies this config with another `database`, which a connection string would override.
      ...postgresConnectionFields(url),
      // Raw SQL and the adapter's own queries both resolve unqualified names in this schema.
      options: `-c search_path="${schema}"`,
      max: poolSize,
    },
    { schema },
  );
}
