// The PostgreSQL schema is the SQLite source with another provider and client folder.
export function derivePostgresSchema(source) {
  const derived = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "./client/sqlite"', 'output       = "../client/postgresql"');
  if (!derived.includes('provider = "postgresql"') || !derived.includes("../client/postgresql")) {
    throw new Error("prisma/schema.prisma: datasource provider or generator output line not found");
  }
  return (
    "// GENERATED from prisma/schema.prisma by scripts/prisma-schema.mjs: edit the source, not this file.\n" + derived
  );
}
