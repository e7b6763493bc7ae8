import { randomBytes } from "node:crypto";
import { adminRequest } from "./admin-requests";

/**
 * multipart/form-data bodies written byte for byte as browsers send them (RFC 7578), for
 * calling upload actions with a real body: the file's bytes go in unchanged (a BOM, Windows-1252,
 * CRLFs), and `truncate` cuts the body short like a browser that went away mid-upload.
 */

export type MultipartPart =
  | { name: string; value: string }
  | { name: string; filename: string; contentType?: string; bytes: Uint8Array | string };

export function multipartBody(parts: MultipartPart[], boundary = `----LetterLoopTest${randomBytes(8).toString("hex")}`): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ("filename" in part) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n`));
      chunks.push(Buffer.from(`Content-Type: ${part.contentType ?? "text/csv"}\r\n\r\n`));
      chunks.push(typeof part.bytes === "string" ? Buffer.from(part.bytes, "utf8") : Buffer.from(part.bytes));
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}`));
    }
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A signed admin request (see adminRequest) whose body is a multipart form. The body is handed
 * over as a stream in small pieces, as a network connection delivers it.
 */
export function multipartAdminRequest(
  path: string,
  shop: string,
  parts: MultipartPart[],
  { truncate, chunkSize = 64 * 1024 }: { truncate?: number; chunkSize?: number } = {},
): Request {
  const { body, contentType } = multipartBody(parts);
  const bytes = truncate === undefined ? body : body.subarray(0, truncate);
  const signed = adminRequest(path, shop, { method: "POST", headers: { "content-type": contentType } });
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + chunkSize)));
      offset += chunkSize;
    },
  });
  return new Request(signed.url, { method: "POST", headers: signed.headers, body: stream, duplex: "half" } as RequestInit);
}
