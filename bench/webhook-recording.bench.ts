import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createDb } from "../app/db/client.server";
import { migrateDatabase } from "../app/db/migrate.server";
import { recordWebhookEvent } from "../app/repositories/webhook-event-repository.server";
import { measure, type BenchResult } from "./harness";

/** How fast a verified delivery is recorded (the step Shopify's 5 s budget waits on), on SQLite. */
export async function run(): Promise<BenchResult[]> {
  mkdirSync(".tmp", { recursive: true });
  const file = ".tmp/bench-webhooks.db";
  rmSync(file, { force: true });
  const migrateStart = performance.now();
  await migrateDatabase(`file:${file}`);
  const migrateMs = performance.now() - migrateStart;
  const db = createDb(`file:${file}`);
  const payload = readFileSync("tests/fixtures/shopify/orders-create.json", "utf8");
  const record = (index: number) =>
    recordWebhookEvent(db, {
      shopDomain: "bench.myshopify.com",
      topic: "ORDERS_CREATE",
      webhookId: `bench-${index}`,
      eventId: `event-${index}`,
      apiVersion: "2026-07",
      triggeredAt: new Date(),
      payload,
    });
  const fresh = await measure("record new webhook event (sqlite)", 2000, record);
  const duplicate = await measure("recognise redelivered webhook (sqlite)", 2000, record);
  await db.$disconnect();
  rmSync(file, { force: true });
  return [{ name: "migrate empty sqlite database", runs: 1, p50Ms: migrateMs, p95Ms: migrateMs, p99Ms: migrateMs, opsPerSecond: 1000 / migrateMs }, fresh, duplicate];
}
