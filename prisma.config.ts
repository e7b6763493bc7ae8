import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// With a config file Prisma does not read .env itself; without DATABASE_URL the CLI
// falls back to the library engine and tries to download it (offline: fails).
try {
  process.loadEnvFile(".env");
} catch {
  // no .env: the environment must carry DATABASE_URL
}
process.env.DATABASE_URL ??= "file:./prisma/dev.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations", "sqlite") },
  async adapter() {
    return new PrismaBetterSQLite3(
      { url: process.env.DATABASE_URL ?? "" },
      // Used only by `migrate diff --from-migrations` (the drift check): a scratch file.
      { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL ?? "file:./prisma/shadow.db" },
    );
  },
});
