// The load generator for orders-create-load.bench.ts, forked into its own process so its CPU use
// shows apart from the server's. It keeps `concurrency` signed orders/create deliveries in flight
// over keep-alive connections (a fixed-concurrency closed loop, as Shopify's delivery workers
// behave towards one app), first for the warm-up, then for the measured window.
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { webhookHeaders } from "../tests/support/shopify-webhooks";
import { orderBody, type LoadCustomer, loadCustomers } from "./orders-create-payloads";

export type LoadConfig = {
  url: string;
  shop: string;
  secret: string;
  concurrency: number;
  warmupSeconds: number;
  durationSeconds: number;
  customers: number;
  /** Every n-th measured order is reported to the parent, which times it into the statistics; 0: none. */
  sampleEvery: number;
  /** X-Shopify-Topic; a topic the app does not act on leaves processing out (intake-only diagnostic). */
  topicHeader: string;
};

export type LoadSample = { type: "sample"; orderId: string; customerIndex: number; sentAt: number };
export type LoadSummary = {
  type: "done";
  sent: number;
  warmupSent: number;
  measuredSeconds: number;
  latenciesMs: number[];
  statuses: Record<string, number>;
  errors: Record<string, number>;
  requestBytes: { min: number; max: number; mean: number };
};
export type LoadMessage = LoadSample | { type: "measuring"; at: number } | LoadSummary;

type Outcome = { status: number | null; error: string | null; latencyMs: number };

function post(agent: http.Agent, target: URL, headers: Record<string, string>, body: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        response.once("end", () => resolve({ status: response.statusCode ?? 0, error: null, latencyMs: performance.now() - started }));
        response.once("error", (error) => resolve({ status: null, error: error.message, latencyMs: performance.now() - started }));
      },
    );
    request.once("timeout", () => request.destroy(new Error("timeout after 10 s")));
    request.once("error", (error: NodeJS.ErrnoException) => resolve({ status: null, error: error.code ?? error.message, latencyMs: performance.now() - started }));
    request.end(body);
  });
}

export async function generateLoad(config: LoadConfig, emit: (message: LoadMessage) => void): Promise<LoadSummary> {
  const target = new URL(`${config.url}/webhooks/orders/create`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
  const customers: LoadCustomer[] = loadCustomers(config.customers);
  const runId = randomBytes(3).readUIntBE(0, 3);
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const bytes = { min: Infinity, max: 0, total: 0 };
  let sequence = 0;
  let warmupSent = 0;
  let measuring = false;
  let measuredStart = 0;

  const warmupEnd = performance.now() + config.warmupSeconds * 1000;
  let stopAt = Infinity;

  async function worker() {
    while (performance.now() < stopAt) {
      const index = sequence++;
      const customerIndex = index % customers.length;
      // Unique per run as well as per order, so a rerun against the same database adds orders.
      const orderId = String(5_000_000_000_000 + runId * 10_000_000 + index);
      const body = JSON.stringify(orderBody({ orderId, orderNumber: 100_000 + index, customer: customers[customerIndex]!, now: new Date(), seed: index }));
      const headers = webhookHeaders({ topic: config.topicHeader, shop: config.shop, body, secret: config.secret, webhookId: randomUUID() });
      const measured = measuring;
      if (measured && config.sampleEvery > 0 && index % config.sampleEvery === 0) emit({ type: "sample", orderId, customerIndex, sentAt: Date.now() });
      const outcome = await post(agent, target, headers, body);
      if (!measured) {
        warmupSent++;
        continue;
      }
      latenciesMs.push(outcome.latencyMs);
      bytes.min = Math.min(bytes.min, body.length);
      bytes.max = Math.max(bytes.max, body.length);
      bytes.total += body.length;
      if (outcome.status !== null) statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      if (outcome.error !== null) errors[outcome.error] = (errors[outcome.error] ?? 0) + 1;
    }
  }

  const workers = Array.from({ length: config.concurrency }, () => worker());
  const switchToMeasuring = setTimeout(
    () => {
      measuring = true;
      measuredStart = performance.now();
      stopAt = measuredStart + config.durationSeconds * 1000;
      emit({ type: "measuring", at: Date.now() });
    },
    Math.max(0, warmupEnd - performance.now()),
  );
  await Promise.all(workers);
  clearTimeout(switchToMeasuring);
  agent.destroy();
  const measuredSeconds = (performance.now() - measuredStart) / 1000;
  const sent = latenciesMs.length;
  return {
    type: "done",
    sent,
    warmupSent,
    measuredSeconds,
    latenciesMs,
    statuses,
    errors,
    requestBytes: { min: sent ? bytes.min : 0, max: bytes.max, mean: sent ? bytes.total / sent : 0 },
  };
}

// Forked by the benchmark: the configuration arrives as the first IPC message.
if (process.send) {
  process.once("message", (config: LoadConfig) => {
    const send = (message: LoadMessage) => process.send!(message);
    generateLoad(config, send).then(
      (summary) => {
        send(summary);
        process.disconnect();
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
