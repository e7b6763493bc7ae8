import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The layer rules of STYLE.md, enforced: dependencies point one way,
// routes → services → (core, repositories, integrations, letters, fulfilment, jobs, files).
const layer = (files, patterns) => ({
  files,
  rules: { "no-restricted-imports": ["error", { patterns }] },
});

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "prisma/client/**", ".tmp/**", "extensions/**/dist/**", "public/build/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  // core: pure domain rules. Nothing but core itself and zod; no clock, no environment.
  {
    files: ["app/core/**/*.ts"],
    ignores: ["app/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!zod$|\\./[^/]+$).*",
              message: "app/core imports only other core modules (./x) and zod.",
            },
          ],
        },
      ],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "Pass `now` in." }],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "core never reads the environment." },
        { name: "fetch", message: "core does no I/O." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Pass `now` in." },
      ],
    },
  },
  layer(
    ["app/routes/**/*.{ts,tsx}"],
    [
      { group: ["**/repositories/*", "**/db.server", "**/db/*", "**/prisma/client/**"], message: "Routes call services; data access lives in repositories." },
      { group: ["**/integrations/**", "**/jobs/**", "**/letters/**", "**/fulfilment/**"], message: "Routes call services, which orchestrate these." },
    ],
  ),
  layer(
    ["app/components/**/*.{ts,tsx}"],
    [{ group: ["*.server", "**/*.server", "**/services/*", "**/repositories/*"], message: "Components get props; no data fetching or server code." }],
  ),
  layer(
    ["app/services/**/*.ts"],
    [{ group: ["**/routes/*", "**/components/*"], message: "Services never import the UI layer." }],
  ),
  layer(
    ["app/repositories/**/*.ts"],
    [{ group: ["**/routes/*", "**/components/*", "**/services/*"], message: "Repositories only talk to the database." }],
  ),
  layer(
    ["app/integrations/**/*.ts", "app/letters/**/*.{ts,tsx}", "app/fulfilment/**/*.ts", "app/jobs/**/*.ts", "app/files/**/*.ts"],
    [{ group: ["**/routes/*", "**/components/*", "**/services/*"], message: "Adapters are called by services, never the other way round." }],
  ),
  {
    files: ["tests/**/*.{ts,tsx}", "scripts/**/*.{ts,mjs}", "**/*.test.{ts,tsx}", "bench/**/*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
);
