// Text of the import API keys, exchange rates and API docs in Settings (A4), English and German; spread into en.ts and de.ts under "importApi".
export const importApiEn = {
  title: "import API keys,",
} as const;

export const importApiDe = {
  title: "import API keys,",
} satisfies Record<keyof typeof importApiEn, unknown>;
