import { db } from "../db.server";

export async function listCampaigns({ shopId }: { shopId: string }) {
  const campaigns = await db().campaign.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, status: true, sendAt: true, _count: { select: { letters: true } } },
  });
  return campaigns.map((campaign) => ({
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    sendAt: campaign.sendAt?.toISOString() ?? null,
    letters: campaign._count.letters,
  }));
}
