import type { LoaderFunctionArgs } from "@remix-run/node";
import { AppError, HTTP_STATUS_BY_CODE } from "../core/app-error";
import { contentDisposition } from "../files/content-disposition";
import { readFileForDownload } from "../services/stored-files.server";

// Nothing here may be cached by a browser or proxy, and the signed URL must not leak as a
// Referer from links inside a served file.
const PRIVATE_HEADERS = {
  "Cache-Control": "private, no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

/**
 * GET /files/:fileId?shop=…&expires=…&signature=… — a public resource route: a file opened in a
 * new tab from the embedded admin carries no session token, so the signed link
 * (createDownloadUrl) is the only credential, and it names the shop.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const query = new URL(request.url).searchParams;
  try {
    const { file, bytes } = await readFileForDownload({
      fileId: params.fileId,
      shop: query.get("shop"),
      expires: query.get("expires"),
      signature: query.get("signature"),
    });
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
  } catch (error) {
    // A person reads these in a browser tab: plain text, not JSON.
    if (error instanceof AppError) {
      return new Response(error.message, {
        status: HTTP_STATUS_BY_CODE[error.code],
        headers: { ...PRIVATE_HEADERS, "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    throw error;
  }
};
