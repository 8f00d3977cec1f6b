// Cutting a paragraph down to what answers: the sentences that match, verbatim, with "…" where
// text was left out, never cut mid-word.
import { matchRanges } from './paragraph-index.js';
import type { Article, Excerpt, Paragraph } from './types.js';

/** Excerpts longer than this are cut to their matching sentences; short paragraphs stay whole. */
export const EXCERPT_LENGTH = 420;

// A full stop after these is not the end of a sentence.
const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof gen col lt sgt capt gov sen rep rev st jr sr inc co corp ltd no vs etc jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '),
);

/** `[start, end)` of each sentence of `text`. */
export function sentences(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?…]+["”’)\]]*\s+/g)) {
    const end = m.index + m[0].trimEnd().length;
    // The word before the stop: only the last few characters are read, as reading from the
    // sentence's start each time made long paragraphs quadratic.
    const before = /([\p{L}]+)[.!?…]*["”’)\]]*$/u.exec(text.slice(Math.max(start, end - 24), end))?.[1] ?? '';
    const after = text.slice(m.index + m[0].length);
    const isAbbreviation = m[0].startsWith('.') && (before.length === 1 || ABBREVIATIONS.has(before.toLowerCase()));
    if (isAbbreviation || /^[\p{Ll}]/u.test(after)) continue;
    out.push([start, end]);
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push([start, text.trimEnd().length]);
  return out;
}

/** At most `max` characters of `text` around `at`, cut at spaces, with "…" on the cut sides. */
function window(text: string, at: number, max: number): string {
  if (text.length <= max) return text;
  let from = Math.max(0, Math.min(at - Math.floor(max / 3), text.length - max));
  let to = from + max;
  if (from > 0) from = text.indexOf(' ', from) + 1 || from;
  if (to < text.length) to = text.lastIndexOf(' ', to) > from ? text.lastIndexOf(' ', to) : to;
  return `${from > 0 ? '…' : ''}${text.slice(from, to).trim()}${to < text.length ? '…' : ''}`;
}

/** A paragraph quoted whole, nothing highlighted: for /quote and for showing what was read. */
export function wholeParagraph(article: Article, paragraph: Paragraph): Excerpt {
  return { article, paragraph, score: 0, text: paragraph.text, highlights: [] };
}

export function makeExcerpt(
  article: Article,
  paragraph: Paragraph,
  score: number,
  wanted: ReadonlySet<string>,
  maxLength = EXCERPT_LENGTH,
): Excerpt {
  const text = paragraph.text;
  const ranges = matchRanges(text, wanted);
  let cut = text;
  if (text.length > maxLength) {
    const spans = sentences(text);
    const matching = spans.filter(([s, e]) => ranges.some(([a]) => a >= s && a < e));
    const chosen: Array<[number, number]> = [];
    let length = 0;
    for (const span of matching.length ? matching : spans.slice(0, 1)) {
      if (chosen.length && length + span[1] - span[0] > maxLength) break;
      chosen.push(span);
      length += span[1] - span[0] + 2;
    }
    const first = chosen[0]!;
    if (chosen.length === 1 && first[1] - first[0] > maxLength) {
      const at = ranges.find(([a]) => a >= first[0])?.[0] ?? first[0];
      const inner = window(text.slice(first[0], first[1]), at - first[0], maxLength);
      cut = `${first[0] > 0 && !inner.startsWith('…') ? '… ' : ''}${inner}${first[1] < text.trimEnd().length && !inner.endsWith('…') ? ' …' : ''}`;
    } else {
      cut = chosen
        .map(([s, e], i) => {
          const gapBefore = text.slice(i === 0 ? 0 : chosen[i - 1]![1], s).trim() !== '';
          return `${gapBefore ? '… ' : ''}${text.slice(s, e)}`;
        })
        .join(' ');
      if (chosen.at(-1)![1] < text.trimEnd().length) cut += ' …';
    }
  }
  return { article, paragraph, score, text: cut, highlights: matchRanges(cut, wanted) };
}
