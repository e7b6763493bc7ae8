import path from "node:path";
import type { DemoShowcase } from "../../app/demo/seed-demo.server";
import { startDemoServer } from "../support/demo-server";

/**
 * A fresh demo database (.tmp/e2e/demo.db, letter PDFs in .tmp/e2e/storage), seeded, and the
 * built app serving it in demo mode on a free port on 127.0.0.1; stopped again after the run.
 */
export default async function globalSetup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const server = await startDemoServer({ workDir: path.join(process.cwd(), ".tmp", "e2e") });
  const { seed } = server;
  provide("baseUrl", server.baseUrl);
  provide("databaseUrl", server.databaseUrl);
  provide("demoSeed", { customers: seed.customers, orders: seed.orders, heavyCustomerId: seed.heavyCustomerId, showcase: seed.showcase });

  return async () => {
    await server.stop();
    if (process.env.E2E_SERVER_LOG) console.log(server.output.join(""));
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    demoSeed: { customers: number; orders: number; heavyCustomerId: string; showcase: DemoShowcase };
  }
}
