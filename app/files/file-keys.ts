import { FileStoreError } from "./file-store";

/**
 * Store keys: relative paths of a few segments from a small alphabet. Anything else (`..`,
 * absolute paths, backslashes, NUL, drive letters, empty segments) is refused before a driver
 * touches the disk or a bucket. Segments never start with a dot, which leaves dot-names free for
 * a driver's own temporary files.
 */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const MAX_KEY_LENGTH = 512;
const MAX_SEGMENTS = 8;

/** Why `key` is not a valid store key, or null when it is. */
export function fileKeyProblem(key: string): string | null {
  if (typeof key !== "string" || key.length === 0) return "is empty";
  if (key.length > MAX_KEY_LENGTH) return `is longer than ${MAX_KEY_LENGTH} characters`;
  if (key.includes("\0")) return "contains NUL";
  if (key.startsWith("/") || key.includes("\\")) return "is not a relative path with forward slashes";
  const segments = key.split("/");
  if (segments.length > MAX_SEGMENTS) return `has more than ${MAX_SEGMENTS} segments`;
  for (const segment of segments) {
    if (segment === "") return "has an empty segment";
    if (segment === "." || segment === "..") return "contains a '.' or '..' segment";
    if (!SEGMENT.test(segment)) return `has a segment outside [A-Za-z0-9._-] or starting with '.': ${JSON.stringify(segment)}`;
  }
  return null;
}

export function assertValidFileKey(key: string): void {
  const problem = fileKeyProblem(key);
  if (problem) throw new FileStoreError("INVALID_KEY", `Invalid file key ${JSON.stringify(key)}: ${problem}`);
}

const MAX_STEM_LENGTH = 80;

/**
 * A file name reduced to [A-Za-z0-9._-] for use inside a key ("Brief für Müller.pdf" →
 * "Brief-fur-Muller.pdf"). The original name is kept in the StoredFile row for downloads.
 */
export function safeFilenameForKey(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? "";
  // Decompose and drop combining marks so Latin letters with accents keep their base letter.
  const ascii = base.normalize("NFKD").replace(/\p{M}+/gu, "");
  const extensionMatch = /\.([A-Za-z0-9]{1,10})$/.exec(ascii);
  const extension = extensionMatch ? `.${extensionMatch[1]!.toLowerCase()}` : "";
  const stemSource = extensionMatch ? ascii.slice(0, extensionMatch.index) : ascii;
  const stem = stemSource
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[.-]+/, "")
    .slice(0, MAX_STEM_LENGTH)
    .replace(/[.-]+$/, "");
  return `${stem || "file"}${extension}`;
}

/** `<shopId>/<kind>/<id>-<safe filename>`: one folder per shop, so redacting a shop is one prefix. */
export function buildFileKey({ shopId, kind, id, filename }: { shopId: string; kind: string; id: string; filename: string }): string {
  const key = `${shopId}/${kind}/${id}-${safeFilenameForKey(filename)}`;
  assertValidFileKey(key);
  return key;
}
