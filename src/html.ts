// An HTML page reduced to its article: Mozilla's Readability (Firefox's reader view) finds the
// article in the page, then its block elements become paragraphs of plain text.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

export interface PageArticle {
  title?: string;
  source?: string;
  author?: string;
  /** As the page's metadata gives it (ISO), when it does. */
  date?: string;
  /** Paragraphs of plain text, in reading order. */
  paragraphs: string[];
}

const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, figcaption, pre, td';

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

export function htmlToArticle(html: string): PageArticle {
  const { document } = parseHTML(html);
  const found = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  if (!found?.content) return { paragraphs: [] };
  const { document: content } = parseHTML(`<html><body>${found.content}</body></html>`);
  // Only the innermost blocks: a <li> holding a <p> gives its text once.
  const blocks = [...content.querySelectorAll(BLOCKS)].filter((el) => !el.querySelector(BLOCKS));
  return {
    paragraphs: blocks.map((el) => clean(el.textContent)).filter(Boolean),
    ...(clean(found.title) && { title: clean(found.title) }),
    ...(clean(found.siteName) && { source: clean(found.siteName) }),
    ...(clean(found.byline) && { author: clean(found.byline).replace(/^by\s+/i, '') }),
    // A timestamp ("2024-06-19T10:00:00Z") keeps its calendar date as written; the time is not a date.
    ...(clean(found.publishedTime) && { date: clean(found.publishedTime).replace(/^(\d{4}-\d{2}-\d{2})T.*$/, '$1') }),
  };
}
