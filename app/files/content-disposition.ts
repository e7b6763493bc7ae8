/**
 * `Content-Disposition` for a stored file's original name. Header values are ASCII, so the
 * plain `filename` gets an ASCII stand-in and non-ASCII names also go in `filename*` with
 * RFC 5987 / RFC 6266 encoding (UTF-8, percent-encoded), which every current browser prefers.
 */
export function contentDisposition(filename: string, disposition: "inline" | "attachment" = "inline"): string {
  const name = filename.replace(/\p{Cc}/gu, "").trim() || "file";
  const fallback = asciiFallback(name);
  const header = `${disposition}; filename="${fallback}"`;
  return fallback === name ? header : `${header}; filename*=UTF-8''${encodeRfc5987(name)}`;
}

function asciiFallback(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      // Quotes and backslashes would end or escape the quoted string; anything else non-ASCII becomes "_".
      .replace(/["\\]/g, "_")
      .replace(/[^\u0020-\u007e]/g, "_")
  );
}

/** attr-char of RFC 5987: encodeURIComponent leaves ' ( ) * unencoded, which attr-char does not allow. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
