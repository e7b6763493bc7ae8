// Which database a DATABASE_URL points at. SQLite ("file:…") is the embedded default;
// PostgreSQL ("postgres://…" or "postgresql://…") is the production database.
export type DatabaseProvider = "sqlite" | "postgresql";

export function providerOf(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new Error(`DATABASE_URL must start with file:, postgres:// or postgresql:// (got "${url.slice(0, 12)}…")`);
}

/** The file path of a SQLite URL; relative paths resolve from the working directory, as Prisma's CLI does. */
export function sqliteFilePath(url: string): string {
  return url.slice("file:".length).split("?")[0]!;
}

/**
 * A PostgreSQL URL's schema (`?schema=name`, Prisma's convention), default "public".
 * Tests give every worker its own schema this way.
 */
export function postgresSchemaOf(url: string): string {
  const schema = new URL(url).searchParams.get("schema");
  return schema && schema.length > 0 ? schema : "public";
}

/** The URL without the `schema` parameter, for node-postgres (which does not know it). */
export function postgresConnectionString(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete("schema");
  return parsed.toString();
}

/** host, port, user, password and database of a PostgreSQL URL, as node-postgres takes them. */
export function postgresConnectionFields(url: string): {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
} {
  const parsed = new URL(url);
  return {
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username || "postgres"),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
  };
}
