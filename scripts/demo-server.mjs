// Serves the built app (build/) for demo mode and the end-to-end tests, on loopback only.
//
// Why not `remix-serve`: it defaults NODE_ENV to production, which demo mode refuses, and with
// NODE_ENV=development it announces itself to the legacy `remix dev` server and crashes with
// "Dev server origin not set" when there is none. This is remix-serve's request handling
// (static assets, then Remix) without that.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import express from "express";

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
const mode = process.env.NODE_ENV || "development";
process.env.NODE_ENV = mode;

const buildPath = path.resolve(process.argv[2] ?? "build/server/index.js");
// Importing the build runs entry.server's environment check (app/env.server.ts): demo mode with
// NODE_ENV=production or a non-loopback HOST ends the process here, before anything listens.
let build;
try {
  build = await import(pathToFileURL(buildPath).href);
} catch (error) {
  console.error(`Refusing to start: ${error instanceof Error && error.name === "EnvError" ? error.message : error?.stack ?? error}`);
  process.exit(1);
}
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const app = express();
app.disable("x-powered-by");
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode }));

const server = app.listen(port, host, () => {
  console.log(`[letterloop] listening on http://${host.includes(":") ? `[${host}]` : host}:${port} (NODE_ENV=${mode})`);
});
server.on("error", (error) => {
  console.error(`[letterloop] cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
