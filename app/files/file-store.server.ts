import { env } from "../env.server";
import type { FileStore } from "./file-store";
import { LocalDiskFileStore } from "./local-disk-file-store.server";

declare global {
  // Tests point this at a store in a temporary directory, as they do with __letterloopDb.
  var __letterloopFileStore: FileStore | undefined;
}

/** The process-wide file store: the local disk under FILE_STORE_DIR. */
export function fileStore(): FileStore {
  globalThis.__letterloopFileStore ??= new LocalDiskFileStore(env().fileStoreDir);
  return globalThis.__letterloopFileStore;
}
