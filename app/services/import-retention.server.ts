import { z } from "zod";
import { db } from "../db.server";
import { defineJob, enqueueJob } from "../jobs/job-definitions";
import { jobQueue } from "../jobs/queue.server";
import { deleteStoredFile } from "./stored-files.server";

/**
 * Uploaded CSV files hold customers' names and addresses, so they are not kept longer than the
 * import needs them: a file that was never imported (its run still waits for the column mapping)
 * goes after 7 days and its run is cancelled; the file of a finished run goes 30 days after it
 * finished (long enough to look into a problem). The imported data and the error report stay.
 * Runs once a day.
 */

export const DRAFT_UPLOAD_DAYS = 7;
export const FINISHED_UPLOAD_DAYS = 30;
const DAY_MS = 86_400_000;
const PAGE = 200;

export async function removeExpiredImportUploads({ now }: { now: Date }): Promise<{ drafts: number; finished: number }> {
  const draftBefore = new Date(now.getTime() - DRAFT_UPLOAD_DAYS * DAY_MS);
  const finishedBefore = new Date(now.getTime() - FINISHED_UPLOAD_DAYS * DAY_MS);
  const removed = { drafts: 0, finished: 0 };
  for (;;) {
    const runs = await db().importRun.findMany({
      where: {
        uploadFileId: { not: null },
        OR: [
          { status: "DRAFT", createdAt: { lt: draftBefore } },
          { status: { in: ["SUCCEEDED", "FAILED", "CANCELLED"] }, finishedAt: { lt: finishedBefore } },
        ],
      },
      select: { id: true, shopId: true, status: true, uploadFileId: true },
      take: PAGE,
    });
    for (const run of runs) {
      await deleteStoredFile({ shopId: run.shopId, fileId: run.uploadFileId! });
      const draft = run.status === "DRAFT";
      await db().importRun.update({
        where: { id: run.id, shopId: run.shopId },
        data: {
          uploadFileId: null,
          ...(draft
            ? { status: "CANCELLED", finishedAt: now, failureReason: `Not imported within ${DRAFT_UPLOAD_DAYS} days; the uploaded file was deleted.` }
            : {}),
        },
      });
      removed[draft ? "drafts" : "finished"]++;
    }
    if (runs.length < PAGE) return removed;
  }
}

export const importRetentionJob = defineJob({
  name: "imports.retention",
  payload: z.object({}),
  async handler() {
    const now = new Date();
    // The next run is booked first, so a failing run never ends the chain.
    await scheduleImportRetention(new Date(now.getTime() + DAY_MS));
    await removeExpiredImportUploads({ now });
  },
});

export async function scheduleImportRetention(runAt: Date = new Date()) {
  const day = Math.floor(runAt.getTime() / DAY_MS);
  return enqueueJob(jobQueue(), importRetentionJob, {}, { runAt, dedupeKey: `imports-retention:${day}`, maxAttempts: 3 });
}
