import { describe, expect, it } from "vitest";
import { contentDisposition } from "./content-disposition";

describe("contentDisposition", () => {
  it.each([
    ["letter.pdf", `inline; filename="letter.pdf"`],
    ["Brief für Müller.pdf", `inline; filename="Brief fur Muller.pdf"; filename*=UTF-8''Brief%20f%C3%BCr%20M%C3%BCller.pdf`],
    ["Жуков.pdf", `inline; filename="_____.pdf"; filename*=UTF-8''%D0%96%D1%83%D0%BA%D0%BE%D0%B2.pdf`],
    [`say "hi"\\.txt`, `inline; filename="say _hi__.txt"; filename*=UTF-8''say%20%22hi%22%5C.txt`],
    ["it's (1)*.pdf", `inline; filename="it's (1)*.pdf"`],
    ["l'été (1)*.pdf", `inline; filename="l'ete (1)*.pdf"; filename*=UTF-8''l%27%C3%A9t%C3%A9%20%281%29%2A.pdf`],
    ["line\r\nbreak.pdf", `inline; filename="linebreak.pdf"`],
    ["", `inline; filename="file"`],
  ])("%j", (name, expected) => {
    expect(contentDisposition(name)).toBe(expected);
  });

  it("produces a value a Headers object accepts for any name", () => {
    for (const name of ["😀.pdf", "a\u0000b", "ü\u2028x", "日本語のファイル.csv"]) {
      expect(() => new Headers({ "Content-Disposition": contentDisposition(name) })).not.toThrow();
    }
  });

  it("can ask for an attachment instead", () => {
    expect(contentDisposition("export.csv", "attachment")).toBe(`attachment; filename="export.csv"`);
  });
});
