/** @jsxImportSource preact */
// The pragma keeps Preact's JSX runtime whichever tsconfig a bundler finds (the root one is
// React's). Preact with Polaris web components: API 2025-10 and later (React ends at 2025-07).
// Registers the host's signals with Preact's; must come before anything renders.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { buildBlockView, loadBlockState, type BlockState, type BlockView, type Translate } from "./block-model";

export default async () => {
  render(<CustomerMailBlock />, document.body);
};

const translate: Translate = (key, replacements) => shopify.i18n.translate(key, replacements);

function CustomerMailBlock() {
  // The customer whose page this is, as a GID ("gid://shopify/Customer/123").
  const customerGid = shopify.data.selected[0]?.id;
  const [state, setState] = useState<BlockState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setState({ kind: "loading" });
    // fetch() to the app's own domain carries the admin's ID token; the route checks it.
    void loadBlockState(fetch, customerGid).then((next) => {
      if (current) setState(next);
    });
    return () => {
      current = false;
    };
  }, [customerGid, attempt]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  // Numbers and dates in the language of the texts (the admin falls back to English for others).
  const view = buildBlockView(state, { t: translate, locale: translate("locale"), now: new Date() });
  return (
    <s-admin-block heading={view.heading} collapsedSummary={view.collapsedSummary}>
      <BlockBody body={view.body} onRetry={retry} />
    </s-admin-block>
  );
}

function BlockBody({ body, onRetry }: { body: BlockView["body"]; onRetry: () => void }) {
  switch (body.kind) {
    case "loading":
      return (
        <s-stack direction="inline" gap="small-200" alignItems="center">
          <s-spinner accessibilityLabel={body.text} />
          <s-text color="subdued">{body.text}</s-text>
        </s-stack>
      );
    case "error":
      return (
        <s-stack direction="block" gap="small-200">
          <s-text tone="critical">{body.text}</s-text>
          <s-button variant="secondary" onClick={onRetry}>
            {body.retryLabel}
          </s-button>
        </s-stack>
      );
    case "not-found":
      return <s-paragraph color="subdued">{body.text}</s-paragraph>;
    case "summary":
      return (
        <s-stack direction="block" gap="base">
          {body.badges.length > 0 ? (
            <s-stack direction="inline" gap="small-200">
              {body.badges.map((badge) => (
                <s-badge key={badge.label} tone={badge.tone}>
                  {badge.label}
                </s-badge>
              ))}
            </s-stack>
          ) : null}
          <s-grid gridTemplateColumns="1fr 1fr 1fr" gap="small-200">
            {body.stats.map((stat) => (
              <s-stack key={stat.label} direction="block" gap="small-400">
                <s-text color="subdued">{stat.label}</s-text>
                <s-text type="strong">{stat.value}</s-text>
              </s-stack>
            ))}
          </s-grid>
          <s-divider />
          <s-stack direction="block" gap="small-200">
            <s-heading>{body.letterHeading}</s-heading>
            {body.letter ? (
              <s-stack direction="block" gap="small-300">
                <s-stack direction="inline" gap="small-200" alignItems="center">
                  <s-text type="strong">{body.letter.source}</s-text>
                  <s-badge tone={body.letter.status.tone}>{body.letter.status.label}</s-badge>
                </s-stack>
                <s-text color="subdued">{body.letter.date}</s-text>
                <s-text tone={body.letter.scan.tone === "success" ? "success" : "auto"}>{body.letter.scan.text}</s-text>
              </s-stack>
            ) : (
              <s-text color="subdued">{body.noLetterText}</s-text>
            )}
          </s-stack>
          <s-link href={body.profile.href}>{body.profile.label}</s-link>
        </s-stack>
      );
  }
}
