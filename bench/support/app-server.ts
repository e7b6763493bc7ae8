import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The production build started as its own process for benchmarks that measure the app over
 * real HTTP: building it (once, or reused with BENCH_SKIP_BUILD=1), the environment a
 * production install has, spawning with the last lines of stderr kept for error messages, and
 * waiting until it answers.
 */

const ROOT = process.cwd();

export type AppProcess = { process: ChildProcess; output: string[] };

export async function buildApp() {
  if (process.env.BENCH_SKIP_BUILD === "1" && existsSync(path.join(ROOT, "build", "server", "index.js"))) return;
  console.log("  npm run build");
  // A build started half-way through an edit of the app fails; a little later it usually passes.
  for (let attempt = 1; ; attempt++) {
    const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
    if (result.status === 0) return;
    if (attempt === 3) throw new Error(`npm run build failed three times:\n${result.stdout}\n${result.stderr}`);
    console.log(`  build failed (attempt ${attempt}), retrying in 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
}

/** What a production install sets, for a bench database and file store. */
export function productionEnv({
  url,
  databaseUrl,
  storageDir,
  background,
  shopifySecret = "letterloop-bench-secret",
}: {
  url: string;
  databaseUrl: string;
  storageDir: string;
  background: "in-process" | "worker";
  shopifySecret?: string;
}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: shopifySecret,
    SHOPIFY_APP_URL: url,
    SCOPES: "read_customers,read_orders,read_all_orders,read_products",
    APP_SECRET: "bench-app-secret-0123456789abcdefghijklmnop",
    FILE_STORE_DIR: storageDir,
    LETTERLOOP_BACKGROUND: background,
  };
}

/** The remix-serve entry, started directly (not through npm) so the pid is the server's own. */
export const REMIX_SERVE = path.join(ROOT, "node_modules", "@remix-run", "serve", "dist", "cli.js");

/** A Node process with the given arguments; stdout (request logs) is dropped, stderr's last 200 chunks kept. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv): AppProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  const output: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  });
  return { process: child, output };
}

/** Polls `answers` until it is true (the app is up), or fails with what the process printed. */
export async function waitUntilAnswering(server: AppProcess, answers: () => Promise<boolean>) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) throw new Error(`The server exited with ${server.process.exitCode}:\n${server.output.join("")}`);
    try {
      if (await answers()) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The server did not answer within 30 s:\n${server.output.join("")}`);
}
