import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, DataTable, EmptyState, Page } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../components/format";
import { listCampaigns } from "../services/campaigns.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return { campaigns: await listCampaigns({ shopId: shop.id }) };
};

export default function Campaigns() {
  const { campaigns } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Page title={t("campaigns.title")}>
      <Card>
        {campaigns.length === 0 ? (
          <EmptyState heading={t("campaigns.empty")} image="">
            <p>{t("campaigns.emptyHelp")}</p>
          </EmptyState>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric"]}
            headings={[t("campaigns.name"), t("campaigns.status"), t("campaigns.sendAt"), t("campaigns.letters")]}
            rows={campaigns.map((campaign) => [
              campaign.name,
              <Badge key={campaign.id}>{campaign.status}</Badge>,
              format.date(campaign.sendAt),
              campaign.letters,
            ])}
          />
        )}
      </Card>
    </Page>
  );
}
