// Cutting a paragraph down to what answers: the sentence (or pair) that answers best, verbatim,
// with as much of its context as fits and "…" where text was left out. Never cut mid-word, and
// never between a quotation mark or bracket and its partner.
import { matchRanges } from './paragraph-index.js';
import { sentences } from './text.js';
import type { Article, Excerpt, Paragraph } from './types.js';

/** Excerpts longer than this are cut around the sentence that answers; short paragraphs stay whole. */
export const EXCERPT_LENGTH = 420;

export interface ExcerptOptions {
  /** `[start, end)` in the paragraph of the sentence or pair that answers best; without it, the first that matches. */
  best?: [number, number] | undefined;
  /** `[start, end)` in the paragraph of the words that answer (the date for "when"), shown in bold. */
  answers?: ReadonlyArray<[number, number]> | undefined;
  /** At most this many characters, besides the "…" marks; `EXCERPT_LENGTH` by default. */
  maxLength?: number;
}

// Marks that come in pairs. A straight double quote is its own partner; the single curly quotes
// are left out, as "’" is also the apostrophe of "Russia’s".
const OPENERS: Record<string, string> = { '“': '”', '(': ')', '[': ']', '«': '»' };
const CLOSERS = new Set(Object.values(OPENERS));

/**
 * Where in `text` between `from` and `to` a paired mark has no partner: each opened mark that
 * is not closed there and each closing mark that was not opened there, in text order.
 */
function unpaired(text: string, from: number, to: number): number[] {
  const open: Array<{ at: number; mark: string }> = [];
  const stray: number[] = [];
  // A straight quote opens or closes by how many came before it in the whole paragraph.
  let straight = (text.slice(0, from).match(/"/g) ?? []).length;
  for (let i = from; i < to; i++) {
    const c = text[i]!;
    if (c === '"') {
      if (straight++ % 2 === 0) open.push({ at: i, mark: '"' });
      else if (open.at(-1)?.mark === '"') open.pop();
      else stray.push(i);
    } else if (OPENERS[c]) {
      open.push({ at: i, mark: OPENERS[c] });
    } else if (CLOSERS.has(c)) {
      if (open.at(-1)?.mark === c) open.pop();
      else stray.push(i);
    }
  }
  return [...stray, ...open.map((o) => o.at)].sort((a, b) => a - b);
}

/**
 * The sentences of `text`, those that a quotation or bracket runs across joined into one: a
 * quoted speech of two sentences is one unit, so it is quoted whole or not at all.
 */
export function quoteSafeSentences(text: string): Array<[number, number]> {
  const units: Array<[number, number]> = [];
  let start: number | undefined;
  for (const [s, e] of sentences(text)) {
    start ??= s;
    if (unpaired(text, start, e).length === 0) {
      units.push([start, e]);
      start = undefined;
    }
  }
  // A mark the text itself never closes: the rest is one unit, as written.
  if (start !== undefined) units.push([start, text.trimEnd().length]);
  return units;
}

/**
 * At most `max` characters of `text[from, to)` around `at`, moved in to word boundaries and past
 * any paired mark whose partner the cut would leave out.
 */
function windowIn(text: string, from: number, to: number, at: number, max: number): [number, number] {
  let start = Math.max(from, Math.min(at - Math.floor(max / 3), to - max));
  let end = Math.min(to, start + max);
  const inward = () => {
    while (start < end && /[\p{L}\p{N}]/u.test(text[start - 1] ?? '') && start > from) start++;
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /[\p{L}\p{N}]/u.test(text[end] ?? '') && end < to) end--;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
  };
  inward();
  for (let marks = unpaired(text, start, end); marks.length; marks = unpaired(text, start, end)) {
    // Drop the side of the unpaired mark that holds less of what is sought.
    const mark = marks[0]! < at ? marks.findLast((m) => m < at)! : marks[0]!;
    if (mark < at) start = mark + 1;
    else end = mark;
    inward();
  }
  return [start, end];
}

/** A paragraph quoted whole, nothing highlighted: for /quote and for showing what was read. */
export function wholeParagraph(article: Article, paragraph: Paragraph): Excerpt {
  return { article, paragraph, score: 0, text: paragraph.text, highlights: [] };
}

export function makeExcerpt(article: Article, paragraph: Paragraph, score: number, wanted: ReadonlySet<string>, options: ExcerptOptions = {}): Excerpt {
  const { best, answers = [], maxLength = EXCERPT_LENGTH } = options;
  const text = paragraph.text;
  const end = text.trimEnd().length;
  const ranges = matchRanges(text, wanted);
  let [from, to] = [0, text.length];
  if (text.length > maxLength) {
    const units = quoteSafeSentences(text);
    const matches = (u: [number, number]) => ranges.some(([a]) => a >= u[0] && a < u[1]);
    const focus = best ? units.flatMap((u, i) => (u[0] < best[1] && u[1] > best[0] ? [i] : [])) : [Math.max(0, units.findIndex(matches))];
    let [lo, hi] = [focus[0] ?? 0, focus.at(-1) ?? 0];
    if (units[hi]![1] - units[lo]![0] > maxLength) {
      const inside = (x: number) => x >= units[lo]![0] && x < units[hi]![1];
      const at = answers.find(([a]) => inside(a))?.[0] ?? ranges.find(([a]) => inside(a) && (!best || a >= best[0]))?.[0] ?? units[lo]![0];
      [from, to] = windowIn(text, units[lo]![0], units[hi]![1], at, maxLength);
    } else {
      // Context as space allows: the neighbour that also matches first, else the one after.
      const fits = (a: number, b: number) => units[b]![1] - units[a]![0] <= maxLength;
      for (;;) {
        const next = hi + 1 < units.length && fits(lo, hi + 1) ? hi + 1 : undefined;
        const previous = lo > 0 && fits(lo - 1, hi) ? lo - 1 : undefined;
        const pick = previous !== undefined && matches(units[previous]!) && !(next !== undefined && matches(units[next]!)) ? previous : next ?? previous;
        if (pick === undefined) break;
        if (pick > hi) hi = pick;
        else lo = pick;
      }
      [from, to] = [units[lo]![0], units[hi]![1]];
    }
  }
  const before = from > 0 ? '… ' : '';
  const cut = `${before}${text.slice(from, to)}${to < end ? ' …' : ''}`;
  // The query's words and the answer's, where the cut kept them, moved to the cut's offsets.
  const shift = before.length - from;
  const kept = [...ranges, ...answers].filter(([a, b]) => a >= from && b <= to).map(([a, b]): [number, number] => [a + shift, b + shift]);
  return { article, paragraph, score, text: cut, highlights: union(kept) };
}

/** Ranges sorted, those that overlap or touch merged. */
function union(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
