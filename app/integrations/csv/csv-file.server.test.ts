import { createReadStream, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { shopifyOrdersExport, shopifyOrdersExportText } from "../../../tests/support/shopify-orders-export";
import { checkCsvMapping, suggestCsvMapping } from "./csv-fields";
import { readCsvRecords, sniffCsvFile, type CsvEncoding } from "./csv-file.server";
import { createCsvOrderAssembler, type CsvAssembled, type CsvRecord } from "./csv-orders";

const FIXTURES = path.resolve(__dirname, "../../../tests/fixtures/csv");
const fixture = (name: string) => path.join(FIXTURES, name);

/** A file as the app opens a stored upload: a byte stream, optionally in tiny chunks. */
const openFile = (file: string, chunkSize?: number) => async () => createReadStream(file, chunkSize ? { highWaterMark: chunkSize } : {});
const openBytes = (bytes: Uint8Array, chunkSize = 64 * 1024) => async () =>
  (async function* () {
    for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
  })();

async function readAll(open: () => Promise<AsyncIterable<Uint8Array>>, options: { encoding: CsvEncoding; delimiter: string }): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const batch of readCsvRecords(await open(), options)) records.push(...batch);
  return records;
}

/** sniff → suggested mapping → every record through the assembler, as the import does it. */
async function importFile(open: () => Promise<AsyncIterable<Uint8Array>>, shopCurrency = "EUR") {
  const sniffed = await sniffCsvFile(open);
  const mapping = suggestCsvMapping(sniffed.headers, sniffed.sampleRecords.flatMap((record) => ("values" in record ? [record.values] : [])));
  const assembler = createCsvOrderAssembler({ mapping, headers: sniffed.headers, shopCurrency });
  const result: CsvAssembled = { orders: [], problems: [] };
  const records = await readAll(open, sniffed);
  for (const record of records) {
    const step = assembler.push(record);
    result.orders.push(...step.orders);
    result.problems.push(...step.problems);
  }
  const last = assembler.flush();
  result.orders.push(...last.orders);
  result.problems.push(...last.problems);
  return { sniffed, mapping, records, ...result };
}

const valuesOf = (records: CsvRecord[]) => records.map((record) => ("values" in record ? record.values : record.error));

describe("sniffCsvFile", () => {
  it("reads a UTF-8 file with a BOM and CR LF line ends (Excel's CSV UTF-8)", async () => {
    const sniffed = await sniffCsvFile(openFile(fixture("utf8-bom-english.csv")));
    expect(sniffed.encoding).toBe("utf-8");
    expect(sniffed.delimiter).toBe(",");
    expect(sniffed.headers[0]).toBe("Order Number");
    expect(sniffed.headers).toHaveLength(15);
    expect(sniffed.sampleRecords.map((record) => record.line)).toEqual([2, 3, 4]);
    expect(valuesOf(sniffed.sampleRecords).map((values) => (values as string[]).slice(3, 5))).toEqual([
      ["Jürgen", "Müller"],
      ["Zoë", "Weiß"],
      ["Ольга", "Петрова"],
    ]);
  });

  it("recognises Windows-1252 and decodes € „ “ ™ and umlauts from their single bytes", async () => {
    const bytes = readFileSync(fixture("windows-1252-german.csv"));
    // The fixture holds the real bytes: "Müller" with 0xFC, "€" as 0x80.
    expect(bytes.includes(Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]))).toBe(true);
    expect(bytes.includes(0x80)).toBe(true);
    const sniffed = await sniffCsvFile(openFile(fixture("windows-1252-german.csv")));
    expect(sniffed).toMatchObject({ encoding: "windows-1252", delimiter: ";" });
    expect(sniffed.headers).toContain("Straße");
    const first = sniffed.sampleRecords[0]!;
    expect("values" in first && first.values.slice(4, 8)).toEqual(["Müller", "Grußkarte „Danke“", "2", "3,50 €"]);
    const third = sniffed.sampleRecords[2]!;
    expect("values" in third && third.values[5]).toBe("Siegelwachs™ Rot");
  });

  it.each([
    ["Order;Date;Total\n1;05.03.2024;1,50\n", ";"],
    ["Order\tDate\tTotal\n1\t05.03.2024\t1.50\n", "\t"],
    ["Order,Date,Total\n1,05.03.2024,1.50\n", ","],
    // Commas inside quoted headers do not count.
    ['"Name, first";"Name, last";Total\nA;B;1\n', ";"],
    ["Order\n1\n", ","],
  ])("detects the delimiter of %j", async (text, delimiter) => {
    expect((await sniffCsvFile(openBytes(Buffer.from(text)))).delimiter).toBe(delimiter);
  });

  it("keeps UTF-8 when a character is cut off at the end of the 64 KB it looks at", async () => {
    const header = "Order,Note\n";
    const filler = `1,${"x".repeat(65_536 - header.length - 3)}`;
    const bytes = Buffer.from(`${header}${filler}ü\n`);
    // "ü" is two bytes; the first one is the last byte of the sample.
    expect(bytes[65_535]).toBe(0xc3);
    expect((await sniffCsvFile(openBytes(bytes, 1000))).encoding).toBe("utf-8");
  });

  it("gives no headers and no records for an empty file, and headers only for a header line", async () => {
    expect(await sniffCsvFile(openBytes(Buffer.alloc(0)))).toEqual({ encoding: "utf-8", delimiter: ",", headers: [], sampleRecords: [] });
    expect(await sniffCsvFile(openBytes(Buffer.from("Order;Date\n")))).toEqual({ encoding: "utf-8", delimiter: ";", headers: ["Order", "Date"], sampleRecords: [] });
  });

  it("samples at most 20 records and stops reading there", async () => {
    const text = shopifyOrdersExportText({ orders: 2000, seed: 3 });
    let pulled = 0;
    let closed = false;
    const bytes = Buffer.from(text);
    const open = async () =>
      (async function* () {
        try {
          for (let offset = 0; offset < bytes.byteLength; offset += 16_384) {
            pulled += 1;
            yield bytes.subarray(offset, offset + 16_384);
          }
        } finally {
          closed = true;
        }
      })();
    const sniffed = await sniffCsvFile(open);
    expect(sniffed.sampleRecords).toHaveLength(20);
    expect(pulled).toBeLessThan(20);
    expect(closed).toBe(true);
  });
});

describe("readCsvRecords", () => {
  it("keeps quoted line breaks and numbers records by the physical line they start on", async () => {
    const records = await readAll(openFile(fixture("quoted-newlines.csv")), { encoding: "utf-8", delimiter: "," });
    expect(records.map((record) => record.line)).toEqual([2, 4, 7, 9]);
    expect(valuesOf(records).map((values) => (values as string[])[4])).toEqual([
      "Bitte klingeln,\nHinterhaus",
      "first line\r\nsecond line\r\nthird line",
      'He said "hi"',
      "plain",
    ]);
    expect((valuesOf(records)[1] as string[])[3]).toBe("Becker, Bernd");
  });

  it("gives the same records, lines and byte offsets whatever the chunk size", async () => {
    for (const [name, encoding, delimiter] of [
      ["quoted-newlines.csv", "utf-8", ","],
      ["utf8-bom-english.csv", "utf-8", ","],
      ["windows-1252-german.csv", "windows-1252", ";"],
      ["semicolon-german.csv", "utf-8", ";"],
      ["shopify-orders-export.csv", "utf-8", ","],
    ] as const) {
      const whole = await readAll(openFile(fixture(name)), { encoding, delimiter });
      expect(whole.length).toBeGreaterThan(2);
      for (const chunkSize of [1, 2, 3, 7, 1000]) {
        expect({ name, chunkSize, records: await readAll(openFile(fixture(name), chunkSize), { encoding, delimiter }) }).toEqual({ name, chunkSize, records: whole });
      }
    }
  });

  it("ends each record at a byte offset where the next one starts, the last at the end of the file", async () => {
    for (const [name, encoding, delimiter] of [
      ["quoted-newlines.csv", "utf-8", ","],
      ["utf8-bom-english.csv", "utf-8", ","],
      ["windows-1252-german.csv", "windows-1252", ";"],
      ["shopify-orders-export.csv", "utf-8", ","],
    ] as const) {
      const file = fixture(name);
      const bytes = readFileSync(file);
      const records = await readAll(openFile(file), { encoding, delimiter });
      expect(records.at(-1)!.endByte).toBe(statSync(file).size);
      // Reading only the bytes up to a record's end gives the records up to it, unchanged.
      for (const [index, record] of records.entries()) {
        const upTo = await readAll(openBytes(bytes.subarray(0, record.endByte)), { encoding, delimiter });
        expect(upTo).toEqual(records.slice(0, index + 1));
      }
    }
  });

  it("skips blank lines and rows of empty fields but keeps counting lines", async () => {
    const text = "Order,Total\n\n1,10\n,\n  ,  \n\r\n2,20\n";
    const records = await readAll(openBytes(Buffer.from(text)), { encoding: "utf-8", delimiter: "," });
    expect(records.map((record) => [record.line, "values" in record ? record.values : record.error])).toEqual([
      [3, ["1", "10"]],
      [7, ["2", "20"]],
    ]);
  });

  it("reads files with mixed line ends", async () => {
    const text = "Order,Total\r\n1,10\n2,20\r3,30\r\n";
    const records = await readAll(openBytes(Buffer.from(text)), { encoding: "utf-8", delimiter: "," });
    expect(records.map((record) => [record.line, "values" in record && record.values[0]])).toEqual([
      [2, "1"],
      [3, "2"],
      [4, "3"],
    ]);
  });

  it("makes a record with the wrong number of fields an error record and reads on", async () => {
    const text = 'Order,Date,Total,\n1,2024-03-05,10\n2,2024-03-06\n3,2024-03-07,30,,\n4,2024-03-08 ("Mittag"),40\n5,2024-03-09,50\n';
    const records = await readAll(openBytes(Buffer.from(text)), { encoding: "utf-8", delimiter: "," });
    expect(records.map((record) => [record.line, "values" in record ? record.values : record.error])).toEqual([
      // The header's trailing delimiter makes no column; trailing empty fields are no extra values.
      [2, ["1", "2024-03-05", "10"]],
      [3, "the line has 2 fields, the header has 3 (a delimiter or quote may be missing or extra)"],
      [4, ["3", "2024-03-07", "30"]],
      // Quotes in the middle of a field are text.
      [5, ["4", '2024-03-08 ("Mittag")', "40"]],
      [6, ["5", "2024-03-09", "50"]],
    ]);
  });

  it("reports a quote that is never closed at the line it opens on", async () => {
    const file = fixture("unclosed-quote.csv");
    const records = await readAll(openFile(file), { encoding: "utf-8", delimiter: "," });
    expect(records).toEqual([
      { line: 2, values: ["U-1", "2024-03-05", "u1@example.com", "10.00"], endByte: Buffer.byteLength("Order Number,Order Date,Email,Order Total\nU-1,2024-03-05,u1@example.com,10.00\n") },
      { line: 3, error: "a quote opened on this line is never closed", endByte: statSync(file).size },
    ]);
  });

  it("stops with one error record when a record grows past 1 MB", async () => {
    const text = `Order,Note\n1,ok\n2,"never closed ${"x".repeat(2 * 1024 * 1024)}\n3,late\n`;
    const records = await readAll(openBytes(Buffer.from(text)), { encoding: "utf-8", delimiter: "," });
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ line: 2, values: ["1", "ok"] });
    expect(records[1]).toMatchObject({ line: 3, error: expect.stringContaining("larger than 1 MB") });
  });

  it("streams: yields batches of about 500 while the file is still being read, and closes it when the reader stops", async () => {
    const bytes = Buffer.from(shopifyOrdersExportText({ orders: 3000, seed: 11 }));
    const chunks = Math.ceil(bytes.byteLength / 65_536);
    let pulled = 0;
    let closed = false;
    const source = (async function* () {
      try {
        for (let offset = 0; offset < bytes.byteLength; offset += 65_536) {
          pulled += 1;
          yield bytes.subarray(offset, offset + 65_536);
        }
      } finally {
        closed = true;
      }
    })();
    const sizes: number[] = [];
    for await (const batch of readCsvRecords(source, { encoding: "utf-8", delimiter: "," })) {
      sizes.push(batch.length);
      if (sizes.length === 1) expect(pulled).toBeLessThan(chunks);
      if (sizes.length === 3) break;
    }
    expect(sizes.every((size) => size >= 500 && size < 700)).toBe(true);
    expect(closed).toBe(true);
  });

  it("cuts one huge chunk into batches too", async () => {
    const bytes = Buffer.from(shopifyOrdersExportText({ orders: 3000, seed: 12 }));
    const sizes: number[] = [];
    for await (const batch of readCsvRecords(openBytesOnce(bytes), { encoding: "utf-8", delimiter: "," })) sizes.push(batch.length);
    expect(sizes.length).toBeGreaterThan(5);
    expect(Math.max(...sizes)).toBeLessThan(700);
  });
});

function openBytesOnce(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  return (async function* () {
    yield bytes;
  })();
}

describe("reading and assembling the fixtures", () => {
  it("imports the BOM file with its Cyrillic and umlaut names", async () => {
    const { orders, problems, mapping } = await importFile(openFile(fixture("utf8-bom-english.csv")));
    expect(problems).toEqual([]);
    expect(mapping.dateOrder).toBe("YMD");
    expect(orders.map(({ order }) => [order.number, order.customer?.firstName, order.customer?.lastName, order.totalMinor, order.shippingAddress?.countryCode])).toEqual([
      ["A-1001", "Jürgen", "Müller", 2580n, "DE"],
      ["A-1002", "Zoë", "Weiß", 4900n, "DE"],
      ["A-1003", "Ольга", "Петрова", 5550n, "AT"],
    ]);
  });

  it("imports the Windows-1252 file: semicolons, decimal commas with € signs, DD.MM.YYYY, street and house number", async () => {
    const { orders, problems, mapping } = await importFile(openFile(fixture("windows-1252-german.csv")));
    expect(problems).toEqual([]);
    expect(mapping).toMatchObject({ dateOrder: "DMY", decimalSeparator: ",", defaultCurrency: "EUR" });
    expect(orders.map(({ order }) => [order.number, order.placedAt.toISOString().slice(0, 10), order.totalMinor, order.currency, order.shippingAddress?.line1, order.shippingAddress?.countryCode, order.lineItems[0]!.title])).toEqual([
      ["10001", "2024-03-05", 700n, "EUR", "Schloßstraße 4", "DE", "Grußkarte „Danke“"],
      ["10002", "2024-03-13", 123456n, "EUR", "Bahnhofstraße 12a", "DE", "Kalender – Wand"],
      ["10003", "2024-03-21", 2070n, "EUR", "Kärntner Straße 1", "AT", "Siegelwachs™ Rot"],
    ]);
  });

  it("imports the German semicolon file: multi-line orders, statuses, customer numbers, currencies", async () => {
    const { orders, problems } = await importFile(openFile(fixture("semicolon-german.csv")));
    expect(problems).toEqual([]);
    expect(
      orders.map(({ order, firstLine, lastLine }) => ({
        number: order.number,
        lines: [firstLine, lastLine],
        placedAt: order.placedAt.toISOString(),
        total: order.totalMinor,
        currency: order.currency,
        items: order.lineItems.map((item) => `${item.quantity}× ${item.title} à ${item.unitPriceMinor}`),
        financial: order.financialState,
        cancelled: order.cancelledAt !== null,
        customer: [order.customer?.sourceId, order.customer?.company, order.customer?.language],
        country: order.shippingAddress?.countryCode,
      })),
    ).toEqual([
      { number: "B-2001", lines: [2, 3], placedAt: "2024-03-05T14:22:00.000Z", total: 3070n, currency: "EUR", items: ["2× Notizbuch A5 à 1290", "1× Tinte, blau à 490"], financial: "PAID", cancelled: false, customer: ["K-501", null, "de"], country: "DE" },
      { number: "B-2002", lines: [4, 4], placedAt: "2024-03-06T09:05:00.000Z", total: 123450n, currency: "EUR", items: ["1× Kalender 2025 à 123450"], financial: "UNKNOWN", cancelled: true, customer: ["K-502", "Büro Süd GmbH", "de"], country: "DE" },
      { number: "B-2003", lines: [5, 5], placedAt: "2024-03-07T00:00:00.000Z", total: 5550n, currency: "CHF", items: ["3× Briefpapier à 1850"], financial: "PARTIALLY_REFUNDED", cancelled: false, customer: ["mia.wagner@example.ch", null, "de-CH"], country: "CH" },
    ]);
  });

  it("imports each of the date formats of a day-first file", async () => {
    const { orders, problems, mapping } = await importFile(openFile(fixture("date-formats.csv")));
    expect(problems).toEqual([]);
    expect(mapping.dateOrder).toBe("DMY");
    expect(orders.map(({ order }) => [order.number, order.placedAt.toISOString()])).toEqual([
      ["D-1", "2024-03-05T00:00:00.000Z"],
      ["D-2", "2024-03-05T14:22:10.000Z"],
      ["D-3", "2024-03-05T13:22:10.250Z"],
      ["D-4", "2024-03-05T13:22:10.000Z"],
      ["D-5", "2024-03-05T00:00:00.000Z"],
      ["D-6", "2024-03-05T14:22:00.000Z"],
      ["D-7", "2024-03-05T00:00:00.000Z"],
      ["D-8", "2024-03-13T00:00:00.000Z"],
      ["D-9", "2024-03-05T00:00:00.000Z"],
      ["D-10", "2024-03-05T00:00:00.000Z"],
      ["D-11", "2024-03-05T14:22:00.000Z"],
      ["D-12", "2024-03-05T00:00:00.000Z"],
    ]);
  });

  it("imports a Shopify orders export: one order per run of rows, totals and line counts as generated", async () => {
    const file = fixture("shopify-orders-export.csv");
    const generated = shopifyOrdersExport({ orders: 12, seed: 42 });
    // The fixture is the generator's output, so the generator's record of it is the truth.
    expect(readFileSync(file, "utf8")).toBe(generated.text);
    const { orders, problems } = await importFile(openFile(file));
    expect(problems).toEqual([]);
    expect(orders.map(({ order }) => [order.sourceId, order.number, order.email, order.totalMinor, order.lineItems.length, order.cancelledAt !== null])).toEqual(
      generated.orders.map((order) => [order.id, order.name, order.email.toLowerCase(), order.totalMinor, order.lines, order.cancelled]),
    );
    // Line numbers are physical lines, quoted line breaks in Notes included.
    const physicalLines = generated.text.split("\n");
    for (const { order, firstLine, lastLine } of orders) {
      expect(physicalLines[firstLine - 1]!.startsWith(`${order.number},`)).toBe(true);
      expect(physicalLines[lastLine - 1]!.startsWith(`${order.number},`) || physicalLines[lastLine - 2]!.startsWith(`${order.number},`)).toBe(true);
    }
    expect(generated.text).toMatch(/"[^"]*\n[^"]*"/);
  });

  it("reports every row of a file where every row is bad, and imports nothing", async () => {
    const { orders, problems } = await importFile(openFile(fixture("all-rows-bad.csv")));
    expect(orders).toEqual([]);
    expect(problems).toEqual([
      { line: 2, column: "Order Date", reason: 'not a date (expected e.g. DD.MM.YYYY): "31.02.2024"' },
      { line: 3, column: "Email", reason: 'not an e-mail address: "not-an-email"' },
      { line: 4, column: "Total", reason: 'not an amount: "twelve"' },
      { line: 5, column: "Order Number", reason: "no order number or order ID" },
      { line: 6, column: "Email", reason: "no customer e-mail address or customer number" },
      { line: 7, column: "Quantity", reason: 'not a whole number of items: "1.5"' },
      { line: 8, column: null, reason: "the line has 6 fields, the header has 7 (a delimiter or quote may be missing or extra)" },
      { line: 9, column: "Order Date", reason: "no order date" },
    ]);
  });

  it("imports the good rows of a file with some bad ones and lists the rest", async () => {
    const { orders, problems, sniffed, mapping } = await importFile(openFile(fixture("some-rows-bad.csv")));
    expect(checkCsvMapping(mapping, sniffed.headers.length)).toEqual([]);
    expect(orders.map(({ order }) => [order.number, order.totalMinor])).toEqual([
      ["S-1", 1290n],
      ["S-3", 2490n],
      ["S-5", 1380n],
    ]);
    expect(problems).toEqual([
      { line: 3, column: null, reason: "skipped: line 4 of the same order has a problem" },
      { line: 4, column: "Quantity", reason: 'not a quantity: "zwei"' },
      { line: 5, column: null, reason: "skipped: line 4 of the same order has a problem" },
      { line: 7, column: "Order Date", reason: 'not a date (expected e.g. YYYY-MM-DD): "2024-13-07"' },
    ]);
  });

  it("gives the same orders and problems on a second read of the same file", async () => {
    const first = await importFile(openFile(fixture("some-rows-bad.csv")));
    const second = await importFile(openFile(fixture("some-rows-bad.csv"), 5));
    expect(second.orders).toEqual(first.orders);
    expect(second.problems).toEqual(first.problems);
  });
});

describe("the demo's sample files", () => {
  const SAMPLES = path.resolve(__dirname, "../../../public/samples");

  it.each([
    ["shopify-orders-export.csv", "utf-8", ",", 40],
    ["bestellungen-de.csv", "windows-1252", ";", 26],
    ["customers-orders-simple.csv", "utf-8", ",", 20],
  ] as const)("%s imports completely (%s, %j, %i orders)", async (name, encoding, delimiter, orderCount) => {
    const { sniffed, mapping, orders, problems } = await importFile(openFile(path.join(SAMPLES, name)));
    expect(sniffed).toMatchObject({ encoding, delimiter });
    expect(checkCsvMapping(mapping, sniffed.headers.length)).toEqual([]);
    expect(problems).toEqual([]);
    expect(orders).toHaveLength(orderCount);
    // Every order has a customer and at least one item with a title.
    for (const { order } of orders) {
      expect(order.customer?.email).toMatch(/@example\.[a-z]+$/);
      expect(order.lineItems.length).toBeGreaterThan(0);
      expect(order.lineItems.every((item) => item.title !== "")).toBe(true);
    }
  });

  it("reads the German sample's umlauts, decimal commas, Swiss francs and cancellation", async () => {
    const { orders, mapping } = await importFile(openFile(path.join(SAMPLES, "bestellungen-de.csv")));
    expect(mapping).toMatchObject({ dateOrder: "DMY", decimalSeparator: "," });
    const names = new Set(orders.map(({ order }) => `${order.customer?.firstName} ${order.customer?.lastName}`));
    expect(names).toContain("Käthe Groß");
    expect(orders.some(({ order }) => order.currency === "CHF" && order.shippingAddress?.countryCode === "CH")).toBe(true);
    expect(orders.find(({ order }) => order.number === "2025-10012")!.order.cancelledAt).not.toBeNull();
    expect(orders.flatMap(({ order }) => order.lineItems.map((item) => item.title))).toContain("Postkarten-Set „Herbst“");
  });
});
