import { afterEach, beforeEach, vi } from "vitest";

process.env.NODE_ENV = "test";
process.env.LETTERLOOP_DEMO = "0";
process.env.SHOPIFY_API_KEY = "test-api-key";
process.env.SHOPIFY_API_SECRET = "test-api-secret";
process.env.SHOPIFY_APP_URL = "http://127.0.0.1:3000";
// Any stray use of the default database must fail loudly rather than touch a developer's dev.db.
process.env.DATABASE_URL = "file:./.tmp/no-such-folder/never-used-by-tests.db";

// A test fails on any console.error it did not expect (mock it in the test when it is expected).
let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`Unexpected console.error: ${args.map(String).join(" ")}`);
  });
});
afterEach(() => {
  consoleError.mockRestore();
});
