import { PrismaPg } from "@prisma/adapter-pg";
import { postgresConnectionFields, postgresSchemaOf } from "./database-url";

/** Prisma's PostgreSQL adapter for a URL, honouring `?schema=` (tests give each worker its own). */
export function createPostgresAdapter(
  url: string,
  { poolSize = 10, idleTimeoutMillis = 10_000 }: { poolSize?: number; idleTimeoutMillis?: number } = {},
): PrismaPg {
  const schema = postgresSchemaOf(url);
  return new PrismaPg(
    {
      // Discrete fields, not a connection string: Prisma's shadow database copies this config
      // with another `database`, which a connection string would override.
      ...postgresConnectionFields(url),
      // Raw SQL and the adapter's own queries both resolve unqualified names in this schema.
      options: `-c search_path="${schema}"`,
      max: poolSize,
      idleTimeoutMillis,
    },
    { schema },
  );
}
