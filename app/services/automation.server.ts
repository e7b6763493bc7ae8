import { db } from "../db.server";

/** The after-purchase letter's set-up at a glance (D1–D3); null until the merchant creates it. */
export async function findAutomationSummary({ shopId }: { shopId: string }) {
  const automation = await db().automation.findUnique({
    where: { shopId },
    include: { tiers: { orderBy: { position: "asc" }, include: { _count: { select: { letters: true } } } } },
  });
  if (!automation) return null;
  return {
    status: automation.status,
    delayMinutes: automation.delayMinutes,
    frequencyCapDays: automation.frequencyCapDays,
    tiers: automation.tiers.map((tier) => ({
      id: tier.id,
      minMinor: Number(tier.minMinor),
      maxMinor: tier.maxMinor === null ? null : Number(tier.maxMinor),
      letters: tier._count.letters,
    })),
  };
}
