// Applies pending migrations to DATABASE_URL (SQLite or PostgreSQL): `npm run db:migrate`.
import { migrateDatabase } from "../app/db/migrate.server";
import { requireDatabaseUrl } from "./lib/script-env";

const url = requireDatabaseUrl("file:./prisma/dev.db");
const result = await migrateDatabase(url);
console.log(
  result.applied.length > 0
    ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
    : `Database is up to date (${result.alreadyApplied.length} migration(s) applied before).`,
);
