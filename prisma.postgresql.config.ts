import path from "node:path";
import { defineConfig } from "prisma/config";
import { createPostgresAdapter } from "./app/db/postgres-adapter";

// Prisma CLI configuration for the PostgreSQL schema, derived from prisma/schema.prisma:
// `prisma <command> --config prisma.postgresql.config.ts`. Migrations are applied by
// `npm run db:migrate` (docs/decisions/0003-postgresql-migrations.md).
try {
  process.loadEnvFile(".env");
} catch {
  // no .env file
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "postgresql", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations", "postgresql") },
  async adapter() {
    // Short idle timeout: the CLI exits as soon as its pool is empty.
    return createPostgresAdapter(process.env.POSTGRES_URL ?? process.env.DATABASE_URL ?? "", { poolSize: 2, idleTimeoutMillis: 100 });
  },
});
