import { describe, expect, it } from "vitest";
import { readLines } from "./jsonl-lines";

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>, startLine?: number) {
  const lines = [];
  for await (const line of readLines(stream, { startLine })) lines.push(line);
  return lines;
}

describe("readLines", () => {
  it("splits lines across chunk boundaries and numbers them from 0", async () => {
    const lines = await collect(streamOf(['{"a":', '1}\n{"b":2}\n{"c"', ":3}\n"]));
    expect(lines).toEqual([
      { line: 0, text: '{"a":1}' },
      { line: 1, text: '{"b":2}' },
      { line: 2, text: '{"c":3}' },
    ]);
  });

  it("keeps a multi-byte character split between chunks intact", async () => {
    const bytes = new TextEncoder().encode('{"name":"Müller"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const lines = await collect(streamOf([bytes.slice(0, cut), bytes.slice(cut)]));
    expect(lines).toEqual([{ line: 0, text: '{"name":"Müller"}' }]);
  });

  it("returns a last line without a newline and drops carriage returns", async () => {
    expect(await collect(streamOf(["a\r\nb"]))).toEqual([
      { line: 0, text: "a" },
      { line: 1, text: "b" },
    ]);
  });

  it("skips lines before startLine but keeps their numbers", async () => {
    expect(await collect(streamOf(["l0\nl1\nl2\nl3\n"]), 2)).toEqual([
      { line: 2, text: "l2" },
      { line: 3, text: "l3" },
    ]);
  });

  it("cancels the download when the reader stops early", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode("x\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const line of readLines(stream)) {
      if (line.line === 3) break;
    }
    expect(cancelled).toBe(true);
  });
});
