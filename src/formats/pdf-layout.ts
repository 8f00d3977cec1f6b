// A PDF page is positioned pieces of text, not paragraphs: this rebuilds what a reader sees from
// where each piece sits and how big it is. Lines from pieces on one baseline; columns from a
// vertical gutter no line crosses; paragraphs from line spacing, indentation and short last
// lines; running headers, footers and page numbers from what repeats at the top and bottom of
// pages; footnotes from smaller type below the body; words hyphenated at a line end joined.
// Pure functions of the pieces, so the rules are tested without any PDF.
import type { Block } from '../article.js';

/** One piece of text as pdf.js gives it: its baseline's left end, width and font size, in points, y upwards. */
export interface Piece {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

export interface PageText {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  pieces: Piece[];
}

interface Line {
  text: string;
  x: number;
  /** Right end. */
  end: number;
  y: number;
  size: number;
  page: number;
  /** Which column of the page it is in: 0 for a single column or a line across both. */
  column: number;
}

export interface Layout {
  /** Body paragraphs in reading order, then the footnotes, each with its page. */
  blocks: Block[];
  /** The largest type on the first page, when it is clearly larger than the body's: the printed headline. */
  headline?: string;
}

const SENTENCE_END = /[.!?…"”’)\]:]$/;
// A footnote's mark opening its text: "1", "12.", "*", "†".
const NOTE_MARK = /^(\d{1,3}|[*†‡§¶]{1,3})\.?(?=\s|\p{Lu}|$)\s*/u;
const PAGE_NUMBER = /^(?:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
}

/** The body's type size: the size most of the characters are set in. */
function bodySize(pages: readonly PageText[]): number {
  const chars = new Map<number, number>();
  for (const piece of pages.flatMap((p) => p.pieces)) {
    const size = Math.round(piece.size * 2) / 2;
    chars.set(size, (chars.get(size) ?? 0) + piece.text.length);
  }
  return [...chars].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 10;
}

/**
 * The lines of a page: pieces on one baseline, next to each other, in the order written. A piece
 * far to the right of the line (across a column gutter) starts a line of its own. A small piece
 * raised above the baseline is a footnote reference: it is left out of the sentence it marks.
 */
function linesOf(page: PageText): Line[] {
  const lines: Line[] = [];
  let line: Line | undefined;
  for (const piece of page.pieces) {
    if (!piece.text) continue;
    const sameLine =
      line !== undefined && Math.abs(piece.y - line.y) < Math.max(line.size, piece.size) * 0.6 && piece.x > line.x && piece.x - line.end < Math.max(line.size, piece.size);
    if (line && sameLine) {
      const raised = piece.size < line.size * 0.8 && piece.y > line.y + line.size * 0.15;
      if (raised && /^[\s\d*†‡§,]+$/.test(piece.text)) {
        line.end = piece.x + piece.width;
        continue;
      }
      const gap = piece.x - line.end;
      const space = gap > line.size * 0.15 && !/\s$/.test(line.text) && !/^\s/.test(piece.text) ? ' ' : '';
      line.text += space + piece.text;
      line.end = Math.max(line.end, piece.x + piece.width);
      // A line opened by a small mark (a footnote's number) has the size and baseline of its text.
      if (piece.size > line.size && piece.text.trim()) Object.assign(line, { size: piece.size, y: piece.y });
      continue;
    }
    if (!piece.text.trim()) continue;
    line = { text: piece.text, x: piece.x, end: piece.x + piece.width, y: piece.y, size: piece.size, page: page.number, column: 0 };
    lines.push(line);
  }
  for (const l of lines) l.text = l.text.replace(/\s+/g, ' ').trim();
  return lines.filter((l) => l.text);
}

/**
 * The x of the gutter between two columns: a vertical band in the middle of the page that few
 * lines cross, with lines on both sides of it; undefined for a page of one column.
 */
function gutterOf(lines: readonly Line[], width: number): number | undefined {
  if (lines.length < 6) return undefined;
  let best: { x: number; crossing: number } | undefined;
  for (let x = width * 0.3; x <= width * 0.7; x += 2) {
    let [left, right, crossing] = [0, 0, 0];
    for (const l of lines) {
      if (l.end <= x) left++;
      else if (l.x >= x) right++;
      else if (l.x < x) crossing++;
    }
    if (left < 3 || right < 3) continue;
    if (!best || crossing < best.crossing) best = { x, crossing };
  }
  return best && best.crossing <= lines.length * 0.15 ? best.x : undefined;
}

/**
 * Reading order: bands between lines that run across both columns, and in each band the left
 * column top to bottom, then the right one. `gutter` is where the page's columns part, if it has two.
 */
function readingOrder(lines: Line[], gutter: number | undefined): Line[] {
  const byHeight = [...lines].sort((a, b) => b.y - a.y || a.x - b.x);
  if (gutter === undefined) return byHeight;
  const ordered: Line[] = [];
  let band: Line[] = [];
  const flush = () => {
    for (const column of [1, 2]) ordered.push(...band.filter((l) => l.column === column));
    band = [];
  };
  for (const line of byHeight) {
    line.column = line.end <= gutter + 1 ? 1 : line.x >= gutter - 1 ? 2 : 0;
    if (line.column === 0) {
      flush();
      ordered.push(line);
    } else band.push(line);
  }
  flush();
  return ordered;
}

/** A line's text with digits as "#", so "Page 3" and "Page 4" are the same running footer. */
function shape(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ');
}

/**
 * The gutter of each page: its own, or, for a page whose second column holds a line or two (the
 * end of the article), the gutter of the document's other pages when the page's lines keep to it.
 */
function gutters(pages: readonly PageText[], lines: readonly Line[][]): (number | undefined)[] {
  const own = pages.map((page, i) => gutterOf(lines[i]!, page.width));
  const found = own.filter((g): g is number => g !== undefined);
  const usual = found.length ? median(found) : undefined;
  return own.map((g, i) => {
    if (g !== undefined || usual === undefined) return g;
    const crossing = lines[i]!.filter((l) => l.x < usual && l.end > usual).length;
    const right = lines[i]!.filter((l) => l.x >= usual).length;
    return right > 0 && crossing <= lines[i]!.length * 0.15 ? usual : undefined;
  });
}

/**
 * Lines printed at the top or bottom of pages that are not the text: a page number, a header or
 * footer that repeats (the journal's name, the running title, "Page 3 of 9"), and, after the
 * first page (which often has none), a short line set apart above or below the text.
 */
function pageFurniture(pages: readonly PageText[], lines: readonly Line[], spacing: number): Set<Line> {
  const heights = new Map<number, Set<number>>(pages.map((p) => [p.number, new Set()]));
  for (const l of lines) heights.get(l.page)!.add(Math.round(l.y));
  const extent = new Map<number, { top: number; bottom: number; second: { top: number; bottom: number } }>();
  for (const [page, set] of heights) {
    const ys = [...set].sort((a, b) => b - a);
    extent.set(page, { top: ys[0] ?? 0, bottom: ys.at(-1) ?? 0, second: { top: ys[1] ?? 0, bottom: ys.at(-2) ?? 0 } });
  }
  const edge = (l: Line) => {
    const e = extent.get(l.page)!;
    return Math.abs(l.y - e.top) < 2 ? 'top' : Math.abs(l.y - e.bottom) < 2 ? 'bottom' : undefined;
  };
  const apart = (l: Line) => {
    const e = extent.get(l.page)!;
    const gap = edge(l) === 'top' ? e.top - e.second.top : e.second.bottom - e.bottom;
    return spacing > 0 && gap > spacing * 1.5 && l.text.split(' ').length < 8 && !/[.!?]$/.test(l.text);
  };
  const pagesWith = new Map<string, Set<number>>();
  for (const l of lines) {
    const where = edge(l);
    if (!where) continue;
    const key = `${where}:${shape(l.text)}`;
    pagesWith.set(key, (pagesWith.get(key) ?? new Set()).add(l.page));
  }
  const repeats = (l: Line) => (pagesWith.get(`${edge(l)}:${shape(l.text)}`)?.size ?? 0) >= Math.min(2, pages.length);
  return new Set(lines.filter((l) => edge(l) && (PAGE_NUMBER.test(l.text) || (pages.length > 1 && repeats(l)) || (l.page > 1 && apart(l)))));
}

/**
 * Joins `next` to `text`, a line's end to the next line's start. A word broken with a hyphen at
 * the line end is joined whole ("hyphen-" + "ation"), unless the document writes it with the
 * hyphen elsewhere ("well-known"), which is then kept.
 */
function joinLines(text: string, next: string, hyphenated: ReadonlySet<string>): string {
  const broken = /(\p{L}+)[-\u00ad]$/u.exec(text);
  const rest = /^(\p{Ll}+)/u.exec(next);
  if (broken && rest) {
    const keep = text.endsWith('-') && hyphenated.has(`${broken[1]!}-${rest[1]!}`.toLowerCase());
    return keep ? text + next : text.slice(0, -1) + next;
  }
  // A dash at a line end joins the words on either side of it: "before us—" + "that".
  return /[—–]$/.test(text) ? text + next : `${text} ${next}`;
}

/** Every word written with a hyphen inside a line, to tell a hyphenated word from a broken one. */
function hyphenatedWords(lines: readonly Line[]): Set<string> {
  const words = new Set<string>();
  for (const l of lines) for (const m of l.text.matchAll(/\p{L}+-\p{L}+/gu)) words.add(m[0].toLowerCase());
  return words;
}

interface Column {
  left: number;
  right: number;
}

/** Where a column's lines start and end: the edges most of its lines reach. */
function columnEdges(lines: readonly Line[]): Map<string, Column> {
  const groups = new Map<string, Line[]>();
  for (const l of lines) {
    const key = `${l.page}:${l.column}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(l);
  }
  const edges = new Map<string, Column>();
  for (const [key, group] of groups) {
    const xs = group.map((l) => Math.round(l.x));
    // The most common start is the margin; indented first lines are the exceptions.
    const counts = new Map<number, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    const left = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    edges.set(key, { left, right: Math.max(...group.map((l) => l.end)) });
  }
  return edges;
}

/** The usual distance from one baseline to the next in running text. */
function lineSpacing(lines: readonly Line[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [a, b] = [lines[i - 1]!, lines[i]!];
    if (a.page === b.page && a.column === b.column && Math.abs(a.size - b.size) < 0.5 && a.y > b.y) gaps.push(a.y - b.y);
  }
  return median(gaps);
}

export function layoutPages(pages: readonly PageText[]): Layout {
  const size = bodySize(pages);
  const pageLines = pages.map(linesOf);
  const pageGutters = gutters(pages, pageLines);
  const perPage = pageLines.map((lines, i) => readingOrder(lines, pageGutters[i]));
  const all = perPage.flat();
  const spacing = lineSpacing(all);
  const furniture = pageFurniture(pages, all, spacing);
  const hyphenated = hyphenatedWords(all);

  // Footnotes: smaller type below the lowest line of body type in its column.
  const notes = new Set<Line>();
  for (const lines of perPage) {
    const body = lines.filter((l) => !furniture.has(l) && Math.abs(l.size - size) < size * 0.1);
    const lowest = (column: number) => Math.min(...body.filter((l) => column === 0 || l.column === column || l.column === 0).map((l) => l.y));
    for (const l of lines) if (!furniture.has(l) && l.size <= size * 0.85 && l.y < lowest(l.column)) notes.add(l);
  }

  // The headline: the largest type on the first page, set clearly above the body's size.
  const first = (perPage[0] ?? []).filter((l) => !furniture.has(l));
  const largest = Math.max(0, ...first.map((l) => l.size));
  const headlineLines = largest >= size * 1.15 ? first.filter((l) => Math.abs(l.size - largest) < 0.5) : [];
  const headline = headlineLines.map((l) => l.text).join(' ') || undefined;

  const body = all.filter((l) => !furniture.has(l) && !notes.has(l) && !headlineLines.includes(l));
  const edges = columnEdges(body);
  const indented = (l: Line) => {
    const column = edges.get(`${l.page}:${l.column}`)!;
    return l.x - column.left > l.size * 0.8 && l.x - column.left < (column.right - column.left) * 0.25;
  };
  const full = (l: Line) => {
    const column = edges.get(`${l.page}:${l.column}`)!;
    return column.right - l.end < (column.right - column.left) * 0.1;
  };
  // Whether this document marks paragraphs by indenting them: then a line that is not indented continues one.
  const usesIndents = body.filter(indented).length >= 2;

  const blocks: Block[] = [];
  let current: { text: string; page: number; last: Line } | undefined;
  const close = () => {
    if (current) blocks.push({ text: current.text, page: current.page });
    current = undefined;
  };
  for (const line of body) {
    const prev = current?.last;
    let starts = !prev;
    if (prev) {
      const moved = prev.page !== line.page || prev.column !== line.column;
      if (Math.abs(prev.size - line.size) > prev.size * 0.15) starts = true;
      else if (!moved && spacing > 0 && prev.y - line.y > spacing * 1.4) starts = true;
      // Indented paragraphs start where a line is indented; others after a sentence ends a short
      // line, or ends a column (where a full line says nothing).
      else starts = usesIndents ? indented(line) : SENTENCE_END.test(prev.text) && (moved || !full(prev));
    }
    if (starts) {
      close();
      current = { text: line.text, page: line.page, last: line };
    } else {
      current!.text = joinLines(current!.text, line.text, hyphenated);
      current!.last = line;
    }
  }
  close();

  // Footnotes: a line opening with a mark starts one; the lines after it continue it.
  let note: Block | undefined;
  for (const line of all.filter((l) => notes.has(l))) {
    const mark = NOTE_MARK.exec(line.text);
    if (mark || !note) {
      note = { text: line.text.slice(mark?.[0].length ?? 0), page: line.page, footnote: mark?.[1] ?? '*' };
      blocks.push(note);
    } else note.text = joinLines(note.text, line.text, hyphenated);
  }
  return { blocks: blocks.filter((b) => b.text), ...(headline && { headline }) };
}
