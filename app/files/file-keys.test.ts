import { describe, expect, it } from "vitest";
import { assertValidFileKey, buildFileKey, fileKeyProblem, safeFilenameForKey } from "./file-keys";
import { FileStoreError } from "./file-store";

describe("fileKeyProblem", () => {
  it.each([
    "shop1/LETTER_PDF/abc-letter.pdf",
    "a",
    "shop_1/IMPORT_REPORT/0f9c2b1e-6a3d-4c55-9d1e-1f2a3b4c5d6e-report.v2.csv",
  ])("accepts %j", (key) => {
    expect(fileKeyProblem(key)).toBeNull();
  });

  it.each([
    ["", /empty/],
    ["../outside", /'\.\.'/],
    ["shop1/../../etc/passwd", /'\.\.'/],
    ["shop1/./x", /'\.'/],
    ["/etc/passwd", /relative/],
    ["shop1\\..\\x", /forward slashes/],
    ["C:/Windows/x", /segment outside/],
    ["shop1/x\0.pdf", /NUL/],
    ["shop1//x", /empty segment/],
    ["shop1/x/", /empty segment/],
    ["shop1/.tmp-123", /starting with '\.'/],
    ["shop1/a b.pdf", /segment outside/],
    ["shop1/brief-für.pdf", /segment outside/],
    ["a/".repeat(8) + "a", /more than 8 segments/],
    ["x".repeat(513), /longer than 512/],
  ])("refuses %j", (key, reason) => {
    expect(fileKeyProblem(key)).toMatch(reason);
    expect(() => assertValidFileKey(key)).toThrow(FileStoreError);
  });
});

describe("safeFilenameForKey", () => {
  it.each([
    ["letter.pdf", "letter.pdf"],
    ["Brief für Müller.PDF", "Brief-fur-Muller.pdf"],
    ["Жуков.pdf", "file.pdf"],
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\me\\report 2026.csv", "report-2026.csv"],
    ["...hidden", "file.hidden"],
    ["", "file"],
    ["a/b/", "file"],
    ["naïve  résumé (final).docx", "naive-resume-final.docx"],
    ["x".repeat(300) + ".pdf", "x".repeat(80) + ".pdf"],
  ])("%j → %j", (input, expected) => {
    expect(safeFilenameForKey(input)).toBe(expected);
    expect(fileKeyProblem(safeFilenameForKey(input))).toBeNull();
  });
});

describe("buildFileKey", () => {
  it("puts each shop's files under a folder of their own, by kind", () => {
    expect(buildFileKey({ shopId: "cshop1", kind: "LETTER_PDF", id: "f1", filename: "Brief für Müller.pdf" })).toBe(
      "cshop1/LETTER_PDF/f1-Brief-fur-Muller.pdf",
    );
  });

  it("refuses a shop id that would escape the shop's folder", () => {
    expect(() => buildFileKey({ shopId: "..", kind: "LETTER_PDF", id: "f1", filename: "a.pdf" })).toThrow(FileStoreError);
    expect(() => buildFileKey({ shopId: "a/../../b", kind: "LETTER_PDF", id: "f1", filename: "a.pdf" })).toThrow(FileStoreError);
  });
});
