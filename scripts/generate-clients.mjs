// Generates both Prisma clients from the one schema source. Each CLI run needs a DATABASE_URL
// of its own kind to choose the offline JS engine, though generating never connects.
import { execFileSync } from "node:child_process";

execFileSync("node", ["scripts/prisma-schema.mjs"], { stdio: "inherit" });
const run = (args, url) =>
  execFileSync("npx", ["prisma", "generate", ...args], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
run([], "file:./prisma/dev.db");
run(["--config", "prisma.postgresql.config.ts"], "postgresql://postgres@127.0.0.1:5432/postgres");
