/** Loads .env when there is one (Node does not on its own) and returns DATABASE_URL, or exits saying what is missing. */
export function requireDatabaseUrl(example: string): string {
  try {
    process.loadEnvFile(".env");
  } catch {
    // no .env file: use the environment as it is
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(`DATABASE_URL is not set (for example ${example})`);
    process.exit(1);
  }
  return url;
}
