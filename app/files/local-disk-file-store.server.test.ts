import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStoreError } from "./file-store";
import { LocalDiskFileStore } from "./local-disk-file-store.server";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function collect(chunks: AsyncIterable<Uint8Array>) {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

async function rejection(work: Promise<unknown>): Promise<FileStoreError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileStoreError);
  return error as FileStoreError;
}

let parent: string;
let root: string;
let store: LocalDiskFileStore;

beforeEach(() => {
  parent = mkdtempSync(path.join(os.tmpdir(), "letterloop-store-"));
  root = path.join(parent, "root");
  store = new LocalDiskFileStore(root);
});
afterEach(() => {
  rmSync(parent, { recursive: true, force: true });
});

describe("LocalDiskFileStore", () => {
  it("reads back exactly the bytes put, every byte value included", async () => {
    const bytes = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7) % 256));
    const result = await store.put({ key: "shop1/LETTER_PDF/f1-letter.pdf", bytes });
    expect(result).toEqual({ byteSize: 1024, sha256: sha256(bytes) });
    expect((await store.read("shop1/LETTER_PDF/f1-letter.pdf")).equals(bytes)).toBe(true);
    expect((await collect(await store.get("shop1/LETTER_PDF/f1-letter.pdf"))).equals(bytes)).toBe(true);
  });

  it("stores an empty file and a 5 MB one", async () => {
    expect(await store.put({ key: "s/IMAGE/empty", bytes: new Uint8Array() })).toEqual({ byteSize: 0, sha256: sha256(new Uint8Array()) });
    expect((await store.read("s/IMAGE/empty")).byteLength).toBe(0);

    const large = randomBytes(5 * 1024 * 1024 + 17);
    expect(await store.put({ key: "s/BATCH_PDF/large.pdf", bytes: large })).toEqual({ byteSize: large.byteLength, sha256: sha256(large) });
    expect(sha256(await store.read("s/BATCH_PDF/large.pdf"))).toBe(sha256(large));
  });

  it("writes a stream chunk by chunk, hashing as it goes", async () => {
    const hash = createHash("sha256");
    const directory = path.join(root, "s", "IMPORT_UPLOAD");
    let pulled = 0;
    async function* chunks() {
      for (let i = 0; i < 160; i++) {
        if (i > 0) {
          // Every earlier chunk is already on disk (in the temporary file) when the next is pulled.
          const [temporary] = readdirSync(directory);
          expect(temporary).toMatch(/^\.tmp-/);
          expect(statSync(path.join(directory, temporary!)).size).toBe(i * 64 * 1024);
        }
        const chunk = randomBytes(64 * 1024);
        hash.update(chunk);
        pulled++;
        yield chunk;
      }
    }
    const result = await store.put({ key: "s/IMPORT_UPLOAD/u1-orders.csv", stream: chunks() });
    expect(pulled).toBe(160);
    expect(result).toEqual({ byteSize: 160 * 64 * 1024, sha256: hash.digest("hex") });
    expect(sha256(await store.read("s/IMPORT_UPLOAD/u1-orders.csv"))).toBe(result.sha256);
  });

  it("leaves nothing under the key, and no temporary file, when a stream fails halfway", async () => {
    async function* failing() {
      yield randomBytes(1000);
      throw new Error("upload connection lost");
    }
    await expect(store.put({ key: "s/IMPORT_UPLOAD/broken.csv", stream: failing() })).rejects.toThrow("upload connection lost");
    expect(await store.exists("s/IMPORT_UPLOAD/broken.csv")).toBe(false);
    expect(readdirSync(path.join(root, "s", "IMPORT_UPLOAD"))).toEqual([]);
  });

  it("refuses a second put to the same key and keeps the original bytes", async () => {
    const original = randomBytes(2048);
    await store.put({ key: "s/LETTER_PDF/once.pdf", bytes: original });

    const again = await rejection(store.put({ key: "s/LETTER_PDF/once.pdf", bytes: Buffer.from("replacement") }));
    expect(again.code).toBe("KEY_EXISTS");
    async function* replacement() {
      yield Buffer.from("streamed replacement");
    }
    expect((await rejection(store.put({ key: "s/LETTER_PDF/once.pdf", stream: replacement() }))).code).toBe("KEY_EXISTS");

    expect((await store.read("s/LETTER_PDF/once.pdf")).equals(original)).toBe(true);
    expect(readdirSync(path.join(root, "s", "LETTER_PDF"))).toEqual(["once.pdf"]);
  });

  it("lets exactly one of several racing puts to one key win, whole", async () => {
    const candidates = Array.from({ length: 8 }, () => randomBytes(256 * 1024));
    const results = await Promise.allSettled(candidates.map((bytes) => store.put({ key: "s/LETTER_PDF/race.pdf", bytes })));
    const winners = results.filter((result) => result.status === "fulfilled");
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect((result.reason as FileStoreError).code).toBe("KEY_EXISTS");
    }
    const stored = await store.read("s/LETTER_PDF/race.pdf");
    expect(candidates.some((bytes) => bytes.equals(stored))).toBe(true);
    expect(readdirSync(path.join(root, "s", "LETTER_PDF"))).toEqual(["race.pdf"]);
  });

  it("stores files without a write bit", async () => {
    await store.put({ key: "s/LETTER_PDF/mode.pdf", bytes: Buffer.from("%PDF") });
    expect(statSync(path.join(root, "s", "LETTER_PDF", "mode.pdf")).mode & 0o222).toBe(0);
  });

  it.each([
    "../escape.txt",
    "s/../../escape.txt",
    "/tmp/escape.txt",
    "s\\..\\..\\escape.txt",
    "s/escape\0.txt",
    "",
    "s/./x",
    "s/.tmp-0123",
  ])("refuses the key %j for every operation and writes nothing outside the root", async (key) => {
    expect((await rejection(store.put({ key, bytes: Buffer.from("x") }))).code).toBe("INVALID_KEY");
    expect((await rejection(store.read(key))).code).toBe("INVALID_KEY");
    expect((await rejection(store.get(key))).code).toBe("INVALID_KEY");
    expect((await rejection(store.exists(key))).code).toBe("INVALID_KEY");
    expect((await rejection(store.delete(key))).code).toBe("INVALID_KEY");
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync("/tmp/escape.txt")).toBe(false);
  });

  it("answers exists, and deletes once", async () => {
    await store.put({ key: "s/DATA_EXPORT/x.json", bytes: Buffer.from("{}") });
    expect(await store.exists("s/DATA_EXPORT/x.json")).toBe(true);
    // A prefix of keys is a directory on disk, not a stored file.
    expect(await store.exists("s/DATA_EXPORT")).toBe(false);
    expect(await store.exists("s/DATA_EXPORT/x.json/deeper")).toBe(false);

    expect(await store.delete("s/DATA_EXPORT/x.json")).toBe(true);
    expect(await store.delete("s/DATA_EXPORT/x.json")).toBe(false);
    expect(await store.delete("s/DATA_EXPORT")).toBe(false);
    expect(await store.exists("s/DATA_EXPORT/x.json")).toBe(false);
    expect((await rejection(store.read("s/DATA_EXPORT/x.json"))).code).toBe("NOT_FOUND");
    expect((await rejection(store.get("s/DATA_EXPORT/x.json"))).code).toBe("NOT_FOUND");
    expect((await rejection(store.read("s/DATA_EXPORT"))).code).toBe("NOT_FOUND");
  });
});
