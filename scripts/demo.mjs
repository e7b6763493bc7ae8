// `npm run demo`: the whole app on this machine without Shopify credentials or the internet
// (PRODUCT.md F1). Generates the Prisma clients, migrates and seeds a SQLite database with the
// demo shop, builds the app and serves it on loopback. Never in production.
//
// Environment: PORT (default 3000), DATABASE_URL (default file:./prisma/demo.db), HOST (loopback
// only, default 127.0.0.1), SHOPIFY_API_SECRET (default: the documented demo secret),
// DEMO_NOW (ISO date the demo's dates are relative to; default the start of today, UTC),
// FILE_STORE_DIR (where the letters' PDFs are stored; default ./storage).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

function refuse(message) {
  console.error(`\nletterloop demo: ${message}\n`);
  process.exit(1);
}

if (process.env.NODE_ENV === "production") {
  refuse("refusing to start: NODE_ENV=production. Demo mode runs without Shopify authentication and never in production.");
}
const host = process.env.HOST || "127.0.0.1";
if (!LOOPBACK.has(host)) {
  refuse(`refusing to start: HOST=${host}. Demo mode serves on loopback only (127.0.0.1, localhost or ::1).`);
}
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port <= 0 || port > 65_535) refuse(`PORT=${process.env.PORT} is not a port number.`);

// The demo's shop domain and webhook secret live in app/env.server.ts; read them, not a copy.
const envSource = readFileSync(path.join(root, "app", "env.server.ts"), "utf8");
const constant = (name) => {
  const match = envSource.match(new RegExp(`export const ${name} = "([^"]+)"`));
  if (!match) refuse(`could not find ${name} in app/env.server.ts`);
  return match[1];
};
const shopDomain = constant("DEMO_SHOP_DOMAIN");
const secret = process.env.SHOPIFY_API_SECRET || constant("DEMO_API_SECRET");

const env = {
  ...process.env,
  LETTERLOOP_DEMO: "1",
  // remix and the server would otherwise default to production, which demo mode refuses.
  NODE_ENV: process.env.NODE_ENV || "development",
  DATABASE_URL: process.env.DATABASE_URL || "file:./prisma/demo.db",
  HOST: host,
  PORT: String(port),
};

await assertPortFree(host, port);

const npx = process.platform === "win32" ? "npx.cmd" : "npx";
step("Generating the Prisma clients", process.execPath, ["scripts/generate-clients.mjs"]);
step(`Migrating ${env.DATABASE_URL}`, npx, ["tsx", "scripts/migrate.ts"]);
step("Seeding the demo shop", npx, ["tsx", "scripts/seed-demo.ts"]);
// The build itself runs in production mode (Vite's default); only the server below is not.
step("Building the app", npx, ["remix", "vite:build"], { ...env, NODE_ENV: "production" });

const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
const body = '{"id":820982911946154500,"name":"#9999","email":"jon@example.com","currency":"EUR"}';
console.log(`
────────────────────────────────────────────────────────────────────────────
 LetterLoop demo (no Shopify, no internet, loopback only)

   Admin UI        ${url}/app
   Demo shop       ${shopDomain}
   Webhook secret  ${secret}   (SHOPIFY_API_SECRET; signs X-Shopify-Hmac-Sha256)
   Database        ${env.DATABASE_URL}

 Send a signed webhook:
   BODY='${body}'
   curl -i -X POST ${url}/webhooks/orders/create \\
     -H 'Content-Type: application/json' \\
     -H 'X-Shopify-Topic: orders/create' \\
     -H 'X-Shopify-Shop-Domain: ${shopDomain}' \\
     -H 'X-Shopify-API-Version: 2026-07' \\
     -H "X-Shopify-Webhook-Id: demo-$(date +%s)" \\
     -H "X-Shopify-Hmac-Sha256: $(printf '%s' "$BODY" | openssl dgst -sha256 -hmac '${secret}' -binary | base64)" \\
     --data "$BODY"
 (a wrong signature gets 401, a right one 200)

 Stop with Ctrl+C.
────────────────────────────────────────────────────────────────────────────
`);

const server = spawn(process.execPath, [path.join(root, "scripts", "demo-server.mjs"), "build/server/index.js"], {
  cwd: root,
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

function step(title, command, args, stepEnv = env) {
  console.log(`\n▸ ${title}`);
  const result = spawnSync(command, args, { cwd: root, env: stepEnv, stdio: "inherit" });
  if (result.status !== 0) refuse(`"${command} ${args.join(" ")}" failed (exit ${result.status ?? result.signal}).`);
}

function assertPortFree(listenHost, listenPort) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => refuse(`port ${listenPort} on ${listenHost} is in use; set PORT to another port.`));
    probe.listen(listenPort, listenHost, () => probe.close(resolve));
  });
}
