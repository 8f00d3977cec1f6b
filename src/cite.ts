// `/cite`: an article's reference in a citation style, made by citeproc (citation-js) from the
// style's own CSL file, never by formats of our own. Only what the article's front matter says is
// given to it; what is missing the style itself handles ("n.d.", the title in the author's place).
import { readFileSync } from 'node:fs';
import { Cite, plugins } from '@citation-js/core';
import '@citation-js/plugin-csl';
import type { Article, CitationAnswer } from './types.js';

/** The styles /cite offers: APA ships with citation-js; MLA and Chicago are the official CSL files in styles/. */
export const STYLES = {
  apa: { name: 'APA 7th edition', file: undefined },
  mla: { name: 'MLA 9th edition', file: 'modern-language-association.csl' },
  chicago: { name: 'Chicago 17th edition (author-date)', file: 'chicago-author-date.csl' },
} as const;

export type StyleId = keyof typeof STYLES;

export function isStyle(value: string): value is StyleId {
  return Object.hasOwn(STYLES, value);
}

const registered = plugins.config.get('@csl');
for (const [id, style] of Object.entries(STYLES)) {
  if (style.file) registered.styles.add(id, readFileSync(new URL(`../styles/${style.file}`, import.meta.url), 'utf8'));
}

/**
 * The byline's names as CSL names. Which part of "Jung Min-ho" or "Benedict Carey" is the family
 * name cannot be told from the words (Korean names put it first): such a name is cited as written.
 * Only a name written "Family, Given" is given to the style in parts, for it to invert and
 * abbreviate. "A, B and C" is three names.
 */
function names(author: string): Array<{ literal: string } | { family: string; given: string }> {
  return author
    .split(/\s*;\s*|\s+(?:and|&)\s+/)
    .flatMap((part) => {
      const pieces = part.split(/\s*,\s*/);
      return pieces.every((piece) => /\s/.test(piece)) ? pieces : [part];
    })
    .filter(Boolean)
    .map((name) => {
      const [family, given] = name.split(/\s*,\s*/, 2);
      return given ? { family: family!, given } : { literal: name };
    });
}

/** An ISO date as printed (`1997`, `1997-06`, `1997-06-20`) as CSL date parts. */
function issued(date: string): { 'date-parts': number[][] } {
  return { 'date-parts': [date.split('-').map(Number)] };
}

/** The article as CSL-JSON: its front matter only, nothing guessed. */
export function toCsl(article: Article): Record<string, unknown> {
  return {
    id: article.id,
    // A named publication makes it a newspaper or magazine article; without one all that is known is that it is an article.
    type: article.source ? 'article-newspaper' : 'article',
    title: article.title,
    ...(article.author && { author: names(article.author) }),
    ...(article.source && { 'container-title': article.source }),
    ...(article.date && { issued: issued(article.date) }),
    ...(article.url && { URL: article.url }),
    ...(article.language && { language: article.language }),
  };
}

/** The reference and the in-text citation of `article` in `style`, with paragraph `n` as the locator. */
export function cite(article: Article, style: StyleId, n?: number): CitationAnswer {
  const entry = new Cite(toCsl(article));
  const options = { format: 'text', template: style, lang: 'en-US' };
  const item = { id: article.id, ...(n !== undefined && { locator: String(n), label: 'paragraph' as const }) };
  return {
    kind: 'citation',
    command: 'cite',
    query: `${article.id}${n === undefined ? '' : ` ¶${n}`}`,
    heading: `Cite: ${article.title}`,
    article,
    style: STYLES[style].name,
    reference: String(entry.format('bibliography', options)).trim(),
    inText: String(entry.format('citation', { ...options, entry: [item], citationsPre: [], citationsPost: [] })).trim(),
  };
}
