import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";

const ROOT = process.cwd();
const DATABASE_URL = inject("databaseUrl");

function run(script: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts", script), "build/server/index.js"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL, PORT: "3999", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("demo mode is impossible in production and off loopback", () => {
  it("`npm run demo` refuses NODE_ENV=production before doing anything", () => {
    const { status, output } = run("demo.mjs", { NODE_ENV: "production" });
    expect(status).toBe(1);
    expect(output).toMatch(/refusing to start: NODE_ENV=production/);
    expect(output).not.toMatch(/Seeding/);
  });

  it("`npm run demo` refuses a non-loopback HOST", () => {
    const { status, output } = run("demo.mjs", { NODE_ENV: "development", HOST: "0.0.0.0" });
    expect(status).toBe(1);
    expect(output).toMatch(/HOST=0\.0\.0\.0.*loopback only/);
  });

  it("the built server itself refuses to start in demo mode with NODE_ENV=production", () => {
    const { status, output } = run("demo-server.mjs", { LETTERLOOP_DEMO: "1", NODE_ENV: "production", HOST: "127.0.0.1" });
    expect(status).toBe(1);
    expect(output).toMatch(/demo mode never runs in production/);
    expect(output).not.toMatch(/listening on/);
  });

  it("the built server itself refuses to start in demo mode on 0.0.0.0", () => {
    const { status, output } = run("demo-server.mjs", { LETTERLOOP_DEMO: "1", NODE_ENV: "development", HOST: "0.0.0.0" });
    expect(status).toBe(1);
    expect(output).toMatch(/HOST=0\.0\.0\.0: demo mode serves on loopback only/);
    expect(output).not.toMatch(/listening on/);
  });
});

describe("production start validates its environment", () => {
  it("`npm start` names every missing variable and does not listen", () => {
    const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "remix-serve"), ["./build/server/index.js"], {
      cwd: ROOT,
      // Only what a bare production host would have: no Shopify or database settings.
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", PORT: "3998" },
      encoding: "utf8",
      timeout: 30_000,
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status).not.toBe(0);
    for (const name of ["DATABASE_URL", "SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES", "APP_SECRET"]) {
      expect(output).toContain(`${name} is missing`);
    }
    expect(output).not.toMatch(/\[remix-serve\] http/);
  });
});
