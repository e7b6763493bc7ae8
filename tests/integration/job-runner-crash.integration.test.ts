import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterEach, expect, it } from "vitest";
import { z } from "zod";
import { createJobRegistry, defineJob } from "../../app/jobs/job-definitions";
import { createJobRunner } from "../../app/jobs/job-runner.server";
import { createPrismaJobQueue } from "../../app/jobs/prisma-job-queue.server";
import { describeEachDatabase } from "../support/databases";
import { recordingLogger, waitFor } from "../support/jobs";

const LEASE_MS = 1_500;

/** Resolves with the first stdout line matching `pattern`; rejects (with the child's stderr) on exit or timeout. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs);
    const onExit = (code: number | null) => finish(new Error(`child exited (${code}) before printing ${pattern}; stderr:\n${stderr}`));
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n").find((candidate) => pattern.test(candidate));
      if (line) finish(undefined, line);
    };
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString();
    };
    function finish(error: Error | undefined, line?: string) {
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout?.off("data", onStdout);
      if (error) reject(error);
      else resolve(line!);
    }
    child.on("exit", onExit);
    child.stdout?.on("data", onStdout);
    child.stderr?.on("data", onStderr);
  });
}

describeEachDatabase("job runner crash", (current) => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    // Never leave the child behind, whatever the test did.
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    child = undefined;
  });

  it("a runner killed with SIGKILL mid-job leaves the job to another runner once its lease lapses", async () => {
    const { db, url } = current();
    const name = `crash.${randomBytes(4).toString("hex")}`;
    const queue = createPrismaJobQueue(db, { leaseMs: LEASE_MS });
    const { id } = await queue.enqueue({ name, payload: { letterId: "L-1" } });

    child = spawn(process.execPath, ["--import", "tsx", "tests/support/crashing-runner.ts"], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        JOB_TEST_DATABASE_URL: url,
        JOB_TEST_NAME: name,
        JOB_TEST_LEASE_MS: String(LEASE_MS),
        JOB_TEST_RUNNER_ID: "doomed-runner",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child!.once("exit", (_code, signal) => resolve(signal)));
    const started = JSON.parse((await waitForLine(child, /^STARTED /, 20_000)).slice("STARTED ".length));
    expect(started).toMatchObject({ jobId: id, attempt: 1, pid: child.pid });

    // Kill it mid-job, after its heartbeat has extended the lease at least once.
    const firstLease = (await db.job.findUniqueOrThrow({ where: { id } })).lockedUntil!;
    await waitFor(async () => {
      const lockedUntil = (await db.job.findUniqueOrThrow({ where: { id } })).lockedUntil;
      return lockedUntil && lockedUntil > firstLease ? true : undefined;
    }, 5_000);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const orphaned = await db.job.findUniqueOrThrow({ where: { id } });
    expect(orphaned).toMatchObject({ status: "RUNNING", attempts: 1, lockedBy: "doomed-runner" });
    const lockedUntil = orphaned.lockedUntil!;
    expect(lockedUntil.getTime()).toBeGreaterThan(Date.now());

    const runs: { jobId: string; attempt: number }[] = [];
    const survivor = createJobRunner({
      queue: createPrismaJobQueue(db, { leaseMs: LEASE_MS }),
      registry: createJobRegistry([
        defineJob({
          name,
          payload: z.object({ letterId: z.string() }),
          handler: async (_payload, { jobId, attempt }) => {
            runs.push({ jobId, attempt });
          },
        }),
      ]),
      runnerId: "survivor",
      logger: recordingLogger(),
    });

    // While the dead runner's lease holds, nobody gets the job.
    expect(await survivor.runOnce()).toBeNull();
    let refusedWhileLeased = 1;
    const result = await waitFor(
      async () => {
        const outcome = await survivor.runOnce();
        if (outcome === null) refusedWhileLeased++;
        return outcome ?? undefined;
      },
      LEASE_MS + 5_000,
      50,
    );
    const claimedBy = Date.now();

    expect(claimedBy).toBeGreaterThan(lockedUntil.getTime());
    expect(refusedWhileLeased).toBeGreaterThan(1);
    expect(result).toEqual({ jobId: id, outcome: "SUCCEEDED" });
    expect(runs).toEqual([{ jobId: id, attempt: 2 }]);
    expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "SUCCEEDED",
      attempts: 2,
      lockedBy: null,
      lockedUntil: null,
    });
  });
});
