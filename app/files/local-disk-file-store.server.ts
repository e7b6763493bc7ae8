import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, stat, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { assertValidFileKey } from "./file-keys";
import { FileStoreError, type FileStore, type PutInput, type PutResult } from "./file-store";

// Written once and never changed: no write bit, and nothing for other users (letters carry addresses).
const FILE_MODE = 0o440;
const DIRECTORY_MODE = 0o750;

/**
 * Stored files on the local disk under `root` (env().fileStoreDir in the app). A put writes a
 * temporary file in the target's directory, fsyncs it, then hard-links it to the final name:
 * link(2) fails when the name exists (so a key is never overwritten, even by two racing puts),
 * and a crash at any point leaves either no file under the key or the whole file.
 */
export class LocalDiskFileStore implements FileStore {
  readonly root: string;

  constructor(root: string) {
    if (!root) throw new Error("LocalDiskFileStore needs a root directory");
    this.root = path.resolve(root);
  }

  async put(input: PutInput): Promise<PutResult> {
    const target = this.pathFor(input.key);
    // Cheap early refusal, before streaming a large upload; link() below is the real guard.
    if (await this.exists(input.key)) throw keyExists(input.key);

    const directory = path.dirname(target);
    await mkdir(directory, { recursive: true, mode: DIRECTORY_MODE });
    // A dot-name can never be a key (file-keys.ts), so a temporary file never shadows one.
    const temporary = path.join(directory, `.tmp-${randomBytes(12).toString("hex")}`);
    const hash = createHash("sha256");
    let byteSize = 0;
    try {
      const handle = await open(temporary, "wx", FILE_MODE);
      try {
        const chunks: AsyncIterable<Uint8Array> | Uint8Array[] = "bytes" in input ? [input.bytes] : input.stream;
        // One chunk in memory at a time: each is hashed and written before the next is pulled.
        for await (const chunk of chunks) {
          if (!(chunk instanceof Uint8Array)) throw new TypeError("FileStore.put streams must yield bytes, not strings");
          hash.update(chunk);
          byteSize += chunk.byteLength;
          await writeFully(handle, chunk);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temporary, target);
      } catch (error) {
        if (errorCode(error) === "EEXIST") throw keyExists(input.key);
        throw error;
      }
      await syncDirectory(directory);
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
    return { byteSize, sha256: hash.digest("hex") };
  }

  async read(key: string): Promise<Buffer> {
    const file = this.pathFor(key);
    try {
      return await readFile(file);
    } catch (error) {
      throw missingAsNotFound(error, key);
    }
  }

  async get(key: string): Promise<AsyncIterable<Uint8Array>> {
    const file = this.pathFor(key);
    // Opened here, not lazily by the stream, so a missing file fails this call and not a later read.
    let handle: FileHandle;
    try {
      handle = await open(file, "r");
    } catch (error) {
      throw missingAsNotFound(error, key);
    }
    return handle.createReadStream();
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathFor(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    if (!(await this.exists(key))) return false;
    try {
      await unlink(this.pathFor(key));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** The absolute path for a key, refusing any key that would leave the root. */
  private pathFor(key: string): string {
    assertValidFileKey(key);
    const file = path.resolve(this.root, ...key.split("/"));
    // file-keys.ts already refuses `..` and absolute keys; this is the second lock on the door.
    if (!file.startsWith(this.root + path.sep)) {
      throw new FileStoreError("INVALID_KEY", `Invalid file key ${JSON.stringify(key)}: leaves the store's root`);
    }
    return file;
  }
}

async function writeFully(handle: FileHandle, chunk: Uint8Array) {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes the new directory entry durable too; some platforms cannot fsync a directory. */
async function syncDirectory(directory: string) {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch (error) {
    if (!["EISDIR", "EPERM", "EINVAL", "EBADF"].includes(errorCode(error) ?? "")) throw error;
  } finally {
    await handle?.close();
  }
}

function keyExists(key: string) {
  return new FileStoreError("KEY_EXISTS", `A file is already stored under ${JSON.stringify(key)}; stored files are written once`);
}

function missingAsNotFound(error: unknown, key: string) {
  return isMissing(error) ? new FileStoreError("NOT_FOUND", `No file stored under ${JSON.stringify(key)}`) : error;
}

// ENOTDIR: a key whose parent is a file; EISDIR: a key that names a directory (a prefix).
function isMissing(error: unknown) {
  return ["ENOENT", "ENOTDIR", "EISDIR"].includes(errorCode(error) ?? "");
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
