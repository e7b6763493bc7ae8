import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { createDb } from "../../app/db/client.server";
import { migrateDatabase } from "../../app/db/migrate.server";
import { seedDemoShop, type DemoSeedSummary } from "../../app/demo/seed-demo.server";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { freePort, stopProcess } from "./processes";

const ROOT = process.cwd();
const SERVER_BUILD = path.join(ROOT, "build", "server", "index.js");

export type DemoServer = {
  baseUrl: string;
  databaseUrl: string;
  seed: DemoSeedSummary;
  /** Everything the server printed so far. */
  output: string[];
  stop: () => Promise<void>;
};

/**
 * A fresh demo database in `workDir` (demo.db, letter files under storage/), seeded, and the
 * production build serving it in demo mode on a free loopback port.
 */
export async function startDemoServer({ workDir }: { workDir: string }): Promise<DemoServer> {
  if (!existsSync(SERVER_BUILD)) {
    throw new Error("No server build at build/server/index.js: run `npx remix vite:build` first (`npm run check` does).");
  }
  mkdirSync(workDir, { recursive: true });
  const databaseFile = path.join(workDir, "demo.db");
  const fileStoreDir = path.join(workDir, "storage");
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${databaseFile}${suffix}`, { force: true });
  rmSync(fileStoreDir, { recursive: true, force: true });
  const databaseUrl = `file:${databaseFile}`;
  await migrateDatabase(databaseUrl, ROOT);
  const db = createDb(databaseUrl);
  let seed: DemoSeedSummary;
  try {
    // The letter PDFs go where the server below reads its files.
    seed = await seedDemoShop({ db, files: new LocalDiskFileStore(fileStoreDir) });
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
      FILE_STORE_DIR: fileStoreDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  try {
    await waitUntilAnswering(`${baseUrl}/app`, server, output);
  } catch (error) {
    await stopProcess(server);
    throw error;
  }
  return { baseUrl, databaseUrl, seed, output, stop: () => stopProcess(server) };
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
