import pg from "pg";
import { TEST_POSTGRES_URL } from "../support/postgres-url";

/**
 * Every database test runs on SQLite and on PostgreSQL. In CI an unreachable PostgreSQL fails
 * the run; on a developer machine the PostgreSQL half is skipped with a loud notice.
 */
export default async function globalSetup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  let available = true;
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    available = false;
    if (process.env.CI) {
      throw new Error(`PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(error as Error).message}); CI needs it.`);
    }
    const line = "!".repeat(78);
    console.warn(
      `\n${line}\n!! PostgreSQL is not reachable at ${TEST_POSTGRES_URL}.\n!! Database tests run on SQLite ONLY; CI runs both. Start it with:\n!!   pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n${line}\n`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  provide("postgresAvailable", available);
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresAvailable: boolean;
  }
}
