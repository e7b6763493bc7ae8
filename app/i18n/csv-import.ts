// Text of the CSV import pages (A3), English and German; spread into en.ts and de.ts under "csvImport".
export const csvImportEn = {
  title: "CSV import pages",
} as const;

export const csvImportDe = {
  title: "CSV import pages",
} satisfies Record<keyof typeof csvImportEn, unknown>;
