import { fileURLToPath } from "node:url";
import { Document, Font, Page, Path, StyleSheet, Svg, Text, View, renderToBuffer, type Styles } from "@react-pdf/renderer";
import QRCode from "qrcode";
import type { ReactNode } from "react";

/**
 * The demo shop's letters as PDFs, "exactly as sent": a plain DIN 5008 form B page (A4) with
 * the return-address line, the recipient's address block, the date, the design's text with its
 * merge fields filled in, the discount code and the QR code with its URL written out.
 *
 * Names in the demo go beyond Latin-1 (Polish, Turkish, Cyrillic), which the PDF standard fonts
 * cannot show, so the letters use DejaVu Sans from app/demo/fonts (licence beside it). It is read
 * from disk: rendering never touches the network.
 */

export type DemoLetterAddress = {
  name: string;
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
  city: string | null;
  region: string | null;
  countryCode: string | null;
};

export type DemoLetterSender = {
  name: string;
  company: string | null;
  line1: string;
  postalCode: string;
  city: string;
  countryCode: string;
};

/** Everything printed on one letter, already in its language. */
export type DemoLetterContent = {
  /** "de", "en" or "fr"; other languages get the English labels. */
  language: string;
  sender: DemoLetterSender;
  recipient: DemoLetterAddress;
  /** When the letter was rendered; printed as its date. */
  date: Date;
  timeZone: string;
  title: string;
  paragraphs: string[];
  discountCode: string | null;
  qrUrl: string;
};

const FONT_FAMILY = "DejaVu Sans";
const FONT_FILE = fileURLToPath(new URL("./fonts/DejaVuSans.ttf", import.meta.url));
let fontRegistered = false;

/** React-PDF's font registry is process-wide; registering once lets every render reuse the parsed font. */
function registerFont() {
  if (fontRegistered) return;
  Font.register({ family: FONT_FAMILY, src: FONT_FILE });
  fontRegistered = true;
}

// React-PDF hyphenates with English rules by default; names, codes and URLs must stay whole and
// German words are better moved to the next line than split wrongly. Set per text, not
// registered globally, so other documents in the process keep their own setting.
const wholeWords = (word: string) => [word];

/** Text that wraps between words only. */
function Words({ style, children }: { style: Styles[string]; children: ReactNode }) {
  return (
    <Text hyphenationCallback={wholeWords} style={style}>
      {children}
    </Text>
  );
}

const LABELS: Record<string, { discount: string; qr: string }> = {
  de: { discount: "Gutscheincode", qr: "Scannen oder im Browser öffnen:" },
  en: { discount: "Discount code", qr: "Scan or open in your browser:" },
  fr: { discount: "Code de réduction", qr: "Scannez ou ouvrez dans votre navigateur :" },
};

// ---------------------------------------------------------------- components

const pageStyles = StyleSheet.create({
  page: { fontFamily: FONT_FAMILY, fontSize: 10.5, lineHeight: 1.45, paddingTop: 45, paddingBottom: 60, paddingLeft: 71, paddingRight: 57, color: "#1a1a1a" },
});

export function DemoLetterDocument({ content }: { content: DemoLetterContent }) {
  return (
    <Document
      title={content.title}
      author={content.sender.name}
      creator="LetterLoop"
      producer="LetterLoop"
      language={content.language}
      // Fixed to the letter's date so the same letter always gives the same bytes.
      creationDate={content.date}
    >
      <Page size="A4" style={pageStyles.page}>
        <Letterhead sender={content.sender} />
        <AddressField sender={content.sender} recipient={content.recipient} />
        <DateLine city={content.sender.city} date={content.date} language={content.language} timeZone={content.timeZone} />
        <Body paragraphs={content.paragraphs} />
        {content.discountCode ? <DiscountCode code={content.discountCode} language={content.language} /> : null}
        <QrBlock url={content.qrUrl} language={content.language} />
      </Page>
    </Document>
  );
}

const letterheadStyles = StyleSheet.create({
  letterhead: { height: 60, alignItems: "flex-end" },
  name: { fontSize: 15, letterSpacing: 0.4 },
  company: { fontSize: 8, color: "#666666", marginTop: 2 },
});

function Letterhead({ sender }: { sender: DemoLetterSender }) {
  return (
    <View style={letterheadStyles.letterhead}>
      <Words style={letterheadStyles.name}>{sender.name}</Words>
      {sender.company ? <Words style={letterheadStyles.company}>{sender.company}</Words> : null}
    </View>
  );
}

// DIN 5008 form B: the address field starts 45 mm from the top, 20 mm from the left edge, 85 × 45 mm,
// its text 5 mm further in (in line with the body's 25 mm margin).
const addressStyles = StyleSheet.create({
  field: { position: "absolute", top: 128, left: 57, width: 241, height: 128, paddingLeft: 14 },
  returnLine: { fontSize: 7, color: "#555555", borderBottomWidth: 0.5, borderBottomColor: "#999999", marginBottom: 6, paddingBottom: 1 },
  line: { fontSize: 10.5 },
});

function AddressField({ sender, recipient }: { sender: DemoLetterSender; recipient: DemoLetterAddress }) {
  const returnLine = [sender.name, sender.line1, `${sender.postalCode} ${sender.city}`].join(" · ");
  return (
    <View style={addressStyles.field}>
      <Words style={addressStyles.returnLine}>{returnLine}</Words>
      {addressLines(recipient, sender.countryCode).map((line, index) => (
        <Words key={index} style={addressStyles.line}>
          {line}
        </Words>
      ))}
    </View>
  );
}

const dateStyles = StyleSheet.create({
  date: { marginTop: 205, marginBottom: 24, textAlign: "right" },
});

function DateLine({ city, date, language, timeZone }: { city: string; date: Date; language: string; timeZone: string }) {
  return <Words style={dateStyles.date}>{`${city}, ${dateFormat(language, timeZone).format(date)}`}</Words>;
}

const bodyStyles = StyleSheet.create({
  paragraph: { marginBottom: 10 },
});

function Body({ paragraphs }: { paragraphs: string[] }) {
  return (
    <View>
      {paragraphs.map((text, index) => (
        <Words key={index} style={bodyStyles.paragraph}>
          {text}
        </Words>
      ))}
    </View>
  );
}

const discountStyles = StyleSheet.create({
  box: { marginTop: 8, alignSelf: "flex-start", borderWidth: 1, borderColor: "#b4442c", borderRadius: 3, paddingVertical: 6, paddingHorizontal: 12 },
  label: { fontSize: 8, color: "#b4442c" },
  code: { fontSize: 13, letterSpacing: 1 },
});

function DiscountCode({ code, language }: { code: string; language: string }) {
  return (
    <View style={discountStyles.box}>
      <Words style={discountStyles.label}>{labelsFor(language).discount}</Words>
      <Words style={discountStyles.code}>{code}</Words>
    </View>
  );
}

const qrStyles = StyleSheet.create({
  block: { position: "absolute", bottom: 45, left: 71, right: 57, flexDirection: "row", alignItems: "center" },
  code: { width: 72, height: 72, marginRight: 12 },
  caption: { fontSize: 8, color: "#555555" },
  url: { fontSize: 8.5 },
});

function QrBlock({ url, language }: { url: string; language: string }) {
  const { size, path } = qrPath(url);
  return (
    <View style={qrStyles.block}>
      <Svg viewBox={`0 0 ${size} ${size}`} style={qrStyles.code}>
        <Path d={path} fill="#000000" />
      </Svg>
      <View>
        <Words style={qrStyles.caption}>{labelsFor(language).qr}</Words>
        <Words style={qrStyles.url}>{url}</Words>
      </View>
    </View>
  );
}

// ---------------------------------------------------------------- helpers

// Formatters are costly to create and the same for most letters.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(language: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone })));
  return format;
}
const countryNames = new Intl.DisplayNames(["de"], { type: "region" });

function labelsFor(language: string) {
  return LABELS[language.split("-")[0] ?? ""] ?? LABELS.en!;
}

/** The address block's lines; the country only for mail abroad, in capitals as the post wants it. */
function addressLines(address: DemoLetterAddress, senderCountry: string): string[] {
  const place = [address.postalCode, address.city, address.region].filter(Boolean).join(" ");
  const abroad = address.countryCode && address.countryCode !== senderCountry;
  const country = abroad ? countryNames.of(address.countryCode!)?.toLocaleUpperCase("de") : null;
  return [address.name, address.line1, address.line2, place, country].filter((line): line is string => Boolean(line));
}

/** The QR code as one vector path (runs of dark modules as rectangles) with a 4-module quiet zone. */
function qrPath(url: string): { size: number; path: string } {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
  const quiet = 4;
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let column = 0;
    while (column < modules.size) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      let run = 1;
      while (column + run < modules.size && modules.get(row, column + run)) run++;
      parts.push(`M${column + quiet} ${row + quiet}h${run}v1h-${run}z`);
      column += run;
    }
  }
  return { size: modules.size + 2 * quiet, path: parts.join("") };
}

/** Page objects in a PDF written by React-PDF (no object streams, so the dictionaries are plain text). */
export function countPdfPages(bytes: Uint8Array): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1").match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
}

/** Renders one letter to PDF bytes. */
export async function renderDemoLetterPdf(content: DemoLetterContent): Promise<Buffer> {
  registerFont();
  await giveGlyphsTheirCodePoints(printedText(content));
  return renderToBuffer(<DemoLetterDocument content={content} />);
}

/** Every character the letter prints (and a few more: the check below only needs a superset). */
function printedText(content: DemoLetterContent): string {
  const labels = labelsFor(content.language);
  return [
    JSON.stringify({ ...content, date: null }),
    dateFormat(content.language, content.timeZone).format(content.date),
    labels.discount,
    labels.qr,
    addressLines(content.recipient, content.sender.countryCode).join(""),
    " ·",
  ].join("");
}

type GlyphLookup = { glyphForCodePoint(codePoint: number): { id: number; codePoints: number[] } | null };

/**
 * fontkit keeps one glyph object per glyph id, with the code points it was first made with.
 * Subsetting an accented letter ("î") makes its components ("ı") without any, so a later letter
 * printing "ı" itself would get no ToUnicode entry for it: it looks right, but its text reads
 * "Y lmaz" when copied or searched (https://github.com/foliojs/fontkit/issues/154). Looking every
 * character up by its code point before rendering makes (or repairs) those glyphs first; a glyph
 * that has its code points keeps them, whatever another render subsets later.
 */
async function giveGlyphsTheirCodePoints(text: string) {
  const source = Font.getFont({ fontFamily: FONT_FAMILY });
  await source.load();
  const font = source.data as unknown as GlyphLookup;
  for (const character of new Set(text)) {
    const codePoint = character.codePointAt(0)!;
    const glyph = font.glyphForCodePoint(codePoint);
    // Glyph 0 stands for characters the font lacks; it must not claim any of them.
    if (glyph && glyph.id !== 0 && glyph.codePoints.length === 0) glyph.codePoints = [codePoint];
  }
}
