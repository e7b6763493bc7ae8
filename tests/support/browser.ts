import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";

export type GuardedBrowser = {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of every page in the context. */
  consoleErrors: string[];
  /** Requests that tried to leave 127.0.0.1 (refused). */
  offHostRequests: string[];
  close: () => Promise<void>;
};

/**
 * Chromium with a fresh profile, recording console errors of every page (new tabs included)
 * and refusing any request that would leave the machine, so a regression fails fast instead of
 * waiting on a network timeout.
 */
export async function launchGuardedBrowser({ locale = "de-DE" }: { locale?: string } = {}): Promise<GuardedBrowser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 900 },
    locale,
  });
  const consoleErrors: string[] = [];
  const offHostRequests: string[] = [];
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
    page.on("request", (request) => {
      if (leavesMachine(request.url())) offHostRequests.push(request.url());
    });
  };
  context.on("page", watch);
  const page = context.pages()[0] ?? (await context.newPage());
  if (context.pages().length === 1) watch(page);
  await context.route("**/*", (route) => (leavesMachine(route.request().url()) ? route.abort("blockedbyclient") : route.continue()));
  return {
    context,
    page,
    consoleErrors,
    offHostRequests,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A network request to anywhere but loopback (Chromium's own chrome: and extension pages are local). */
export function leavesMachine(address: string): boolean {
  const url = new URL(address);
  return ["http:", "https:", "ws:", "wss:"].includes(url.protocol) && url.hostname !== "127.0.0.1";
}
