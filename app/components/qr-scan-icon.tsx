/** A small QR-code mark for customers who scanned a letter (Polaris has no QR icon). */
export function QrScanIcon({ label }: { label: string }) {
  return (
    <span role="img" aria-label={label} title={label} style={{ display: "inline-flex", color: "var(--p-color-icon-success)" }}>
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M1 1h6v6H1V1zm1.5 1.5v3h3v-3h-3zM9 1h6v6H9V1zm1.5 1.5v3h3v-3h-3zM1 9h6v6H1V9zm1.5 1.5v3h3v-3h-3zM9 9h2v2H9V9zm2 2h2v2h-2v-2zm2-2h2v2h-2V9zm0 4h2v2h-2v-2zm-4 0h2v2H9v-2z"
        />
      </svg>
    </span>
  );
}
