/**
 * Debian's Chromium driven by playwright-core (no browser download). The networking flags keep
 * Chromium from stalling on refused connections in this closed network (docs: STACK.md).
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
