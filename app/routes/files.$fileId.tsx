import type { LoaderFunctionArgs } from "@remix-run/node";
import { serveSignedDownload } from "../services/stored-files.server";

// GET /files/:fileId?shop=…&expires=…&signature=… — public: a file opened in a new tab from the
// embedded admin carries no session token, so the signed link (createDownloadUrl) is the guard.
export const loader = async ({ request, params }: LoaderFunctionArgs) => serveSignedDownload({ request, fileId: params.fileId });
