import { createHash, randomUUID } from "node:crypto";
import { AppError } from "../core/app-error";
import { db } from "../db.server";
import { env } from "../env.server";
import { contentDisposition } from "../files/content-disposition";
import { buildFileKey } from "../files/file-keys";
import { FileStoreError } from "../files/file-store";
import { fileStore } from "../files/file-store.server";
import {
  buildSignedDownloadPath,
  DEFAULT_DOWNLOAD_TTL_SECONDS,
  verifySignedDownload,
  type DownloadCheck,
} from "../files/signed-download.server";
import { createStoredFile, findStoredFile, type StoredFileRow } from "../repositories/stored-file-repository.server";
import type { StoredFileKind } from "../../prisma/client/sqlite/enums";

export type { StoredFileRow } from "../repositories/stored-file-repository.server";

/** The bytes under a StoredFile row are missing or differ from what was stored: never served. */
export class StoredFileIntegrityError extends Error {
  constructor(
    public readonly fileId: string,
    message: string,
  ) {
    super(`Stored file ${fileId}: ${message}`);
    this.name = "StoredFileIntegrityError";
  }
}

// StoredFile.byteSize is a 32-bit Int on both databases.
const MAX_BYTE_SIZE = 2_147_483_647;
const CONTENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(;[\u0020-\u007e]*)?$/;

/**
 * Stores bytes for a shop, write-once: the bytes go to the file store first, then the row that
 * records their SHA-256 and size. If the row cannot be written the bytes are removed again, so
 * a failure leaves neither (a crash in between leaves only unreferenced bytes, never a row
 * pointing at nothing).
 */
export async function storeFile(
  input: {
    shopId: string;
    kind: StoredFileKind;
    filename: string;
    contentType: string;
  } & ({ bytes: Uint8Array } | { stream: AsyncIterable<Uint8Array> }),
): Promise<StoredFileRow> {
  const { shopId, kind, filename, contentType } = input;
  const name = displayFilename(filename);
  if (!name) throw new AppError("VALIDATION", "The file needs a name", { filename: ["is empty"] });
  if (!CONTENT_TYPE.test(contentType)) {
    throw new AppError("VALIDATION", `Not a content type: ${JSON.stringify(contentType)}`, { contentType: ["is not a MIME type"] });
  }
  if ("bytes" in input && input.bytes.byteLength > MAX_BYTE_SIZE) throw new AppError("VALIDATION", "The file is too large", { bytes: ["exceed 2 GiB"] });

  // The id is chosen here because the key contains it and the bytes are written before the row.
  const id = randomUUID();
  const key = buildFileKey({ shopId, kind, id, filename: name });
  const store = fileStore();
  // A stream (an upload, a generated report) is written chunk by chunk and never held whole.
  const { byteSize, sha256 } = await store.put("bytes" in input ? { key, bytes: input.bytes } : { key, stream: input.stream });
  try {
    if (byteSize > MAX_BYTE_SIZE) throw new AppError("VALIDATION", "The file is too large", { bytes: ["exceed 2 GiB"] });
    return await createStoredFile(db(), { shopId, file: { id, kind, key, filename: name, contentType, byteSize, sha256 } });
  } catch (error) {
    await store.delete(key).catch(() => undefined);
    throw error;
  }
}

/**
 * Deletes a shop's stored file: the row first (nothing links to missing bytes), then the bytes.
 * False when the shop has no such file.
 */
export async function deleteStoredFile({ shopId, fileId }: { shopId: string; fileId: string }): Promise<boolean> {
  const file = await findStoredFile(db(), { shopId, fileId });
  if (!file) return false;
  await db().storedFile.deleteMany({ where: { id: fileId, shopId } });
  await fileStore()
    .delete(file.key)
    .catch(() => undefined);
  return true;
}

/** A shop's stored file as a stream of chunks (large uploads), after checking it belongs to the shop. */
export async function openStoredFile({ shopId, fileId }: { shopId: string; fileId: string }): Promise<{ file: StoredFileRow; stream: AsyncIterable<Uint8Array> }> {
  const file = await findStoredFile(db(), { shopId, fileId });
  if (!file) throw new AppError("NOT_FOUND", "File not found");
  return { file, stream: await fileStore().get(file.key) };
}

/**
 * A shop's stored file and its bytes, checked against the recorded size and SHA-256.
 * NOT_FOUND for an unknown id and for another shop's file alike (no hint that it exists).
 */
export async function readStoredFile({ shopId, fileId }: { shopId: string; fileId: string }): Promise<{ file: StoredFileRow; bytes: Buffer }> {
  const file = await findStoredFile(db(), { shopId, fileId });
  if (!file) throw new AppError("NOT_FOUND", "File not found");
  let bytes: Buffer;
  try {
    bytes = await fileStore().read(file.key);
  } catch (error) {
    if (error instanceof FileStoreError && error.code === "NOT_FOUND") throw new StoredFileIntegrityError(file.id, "its bytes are missing from the file store");
    throw error;
  }
  if (bytes.byteLength !== file.byteSize) {
    throw new StoredFileIntegrityError(file.id, `expected ${file.byteSize} bytes, found ${bytes.byteLength}`);
  }
  if (createHash("sha256").update(bytes).digest("hex") !== file.sha256) {
    throw new StoredFileIntegrityError(file.id, "its bytes no longer match the recorded SHA-256");
  }
  return { file, bytes };
}

/**
 * A relative link that serves the file without a session (a new tab from the embedded admin has
 * none): `/files/<fileId>?shop=…&expires=…&signature=…`, valid for ttlSeconds (default 5 minutes).
 * Make one per click or page load; the link only opens this shop's file.
 */
export function createDownloadUrl({
  shopId,
  fileId,
  ttlSeconds = DEFAULT_DOWNLOAD_TTL_SECONDS,
  now = new Date(),
}: {
  shopId: string;
  fileId: string;
  ttlSeconds?: number;
  now?: Date;
}): string {
  return buildSignedDownloadPath({ fileId, shopId, ttlSeconds, now, secret: env().appSecret });
}

const REFUSAL: Record<Extract<DownloadCheck, { ok: false }>["reason"], string> = {
  malformed: "This download link is incomplete or malformed. Open the file again from LetterLoop.",
  "bad-signature": "This download link is not valid. Open the file again from LetterLoop.",
  expired: "This download link has expired. Open the file again from LetterLoop to get a new link.",
};

// Nothing here may be cached by a browser or proxy, and the signed URL must not leak as a
// Referer from links inside a served file.
const PRIVATE_HEADERS = {
  "Cache-Control": "private, no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

/**
 * The guard and the answer for GET /files/:fileId, which has no session to check (a new tab from
 * the embedded admin carries no session token): the signed link names the shop and is the only
 * credential. 403 with a reason a person can read when the link is malformed, altered or
 * expired; 404 when the file is not that shop's; otherwise exactly the stored bytes, after their
 * SHA-256 was checked (a damaged file throws StoredFileIntegrityError and is never served).
 */
export async function serveSignedDownload({
  request,
  fileId,
  now = new Date(),
}: {
  request: Request;
  fileId: string | undefined;
  now?: Date;
}): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const check = verifySignedDownload(
    { fileId, shop: query.get("shop"), expires: query.get("expires"), signature: query.get("signature") },
    { secret: env().appSecret, now },
  );
  if (!check.ok) return plainText(REFUSAL[check.reason], 403);

  let found: { file: StoredFileRow; bytes: Buffer };
  try {
    found = await readStoredFile({ shopId: check.shopId, fileId: check.fileId });
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return plainText(error.message, 404);
    throw error;
  }
  const { file, bytes } = found;
  // A view, not a copy: a Buffer is never backed by a SharedArrayBuffer, which is all the cast hides.
  const body = new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  return new Response(body, {
    status: 200,
    headers: {
      ...PRIVATE_HEADERS,
      "Content-Type": file.contentType,
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": contentDisposition(file.filename),
    },
  });
}

// A person reads these in a browser tab: plain text, not JSON.
function plainText(message: string, status: number) {
  return new Response(message, { status, headers: { ...PRIVATE_HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
}

/** The name as the merchant gave it, without any directory part or control characters. */
function displayFilename(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? "";
  return base.replace(/\p{Cc}/gu, "").trim().slice(0, 255);
}
