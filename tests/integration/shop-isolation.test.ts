import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * E4: one shop can never see or change another shop's data. Every route module's loader and
 * action must pass a guard before anything else: the admin guard (requireShop), webhook HMAC
 * verification (receiveWebhook), or Shopify's own auth routes. A new route without a guard
 * fails this test until it calls one (or is listed below with its reason).
 */

const ROUTES_DIR = "app/routes";

// The guard calls that may open a loader or action, and what each proves.
const GUARDS = new Set([
  "requireShop", // embedded admin session (or the demo shop in demo mode)
  "receiveWebhook", // Shopify HMAC over the raw body
  "authenticate.admin", // Shopify's OAuth/session-token routes
  "login", // Shopify's login form (no shop data)
  "serveSignedDownload", // HMAC-signed, expiring, shop-scoped download link
  "authenticateApiRequest", // import API key (stored hashed, revocable, one shop)
]);

// Routes that read no shop data at all, with the reason, and the one service module each may
// use for something that is not shop data.
const PUBLIC_WITHOUT_SHOP_DATA: Record<string, { reason: string; mayImport?: string }> = {
  "_index.tsx": { reason: "landing page: redirects to /app or shows the login form" },
  "api.v1.openapi[.]json.tsx": { reason: "the import API's OpenAPI document, the same for every shop", mayImport: "../services/import-api.server" },
  "demo.billbee.api.v1.orders.tsx": { reason: "the demo's stand-in Billbee API: sample orders from a file, 404 outside demo mode", mayImport: "../services/billbee-import.server" },
};

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return routeFiles(full).filter((file) => /\/route\.tsx?$/.test(file));
    return /\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [full] : [];
  });
}

function calleeName(call: ts.CallExpression): string {
  return call.expression.getText();
}

/** The first call made in each exported loader/action, skipping `new URL(...)`-style pure helpers. */
function firstCalls(file: string): Map<string, string | null> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const result = new Map<string, string | null>();
  source.forEachChild((node) => {
    if (!ts.isVariableStatement(node)) return;
    if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
    for (const declaration of node.declarationList.declarations) {
      const name = declaration.name.getText();
      if (name !== "loader" && name !== "action") continue;
      let first: string | null = null;
      const visit = (child: ts.Node) => {
        if (first !== null) return;
        if (ts.isCallExpression(child)) {
          // Depth-first: the innermost-first argument calls run before the outer call.
          child.forEachChild(visit);
          if (first === null) first = calleeName(child);
          return;
        }
        child.forEachChild(visit);
      };
      if (declaration.initializer) visit(declaration.initializer);
      result.set(name, first);
    }
  });
  return result;
}

describe("shop isolation: every route goes through a guard", () => {
  const files = routeFiles(ROUTES_DIR);

  it("finds the route modules", () => {
    expect(files.length).toBeGreaterThan(15);
  });

  for (const file of files) {
    const relative = path.relative(ROUTES_DIR, file);
    it(`${relative} guards its loader and action`, () => {
      const calls = firstCalls(file);
      const publicRoute = PUBLIC_WITHOUT_SHOP_DATA[relative];
      if (publicRoute) {
        const allowed = publicRoute.mayImport;
        const text = readFileSync(file, "utf8")
          .split("\n")
          .filter((line) => !(allowed && line.startsWith("import ") && line.includes(`"${allowed}"`)))
          .join("\n");
        expect(text, `${relative} is listed as public and must not read shop data`).not.toMatch(/services\/|repositories\/|db\.server/);
        return;
      }
      for (const [name, first] of calls) {
        expect(GUARDS.has(first ?? ""), `${relative}: ${name} starts with ${first ?? "no call"} instead of a guard`).toBe(true);
      }
    });
  }
});

describe("shop isolation: admin routes refuse requests without a Shopify session", () => {
  const adminFiles = routeFiles(ROUTES_DIR).filter((file) => path.basename(file).startsWith("app."));
  const touched: string[] = [];

  beforeAll(() => {
    // Shopify's auth may look up sessions (there are none); any other database access before
    // the guard decides shows up here.
    const noSessions = { count: async () => 0, findUnique: async () => null, findMany: async () => [] };
    globalThis.__letterloopDb = new Proxy({} as never, {
      get: (_target, property) => {
        if (property === "session") return noSessions;
        touched.push(String(property));
        throw new Error(`database touched (${String(property)}) before authentication`);
      },
    });
  });
  afterAll(() => {
    globalThis.__letterloopDb = undefined;
  });

  for (const file of adminFiles) {
    const relative = path.relative(ROUTES_DIR, file);
    it(`${relative} answers an unauthenticated request without reading data`, async () => {
      const module = await import(`../../${file}`);
      for (const handler of [module.loader, module.action].filter(Boolean)) {
        const request = new Request("http://127.0.0.1:3000/app/customers/any?shop=victim.myshopify.com", {
          // shopify-app-remix answers bots with 410; a browser-like agent reaches the real check.
          headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" },
        });
        let outcome: unknown;
        try {
          outcome = await handler({ request, params: { customerId: "any" }, context: {} });
        } catch (error) {
          outcome = error;
        }
        expect(outcome, `${relative} returned data to an unauthenticated request`).toBeInstanceOf(Response);
        const status = (outcome as Response).status;
        expect([302, 401, 403, 410]).toContain(status);
      }
      expect(touched).toEqual([]);
    });
  }
});
