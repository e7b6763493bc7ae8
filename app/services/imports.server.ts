import { db } from "../db.server";

export async function listImportRuns({ shopId }: { shopId: string }) {
  const runs = await db().importRun.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  return runs.map((run) => ({
    id: run.id,
    kind: run.kind,
    status: run.status,
    startedAt: (run.startedAt ?? run.createdAt).toISOString(),
    createdCount: run.createdCount,
    updatedCount: run.updatedCount,
    skippedCount: run.skippedCount,
    errorCount: run.errorCount,
  }));
}
