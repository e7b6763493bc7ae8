// Writes prisma/postgresql/schema.prisma from the one schema source, prisma/schema.prisma.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { derivePostgresSchema } from "./lib/derive-schema.mjs";

mkdirSync("prisma/postgresql", { recursive: true });
writeFileSync("prisma/postgresql/schema.prisma", derivePostgresSchema(readFileSync("prisma/schema.prisma", "utf8")));
