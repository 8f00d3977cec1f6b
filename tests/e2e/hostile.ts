// Hostile files, made on the spot: issue 19's attacks on the readers, each a file an admin could
// upload. No binary fixtures, so that what each file is (and why it is hostile) is read here.
//
// The PDFs are written byte by byte (objects, xref, trailer) because no PDF library will write a
// page 1e300 units wide or a stream built to inflate to a gigabyte; the zips likewise, because
// the zip bomb's directory has to lie.
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';

export interface HostileFile {
  /** A short name for tables and test titles. */
  name: string;
  filename: string;
  bytes: Buffer;
  /** What A's refusal must say: words of the reason, not the whole sentence. */
  reason: RegExp;
}

// -----------------------------------------------------------------------------------------------
// PDF

type PdfObject = string | Buffer;

/** A stream object's text: its dictionary (given the stream's length) and its bytes. */
function stream(dictionary: string, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`<< ${dictionary} /Length ${bytes.byteLength} >>\nstream\n`, 'latin1'), bytes, Buffer.from('\nendstream', 'latin1')]);
}

/**
 * A whole PDF of `objects` (object 1 is the catalog), with an xref whose offsets are right: a
 * reader that has to repair the file first would test its repair, not the attack.
 */
function pdfOf(objects: PdfObject[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0]!.byteLength;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    const bytes = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'latin1') : body, Buffer.from('\nendobj\n', 'latin1')]);
    offsets.push(at);
    parts.push(bytes);
    at += bytes.byteLength;
  });
  const xref = ['xref', `0 ${objects.length + 1}`, '0000000000 65535 f ', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `)].join('\n');
  parts.push(Buffer.from(`${xref}\ntrailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';

const LINES = [
  'The harbour council met on Tuesday and approved the new quay.',
  'The debate about the fishing fleet went on late into the evening.',
  'The mayor said the quay would be finished before the winter storms.',
  'The fishermen applauded, and the council adjourned until spring.',
];

/** A page's content: the lines of an ordinary article, in Helvetica. */
function textContent(lines = LINES): Buffer {
  return Buffer.from(`BT /F1 11 Tf 14 TL 72 720 Td\n${lines.map((line) => `(${line}) '`).join('\n')}\nET`, 'latin1');
}

/**
 * (a) 1.9 KB, one page whose MediaBox is 1e300 units wide: the layout's gutter search stepped
 * across it by 2 units, which never ends once `x + 2 == x`. The width is written out in digits,
 * as PDF numbers have no exponent.
 */
export function widePagePdf(): HostileFile {
  const width = `1${'0'.repeat(300)}`;
  const lines = [...LINES, ...LINES, ...LINES, ...LINES.slice(0, 3)];
  const bytes = pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>`,
    HELVETICA,
    stream('', textContent(lines)),
  ]);
  return { name: '1e300-wide page (PDF)', filename: 'wide-page.pdf', bytes, reason: /has a page of 1\.0e\+300 × 792 units/ };
}

/** `total` bytes of zeros, raw-deflated at level 9 without ever holding them: one flushed piece repeated. */
function deflatedZeros(total: number): Buffer {
  const PIECE = 16 * 1024 * 1024;
  // A full flush ends the piece on a byte boundary with no reference back into it, so copies of it
  // can follow each other; the final empty block closes the stream.
  const piece = deflateRawSync(Buffer.alloc(PIECE), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const pieces = Math.ceil(total / PIECE);
  return Buffer.concat([...Array.from({ length: pieces }, () => piece), deflateRawSync(Buffer.alloc(0))]);
}

/** Adler-32 of `length` zero bytes: a = 1, b = length (mod 65521). */
function adler32OfZeros(length: number): number {
  return (((length % 65521) << 16) | 1) >>> 0;
}

/** A zlib stream (what FlateDecode is) of `total` zeros. */
function zlibZeros(total: number): Buffer {
  const total16 = Math.ceil(total / (16 * 1024 * 1024)) * 16 * 1024 * 1024;
  const check = Buffer.alloc(4);
  check.writeUInt32BE(adler32OfZeros(total16));
  return Buffer.concat([Buffer.from([0x78, 0xda]), deflatedZeros(total16), check]);
}

/**
 * (b) A flate bomb of about 1 MB: a page of ordinary text, and a metadata stream of zeros that
 * inflates to 900 MiB, which pdf.js decodes whole (into buffers outside the JavaScript heap) when
 * the document's metadata is read.
 */
export function flateBombPdf(inflated = 900 * 1024 * 1024): HostileFile {
  const bytes = pdfOf([
    '<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    HELVETICA,
    stream('', textContent()),
    stream('/Type /Metadata /Subtype /XML /Filter /FlateDecode', zlibZeros(inflated)),
  ]);
  return { name: 'flate bomb (PDF)', filename: 'flate-bomb.pdf', bytes, reason: /needs more than \d+ MB of memory/ };
}

/**
 * (b″) A flate bomb of 8 GiB in 14 KB: the zeros' zlib stream is itself made of repeated
 * pieces, so deflating it again packs it a thousand times smaller, and the metadata stream is
 * declared with FlateDecode twice. A limit on the file's size says nothing of what it unpacks to.
 */
export function doubleFlateBombPdf(inflated = 8 * 1024 ** 3): HostileFile {
  const bytes = pdfOf([
    '<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    HELVETICA,
    stream('', textContent()),
    stream('/Type /Metadata /Subtype /XML /Filter [/FlateDecode /FlateDecode]', deflateSync(zlibZeros(inflated), { level: 9 })),
  ]);
  return { name: 'flate bomb, deflated twice (PDF)', filename: 'double-flate-bomb.pdf', bytes, reason: /needs more than \d+ MB of memory/ };
}

/**
 * (b′) The same bomb as the page's own content stream, which pdf.js decodes as it parses the
 * page's operators (zeros are white space to it).
 */
export function contentBombPdf(inflated = 900 * 1024 * 1024): HostileFile {
  const bytes = pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    HELVETICA,
    stream('/Filter /FlateDecode', zlibZeros(inflated)),
  ]);
  return { name: 'flate bomb in the page (PDF)', filename: 'content-bomb.pdf', bytes, reason: /needs more than \d+ MB of memory|took more than \d+ s to read/ };
}

/**
 * (f) A PDF that takes longer than any deadline: form XObjects nested `depth` deep, each showing
 * one letter and then drawing the next level twice, so the page draws 2^depth letters. The letter
 * keeps pdf.js from remembering a form as empty and skipping it the second time; each drawing
 * costs pdf.js a round of promises, so the work is time, not memory.
 */
export function slowPdf(depth = 40, filename = 'slow.pdf'): HostileFile {
  const FIRST_FORM = 6;
  const forms = Array.from({ length: depth }, (_, level) => {
    const next = level + 1 < depth ? `/XObject << /X ${FIRST_FORM + level + 1} 0 R >>` : '';
    const body = `BT /F1 1 Tf (a) Tj ET${next ? ' /X Do /X Do' : ''}`;
    return stream(`/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> ${next} >>`, Buffer.from(body, 'latin1'));
  });
  const bytes = pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> /XObject << /X ${FIRST_FORM} 0 R >> >> /Contents 5 0 R >>`,
    HELVETICA,
    stream('', Buffer.concat([textContent(), Buffer.from('\n/X Do', 'latin1')])),
    ...forms,
  ]);
  return { name: 'PDF that never finishes', filename, bytes, reason: /took more than \d+ s to read/ };
}

// -----------------------------------------------------------------------------------------------
// Zip and Word

interface ZipEntry {
  name: string;
  /** The raw-deflated bytes as stored. */
  packed: Buffer;
  /** What the zip says the file unpacks to, and its CRC: the truth, or a lie. */
  size: number;
  crc: number;
}

function deflated(name: string, text: string | Buffer): ZipEntry {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return { name, packed: deflateRawSync(bytes, { level: 9 }), size: bytes.byteLength, crc: crc32(bytes) };
}

/** A zip of `entries`, every one deflated, with local headers and a central directory saying what the entries say. */
function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let at = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.packed.byteLength, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.byteLength, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc >>> 0, 16);
    central.writeUInt32LE(entry.packed.byteLength, 20);
    central.writeUInt32LE(entry.size, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt32LE(at, 42);
    locals.push(local, name, entry.packed);
    directory.push(central, name);
    at += 30 + name.byteLength + entry.packed.byteLength;
  }
  const dir = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.byteLength, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([...locals, dir, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;

const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A Word document's XML around `body` (its paragraphs). */
function documentXml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`;
}

/** A paragraph of Word XML. */
const paragraph = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;

/**
 * (c) A lying zip bomb of about 1 MB: a Word document whose directory says word/document.xml
 * unpacks to 2 KB, while it inflates to 900 MiB (an ordinary paragraph, then zeros). Trusting the
 * declared size, or inflating everything before counting, fills the memory.
 */
export function zipBombDocx(inflated = 900 * 1024 * 1024): HostileFile {
  const head = deflateRawSync(Buffer.from(documentXml(paragraph(LINES[0]!)).replace('</w:body></w:document>', ''), 'utf8'), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const packed = Buffer.concat([head, deflatedZeros(inflated)]);
  const bytes = zipOf([deflated('[Content_Types].xml', CONTENT_TYPES), deflated('_rels/.rels', RELS), { name: 'word/document.xml', packed, size: 2048, crc: 0x1234_5678 }]);
  return { name: 'lying zip bomb (.docx)', filename: 'zip-bomb.docx', bytes, reason: /unpacks to more than \d+ MB/ };
}

/**
 * (e) A .docx of 100,000 short paragraphs (about 290 KB): mammoth, then the article's analysis,
 * took a minute and 3.7 GB on it. Each paragraph differs, as the lines of minutes would.
 */
export function manyParagraphsDocx(paragraphs = 100_000): HostileFile {
  const body = Array.from({ length: paragraphs }, (_, i) => paragraph(`Line ${i + 1} of the minutes.`)).join('');
  const bytes = zipOf([deflated('[Content_Types].xml', CONTENT_TYPES), deflated('_rels/.rels', RELS), deflated('word/document.xml', documentXml(body))]);
  return { name: '100,000 paragraphs (.docx)', filename: 'many-paragraphs.docx', bytes, reason: /has more than 5,000 paragraphs/ };
}

// -----------------------------------------------------------------------------------------------
// HTML

/** (d) 45,000 nested divs (495 KB): Readability overflowed its stack on it after a minute. */
export function nestedDivsHtml(depth = 45_000): HostileFile {
  const html = `${'<div>'.repeat(depth)}${LINES[0]}${'</div>'.repeat(depth)}`;
  return { name: '45,000 nested divs (HTML)', filename: 'nested.html', bytes: Buffer.from(html, 'utf8'), reason: /nests its elements more than 128 deep/ };
}

/** (d′) 199,000 divs never closed (995 KB): the parser nests each in the one before. */
export function unclosedDivsHtml(count = 199_000): HostileFile {
  const html = `${'<div>'.repeat(count)}${LINES[0]}`;
  return { name: '199,000 unclosed divs (HTML)', filename: 'unclosed.html', bytes: Buffer.from(html, 'utf8'), reason: /nests its elements more than 128 deep/ };
}

/** Every hostile file of the issue's bar, in its order; the slow PDF last. */
export function hostileFiles(): HostileFile[] {
  return [widePagePdf(), flateBombPdf(), doubleFlateBombPdf(), zipBombDocx(), nestedDivsHtml(), unclosedDivsHtml(), manyParagraphsDocx(), slowPdf()];
}
