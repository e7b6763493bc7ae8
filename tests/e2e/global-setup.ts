import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { createDb } from "../../app/db/client.server";
import { migrateDatabase } from "../../app/db/migrate.server";
import { seedDemoShop, type DemoSeedSummary } from "../../app/demo/seed-demo.server";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { freePort, stopProcess as stop } from "../support/processes";

const ROOT = process.cwd();
export const E2E_DATABASE_FILE = path.join(ROOT, ".tmp", "e2e-demo.db");
const SERVER_BUILD = path.join(ROOT, "build", "server", "index.js");
const FILE_STORE_DIR = path.join(ROOT, ".tmp", "e2e-storage");

/**
 * A fresh demo database (.tmp/e2e-demo.db), seeded, and the built app serving it in demo mode on
 * a free port on 127.0.0.1; stopped again after the run.
 */
export default async function globalSetup({ provide }: { provide: (key: string, value: unknown) => void }) {
  if (!existsSync(SERVER_BUILD)) {
    throw new Error("No server build at build/server/index.js: run `npx remix vite:build` first (`npm run check` does).");
  }
  mkdirSync(path.dirname(E2E_DATABASE_FILE), { recursive: true });
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${E2E_DATABASE_FILE}${suffix}`, { force: true });
  const databaseUrl = `file:${E2E_DATABASE_FILE}`;
  await migrateDatabase(databaseUrl, ROOT);
  const db = createDb(databaseUrl);
  let seed: DemoSeedSummary;
  try {
    // The letter PDFs go where the server below reads its files.
    seed = await seedDemoShop({ db, files: new LocalDiskFileStore(FILE_STORE_DIR) });
  } finally {
    await db.$disconnect();
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", "demo-server.mjs"), SERVER_BUILD], {
    cwd: ROOT,
    env: {
      ...process.env,
      LETTERLOOP_DEMO: "1",
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      FILE_STORE_DIR,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));

  try {
    await waitUntilAnswering(`${baseUrl}/app`, server, output);
  } catch (error) {
    await stop(server);
    throw error;
  }

  provide("baseUrl", baseUrl);
  provide("databaseUrl", databaseUrl);
  provide("demoSeed", { customers: seed.customers, orders: seed.orders, heavyCustomerId: seed.heavyCustomerId });

  return async () => {
    await stop(server);
    if (process.env.E2E_SERVER_LOG) console.log(output.join(""));
  };
}


async function waitUntilAnswering(url: string, server: ChildProcess, output: string[]) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`The demo server exited with ${server.exitCode} before answering:\n${output.join("")}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The demo server did not answer ${url} within 30 s:\n${output.join("")}`);
}


declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    demoSeed: { customers: number; orders: number; heavyCustomerId: string };
  }
}
