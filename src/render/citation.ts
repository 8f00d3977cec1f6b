// The words every renderer shares, so Discord, the terminal and JSON say the same thing.
import { formatIso } from '../dates.js';
import { MAX_EXCERPTS } from '../engine.js';
import { pageOf } from '../answer.js';
import { plural } from '../plural.js';
import type { Answer, Article, Excerpt, Paragraph, Person } from '../types.js';

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

/**
 * "3 matching paragraphs, showing the best 3": every reply says how much was found. `shown` of the
 * `total` are on the page, the first of them the `page`'s first.
 */
export function countLine(total: number, unit: string, shown = total, page = 0): string {
  const count = plural(total, unit);
  const first = page * MAX_EXCERPTS + 1;
  if (!shown || shown >= total) return count;
  return first === 1 ? `${count}, showing the best ${shown}` : `${count}, showing ${first}–${first + shown - 1}`;
}

export function articleLine(a: Article): string {
  return [provenance(a), plural(a.paragraphs.length, 'paragraph')].filter(Boolean).join(' · ');
}

/** "Page 2 of 4", when an answer has more than one page. */
export function pageLine(answer: Answer): string | undefined {
  const { page, pages } = pageOf(answer);
  return pages > 1 ? `Page ${page + 1} of ${pages}` : undefined;
}

/** "Did you mean" under a person card; the closest names or titles when nothing matched. */
export function alternativesLine(answer: Answer, escape: (s: string) => string = (s) => s): string | undefined {
  if (!answer.alternatives?.length) return undefined;
  const found = answer.kind === 'person' && answer.person !== undefined;
  return `${found ? 'Did you mean' : 'Closest names'}: ${answer.alternatives.map(escape).join(', ')}?`;
}

/** The roles other articles give a person besides the one on the card ("the former mayor"), once each. */
export function otherRoles(p: Person): string[] {
  return [...new Set((p.roles ?? []).map((r) => r.role))].filter((r) => r !== p.role);
}
