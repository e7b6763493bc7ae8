import type { Db } from "../db.server";
import type { StoredFileKind } from "../../prisma/client/sqlite/enums";

export type NewStoredFile = {
  id: string;
  kind: StoredFileKind;
  key: string;
  filename: string;
  contentType: string;
  byteSize: number;
  sha256: string;
};

export function createStoredFile(db: Db, { shopId, file }: { shopId: string; file: NewStoredFile }) {
  return db.storedFile.create({ data: { ...file, shopId } });
}

/** A shop's file by id; null for an unknown id and for another shop's file alike. */
export function findStoredFile(db: Db, { shopId, fileId }: { shopId: string; fileId: string }) {
  return db.storedFile.findFirst({ where: { id: fileId, shopId } });
}

export type StoredFileRow = NonNullable<Awaited<ReturnType<typeof findStoredFile>>>;
