// Cutting a paragraph down to what answers: the sentences that match, verbatim, with "…" where
// text was left out, never cut mid-word.
import { matchRanges } from './paragraph-index.js';
import { sentences } from './text.js';
import type { Article, Excerpt, Paragraph } from './types.js';

/** Excerpts longer than this are cut to their matching sentences; short paragraphs stay whole. */
export const EXCERPT_LENGTH = 420;

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
