// Derives prisma/postgresql/schema.prisma from the one schema source (prisma/schema.prisma).
// Only the provider and the generated client's folder differ; everything else is shared.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const source = readFileSync("prisma/schema.prisma", "utf8");
const derived = source
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('output       = "./client/sqlite"', 'output       = "../client/postgresql"');

if (!derived.includes('provider = "postgresql"') || !derived.includes("../client/postgresql")) {
  throw new Error("prisma/schema.prisma: datasource provider or generator output line not found");
}

mkdirSync("prisma/postgresql", { recursive: true });
writeFileSync(
  "prisma/postgresql/schema.prisma",
  "// GENERATED from prisma/schema.prisma by scripts/prisma-schema.mjs: edit the source, not this file.\n" +
    derived,
);
