// Runs jobs from DATABASE_URL's queue until SIGINT/SIGTERM: `npm run jobs:work`.
// A second signal exits at once (the running job's lease then lapses and another runner retries it).
import { db } from "../app/db.server";
import { appJobRegistry, scheduleRecurringJobs } from "../app/services/app-jobs.server";
import { createJobRunner } from "../app/jobs/job-runner.server";
import { startWebhookPoller } from "../app/services/webhook-processing.server";
import { createPrismaJobQueue } from "../app/jobs/prisma-job-queue.server";
import { requireDatabaseUrl } from "./lib/script-env";

requireDatabaseUrl("file:./prisma/dev.db");

const runner = createJobRunner({ queue: createPrismaJobQueue(db()), registry: appJobRegistry });
console.info(`Job runner ${runner.runnerId} started; jobs: ${[...appJobRegistry.keys()].join(", ")}`);
await scheduleRecurringJobs();
runner.start();
// Webhook deliveries the web process recorded (with LETTERLOOP_BACKGROUND=worker it leaves them all here).
const poller = startWebhookPoller({ getDb: db });

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    console.info(`${signal}: finishing the current job, then stopping (send it again to exit now)`);
    void Promise.all([runner.stop(), poller.stop()])
      .then(() => db().$disconnect())
      .then(() => process.exit(0));
  });
}
