import type { BulkSourceLine } from "./bulk-records";

/**
 * Splits a byte stream into lines as it arrives, so a result file of any size is read with
 * memory for one chunk and one line. Lines before `startLine` are counted and dropped without
 * being parsed: that is how a resumed import skips what it already stored.
 */
export async function* readLines(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: { startLine?: number; signal?: AbortSignal } = {},
): AsyncGenerator<BulkSourceLine> {
  const startLine = options.startLine ?? 0;
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let line = 0;
  for await (const chunk of iterate(body)) {
    options.signal?.throwIfAborted();
    buffer += decoder.decode(chunk, { stream: true });
    // Scan by index and cut the buffer once per chunk, not once per line.
    let from = 0;
    let newline = buffer.indexOf("\n", from);
    while (newline !== -1) {
      if (line >= startLine) yield { line, text: stripCarriageReturn(buffer.slice(from, newline)) };
      line += 1;
      from = newline + 1;
      newline = buffer.indexOf("\n", from);
    }
    buffer = buffer.slice(from);
  }
  buffer += decoder.decode();
  // A last line without a trailing newline is still a line.
  if (buffer.length > 0 && line >= startLine) yield { line, text: stripCarriageReturn(buffer) };
}

function stripCarriageReturn(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

async function* iterate(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!(body instanceof ReadableStream)) {
    yield* body;
    return;
  }
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stops the download when the consumer stops early (an error, an abort). Not awaited:
    // a body whose source never settles its cancel must not hold the job.
    if (!finished) reader.cancel().catch(() => undefined);
  }
}
