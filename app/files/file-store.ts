/**
 * Where stored files' bytes live. One interface for every driver (local disk now, an
 * S3-compatible bucket later: docs/decisions/0005-stored-files.md); the StoredFile rows that
 * say which key belongs to which shop live in the database, not here.
 *
 * Keys are relative paths such as `<shopId>/<kind>/<id>-<safe filename>` (see file-keys.ts);
 * a driver refuses any key that file-keys.ts does not accept.
 */

export type PutInput =
  | { key: string; bytes: Uint8Array }
  /** Written chunk by chunk, so large uploads never sit in memory whole. */
  | { key: string; stream: AsyncIterable<Uint8Array> };

export type PutResult = {
  byteSize: number;
  /** Lower-case hex SHA-256 of the bytes as written. */
  sha256: string;
};

export interface FileStore {
  /**
   * Writes the bytes under `key`, once: a key that exists is refused (FileStoreError
   * "KEY_EXISTS") and its bytes stay as they were. Readers never see a partly written file.
   */
  put(input: PutInput): Promise<PutResult>;
  /** The whole file. FileStoreError "NOT_FOUND" when the key has no file. */
  read(key: string): Promise<Buffer>;
  /** The file as a stream of chunks, for files too large to hold whole. */
  get(key: string): Promise<AsyncIterable<Uint8Array>>;
  exists(key: string): Promise<boolean>;
  /** Removes the file (compliance redaction); false when there was nothing to remove. */
  delete(key: string): Promise<boolean>;
}

export type FileStoreErrorCode = "INVALID_KEY" | "KEY_EXISTS" | "NOT_FOUND";

export class FileStoreError extends Error {
  constructor(
    public readonly code: FileStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "FileStoreError";
  }
}
