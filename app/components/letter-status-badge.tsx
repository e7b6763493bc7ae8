import { Badge } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

type Tone = "info" | "success" | "attention" | "critical" | "warning" | undefined;

const TONES: Record<string, Tone> = {
  SCHEDULED: undefined,
  RENDERED: "info",
  SUBMITTED: "info",
  PRINTED: "info",
  MAILED: "success",
  DELIVERED: "success",
  RETURNED: "warning",
  FAILED: "critical",
  CANCELLED: undefined,
};

export function LetterStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Badge tone={TONES[status]}>{t(`status.${status}`)}</Badge>;
}
