import { Parser, type Options as CsvParseOptions } from "csv-parse";
import type { CsvRecord } from "./csv-orders";

/**
 * Reading CSV files as they come out of shops and spreadsheets, streamed: what the file is
 * (sniffCsvFile: encoding, delimiter, headers, a sample) and its records in batches
 * (readCsvRecords), with memory for one chunk and one batch whatever the file's size.
 *
 * Windows-1252 deviates from the plan of decoding with TextDecoder: Node 20's
 * TextDecoder("windows-1252") decodes as ISO-8859-1 (0x80 becomes U+0080, not "€"), and
 * decoded text would make csv-parse count UTF-8 bytes instead of the file's. So csv-parse reads
 * the raw bytes as latin1 (one byte, one character: byte offsets stay exact) and the 32 code
 * points where Windows-1252 differs (0x80–0x9F: € ‚ „ … – — ™ Š š Ž ž Œ œ Ÿ and the quotes)
 * are put right per field, only in fields that contain one.
 *
 * Line numbers are physical lines of the file, the header being line 1, counted where a record
 * starts. csv-parse counts lines itself, but counts a CR LF inside a quoted field twice; a record
 * that spans lines is recounted from its own line breaks, which keeps the rest of the file right.
 *
 * Malformed input: odd quotes are read as text (relax_quotes), a record with another number of
 * fields than the header is an error record, and so is a quote that is still open at the end
 * of the file. A record larger than 1 MB (in practice: a quote opened and never closed) ends
 * the reading with one error record, since nothing after it can be told apart reliably.
 */

export type CsvEncoding = "utf-8" | "windows-1252";
export type CsvDelimiter = "," | ";" | "\t";

const SNIFF_BYTES = 64 * 1024;
const SAMPLE_RECORDS = 20;
// csv-parse gets the file in pieces of this size, so one huge chunk from a source cannot turn
// into one huge batch.
const SLICE_BYTES = 16 * 1024;
const BATCH_RECORDS = 500;
const MAX_RECORD_BYTES = 1024 * 1024;

/** The csv-parse options the reader uses (also the benchmark's parse-only reference). */
export function csvParseOptions(options: { delimiter: string; encoding: CsvEncoding }): CsvParseOptions {
  return {
    delimiter: options.delimiter,
    encoding: options.encoding === "windows-1252" ? "latin1" : "utf8",
    bom: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
  };
}

// ---------------------------------------------------------------------------------------------
// Sniffing
// ---------------------------------------------------------------------------------------------

export type CsvSniffResult = {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  headers: string[];
  sampleRecords: CsvRecord[];
};

/**
 * Looks at a file before anything is imported. `open` is called twice: once for the first
 * 64 KB (a UTF-8 BOM or valid UTF-8 there means UTF-8, anything else Windows-1252; the
 * delimiter among , ; and tab that splits the header line outside quotes into most fields),
 * once to read the headers (trimmed, BOM removed) and up to 20 records after them.
 */
export async function sniffCsvFile(open: () => Promise<AsyncIterable<Uint8Array>>): Promise<CsvSniffResult> {
  const { bytes, complete } = await readHead(await open(), SNIFF_BYTES);
  const encoding = detectEncoding(bytes, complete);
  const delimiter = detectDelimiter(headerLineOf(bytes, encoding));

  let headers: string[] = [];
  const sampleRecords: CsvRecord[] = [];
  const records = readRecords(await open(), { encoding, delimiter }, (values) => {
    headers = values;
  });
  for await (const batch of records) {
    sampleRecords.push(...batch.slice(0, SAMPLE_RECORDS - sampleRecords.length));
    if (sampleRecords.length >= SAMPLE_RECORDS) break;
  }
  return { encoding, delimiter, headers, sampleRecords };
}

async function readHead(source: AsyncIterable<Uint8Array>, limit: number): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let complete = true;
  for await (const chunk of source) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size >= limit) {
      complete = false;
      // Leaving the loop closes the source.
      break;
    }
  }
  const bytes = Buffer.concat(chunks);
  return { bytes: bytes.subarray(0, Math.min(limit, bytes.byteLength)), complete: complete && bytes.byteLength <= limit };
}

export function detectEncoding(head: Uint8Array, complete: boolean): CsvEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  try {
    // stream: a character cut off at the end of the sample is not an error.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: !complete });
    return "utf-8";
  } catch {
    return "windows-1252";
  }
}

function headerLineOf(head: Uint8Array, encoding: CsvEncoding): string {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString(encoding === "utf-8" ? "utf8" : "latin1");
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) return text.slice(0, index);
  }
  return text;
}

/** The delimiter that splits the header line (outside quotes) into most fields; comma on a tie. */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "," || char === ";" || char === "\t")) counts[char] += 1;
  }
  let best: CsvDelimiter = ",";
  for (const delimiter of [";", "\t"] as const) {
    if (counts[delimiter] > counts[best]) best = delimiter;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/**
 * The file's data records (the header row skipped) in batches of about 500, each with its
 * physical start line and the bytes of the file consumed after it. Blank lines and lines of
 * empty fields are skipped. Stopping early (breaking out of the loop) closes the source.
 */
export function readCsvRecords(source: AsyncIterable<Uint8Array>, options: { encoding: CsvEncoding; delimiter: string }): AsyncIterable<CsvRecord[]> {
  return readRecords(source, options, null);
}

async function* readRecords(
  source: AsyncIterable<Uint8Array>,
  options: { encoding: CsvEncoding; delimiter: string },
  onHeader: ((headers: string[]) => void) | null,
): AsyncGenerator<CsvRecord[]> {
  const fixWindows1252 = options.encoding === "windows-1252";
  let batch: CsvRecord[] = [];
  let headerLength = -1;
  let bytesRead = 0;
  // csv-parse's counters as of the previous record (see the line numbers note above).
  let previousEndLine = 0;
  let previousEmptyLines = 0;
  let lineCorrection = 0;
  let failure: { line: number; reason: string } | null = null;
  let ending = false;

  const startLineOf = (info: { lines: number; empty_lines: number }) => previousEndLine + 1 + (info.empty_lines - previousEmptyLines);

  const onRecord = (values: string[]) => {
    const info = parser.info;
    const reportedStart = startLineOf(info);
    const line = reportedStart - lineCorrection;
    if (info.lines > reportedStart) lineCorrection += info.lines - reportedStart - countLineBreaks(values);
    previousEndLine = info.lines;
    previousEmptyLines = info.empty_lines;
    const endByte = info.bytes;

    if (fixWindows1252) fixWindows1252Fields(values);
    if (headerLength === -1) {
      const headers = values.map((value) => value.replace(/^\uFEFF/, "").trim());
      // A trailing delimiter on the header line makes empty columns that no value fills.
      while (headers.length > 1 && headers[headers.length - 1] === "") headers.pop();
      headerLength = headers.length;
      onHeader?.(headers);
      return;
    }
    if (isBlankRecord(values)) return;
    if (values.length !== headerLength) {
      if (values.length > headerLength && isBlankRecord(values.slice(headerLength))) {
        values.length = headerLength;
      } else {
        batch.push({
          line,
          error: `the line has ${values.length} ${values.length === 1 ? "field" : "fields"}, the header has ${headerLength} (a delimiter or quote may be missing or extra)`,
          endByte,
        });
        return;
      }
    }
    batch.push({ line, values, endByte });
  };

  const parser = new RecordParser(
    {
      ...csvParseOptions({ delimiter: options.delimiter, encoding: options.encoding }),
      on_skip: (error) => {
        const line = startLineOf(parser.info) - lineCorrection;
        if (ending && error?.code === "CSV_QUOTE_NOT_CLOSED") {
          batch.push({ line, error: "a quote opened on this line is never closed", endByte: bytesRead });
          return undefined;
        }
        failure ??= {
          line,
          reason:
            error?.code === "CSV_MAX_RECORD_SIZE"
              ? "the rest of the file could not be read: the record starting on this line is larger than 1 MB (a quote is probably never closed)"
              : `the rest of the file could not be read: ${error?.message ?? "malformed CSV"}`,
        };
        return undefined;
      },
    },
    onRecord,
  );

  // Errors csv-parse does not skip (none with these options, short of a bug) end the reading.
  let parserError: Error | null = null;
  parser.on("error", (error: Error) => {
    parserError ??= error;
  });

  try {
    for await (const chunk of source) {
      const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let offset = 0; offset < buffer.byteLength; offset += SLICE_BYTES) {
        const slice = buffer.subarray(offset, Math.min(offset + SLICE_BYTES, buffer.byteLength));
        bytesRead += slice.byteLength;
        parser.write(slice);
        if (parserError) throw parserError;
        if (failure) break;
        if (batch.length >= BATCH_RECORDS) {
          yield batch;
          batch = [];
        }
      }
      if (failure) break;
    }
    if (!failure) {
      ending = true;
      await endParser(parser);
      if (parserError) throw parserError;
    }
    if (failure) {
      const { line, reason }: { line: number; reason: string } = failure;
      batch.push({ line, error: reason, endByte: bytesRead });
    }
    if (batch.length > 0) yield batch;
  } finally {
    parser.destroy();
  }
}

/**
 * csv-parse's stream, with each record handed over the moment the parser emits it: its
 * counters (lines, bytes) are then those of that record, and no record goes through the
 * readable side's buffering (csv-parse's on_record option would build two info objects per
 * record for the same purpose, which costs more than the rest of the reading).
 */
class RecordParser extends Parser {
  constructor(
    options: CsvParseOptions,
    private readonly onRecord: (values: string[]) => void,
  ) {
    super(options);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.onRecord(chunk as string[]);
    return true;
  }
}

function endParser(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    parser.once("finish", resolve);
    parser.once("error", () => resolve());
    parser.end();
  });
}

function isBlankRecord(values: string[]): boolean {
  for (const value of values) {
    if (value !== "" && value.trim() !== "") return false;
  }
  return true;
}

/** Line breaks inside a record's fields: CR LF, LF and a lone CR each count once. */
function countLineBreaks(values: string[]): number {
  let breaks = 0;
  for (const value of values) {
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code === 10) breaks += 1;
      else if (code === 13 && value.charCodeAt(index + 1) !== 10) breaks += 1;
    }
  }
  return breaks;
}

// Windows-1252 bytes 0x80–0x9F (WHATWG encoding standard); 0x81, 0x8D, 0x8F, 0x90 and 0x9D
// are unassigned and stay as they are.
const WINDOWS_1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
].map((code) => String.fromCharCode(code));
const C1_CONTROL = /[\u0080-\u009f]/;
const C1_CONTROLS = /[\u0080-\u009f]/g;

function fixWindows1252Fields(values: string[]): void {
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (C1_CONTROL.test(value)) values[index] = value.replace(C1_CONTROLS, (char) => WINDOWS_1252_C1[char.charCodeAt(0) - 0x80]!);
  }
}
