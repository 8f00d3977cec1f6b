// The words every renderer shares, so Discord, the terminal and JSON say the same thing.
import { formatIso } from '../dates.js';
import { MAX_EXCERPTS } from '../engine.js';
import type { Answer, Article, Excerpt, Paragraph } from '../types.js';

/** "RFE/RL · 20 June 1997": what is known of where an article came from. */
export function provenance(article: Article): string {
  return [article.source, article.date && formatIso(article.date)].filter(Boolean).join(' · ');
}

const KIND_NOTE: Record<Paragraph['kind'], (p: Paragraph) => string> = {
  body: () => '',
  caption: () => ' (photo caption)',
  footnote: (p) => ` (footnote${p.label ? ` ${p.label}` : ''})`,
};

/** Where a paragraph is in its article: "p. 4, ¶12" in a document with pages, "¶12" otherwise. */
export function paragraphPlace(p: Paragraph): string {
  return `${p.page !== undefined ? `p. ${p.page}, ` : ''}¶${p.n}${KIND_NOTE[p.kind](p)}`;
}

/** Where an excerpt comes from: title, source, date when known, page and paragraph number. */
export function citationParts(e: Excerpt): { title: string; rest: string } {
  const where = paragraphPlace(e.paragraph);
  return { title: e.article.title, rest: [provenance(e.article), where].filter(Boolean).join(' · ') };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 matches, showing the best 3": every reply says how much was found. */
export function countLine(answer: Answer): string {
  const unit = answer.events ? 'dated event' : answer.articles ? 'article' : 'matching paragraph';
  const shown = answer.excerpts.length;
  const count = plural(answer.total, unit);
  const first = (answer.page ?? 0) * MAX_EXCERPTS + 1;
  if (!shown || shown >= answer.total) return count;
  return first === 1 ? `${count}, showing the best ${shown}` : `${count}, showing ${first}–${first + shown - 1}`;
}

export function articleLine(a: Article): string {
  return [provenance(a), plural(a.paragraphs.length, 'paragraph')].filter(Boolean).join(' · ');
}

/** "Page 2 of 4", when an answer has more than one page. */
export function pageLine(answer: Answer): string | undefined {
  return answer.pages && answer.pages > 1 ? `Page ${(answer.page ?? 0) + 1} of ${answer.pages}` : undefined;
}
