// PDFs made for the tests with pdfkit, laid out as journals and reports are: pages of one or two
// columns, a running header and a footer with the page number, paragraphs marked by an indent,
// words hyphenated at line ends, footnotes in smaller type at the page bottom.
import PDFDocument from 'pdfkit';

/** One line as placed on the page: text, position (points from the top left), size. */
export interface Placed {
  text: string;
  x: number;
  y: number;
  size?: number;
}

export interface PdfPage {
  lines: Placed[];
}

export interface PdfSpec {
  pages: PdfPage[];
  /** The document information dictionary. */
  info?: { Title?: string; Author?: string };
}

/** The PDF's bytes, every line placed exactly where the spec says (no wrapping by pdfkit). */
export function makePdf(spec: PdfSpec): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: spec.info ?? {} });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve) => doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks)))));
  for (const page of spec.pages) {
    doc.addPage({ size: 'A4', margin: 0 });
    for (const line of page.lines) doc.font('Helvetica').fontSize(line.size ?? 10).text(line.text, line.x, line.y, { lineBreak: false });
  }
  doc.end();
  return done;
}

// Measures text as pdfkit will set it, so lines fill the column as a typesetter's would.
const measurer = new PDFDocument({ autoFirstPage: false }).font('Helvetica');
const widthOf = (text: string, size: number) => measurer.fontSize(size).widthOfString(text);

export interface ColumnOptions {
  x: number;
  y: number;
  width: number;
  size?: number;
  /** Baseline to baseline, in points. */
  leading?: number;
  /** First-line indent of each paragraph. */
  indent?: number;
  /** Words to break at a line end with a hyphen, written where they break: `"cooper-ation"`. */
  hyphenate?: string[];
}

/** The lines of `paragraphs` set in a column, ragged right, and where the column ends. */
export function setColumn(paragraphs: string[], { x, y, width, size = 10, leading = 12, indent = 12, hyphenate = [] }: ColumnOptions): { lines: Placed[]; bottom: number } {
  const lines: Placed[] = [];
  let at = y;
  for (const paragraph of paragraphs) {
    const words = paragraph.split(' ');
    let line = '';
    let first = true;
    const emit = (text: string) => {
      lines.push({ text, x: x + (first ? indent : 0), y: at, size });
      at += leading;
      first = false;
    };
    for (const word of words) {
      const fits = (text: string) => widthOf(text, size) <= width - (first ? indent : 0);
      if (fits(line ? `${line} ${word}` : word)) {
        line = line ? `${line} ${word}` : word;
        continue;
      }
      const split = hyphenate.find((h) => word.startsWith(h.replace('-', '')));
      const head = split?.split('-')[0];
      if (head && fits(`${line} ${head}-`)) {
        emit(`${line} ${head}-`);
        line = word.slice(head.length);
        continue;
      }
      emit(line);
      line = word;
    }
    if (line) emit(line);
  }
  return { lines, bottom: at };
}

/** A column's place on a page, for `flow`. */
export interface Frame {
  page: number;
  x: number;
  y: number;
  /** Lines that fit in it. */
  lines: number;
}

/**
 * `paragraphs` set in columns of one width and poured into `frames` in order, as a journal's
 * pages are: a paragraph that does not fit goes on at the top of the next column or page.
 */
export function flow(paragraphs: string[], frames: Frame[], options: Omit<ColumnOptions, 'x' | 'y'>): Map<number, Placed[]> {
  const leading = options.leading ?? 12;
  const { lines } = setColumn(paragraphs, { ...options, x: 0, y: 0, leading });
  const pages = new Map<number, Placed[]>();
  let at = 0;
  for (const frame of frames) {
    for (const line of lines.slice(at, at + frame.lines)) {
      const placed = { ...line, x: frame.x + line.x, y: frame.y + line.y - at * leading + 0 };
      pages.set(frame.page, [...(pages.get(frame.page) ?? []), placed]);
    }
    at += frame.lines;
  }
  if (at < lines.length) throw new Error(`make-pdf: ${lines.length - at} lines did not fit in the frames`);
  return pages;
}
