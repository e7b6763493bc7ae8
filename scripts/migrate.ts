// Applies pending migrations to DATABASE_URL (SQLite or PostgreSQL): `npm run db:migrate`.
import { migrateDatabase } from "../app/db/migrate.server";

try {
  process.loadEnvFile(".env");
} catch {
  // no .env file: use the environment as it is
}
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (for example file:./prisma/dev.db)");
  process.exit(1);
}
const result = await migrateDatabase(url);
console.log(
  result.applied.length > 0
    ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
    : `Database is up to date (${result.alreadyApplied.length} migration(s) applied before).`,
);
