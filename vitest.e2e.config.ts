import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// End-to-end tests against the BUILT app (build/, made by `npm run build` before this runs in
// `npm run check`), served in demo mode on a free loopback port with a freshly seeded database.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/e2e/**/*.e2e.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    pool: "forks",
    // One server and one browser at a time: the files share the server started in global setup.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
