// What every adapter asks of an answer whatever its kind: the excerpts it quotes (for the Full
// paragraph menu) and its page.
import type { Answer, Article, Excerpt } from './types.js';

/** The excerpts an answer quotes, in the order it shows them. */
export function excerptsOf(answer: Answer): Excerpt[] {
  switch (answer.kind) {
    case 'search':
    case 'person':
      return answer.excerpts;
    case 'timeline':
      return answer.events.map((event) => event.excerpt);
    case 'check':
      return answer.claims.flatMap((claim) => claim.excerpts);
    case 'quote':
      return [answer.excerpt];
    case 'added':
      return [answer.first];
    case 'sources':
    case 'citation':
    case 'help':
    case 'notice':
      return [];
  }
}

/** Which page an answer shows (0-based) and of how many; one page for the kinds that have no pages. */
export function pageOf(answer: Answer): { page: number; pages: number } {
  return 'pages' in answer ? { page: answer.page, pages: answer.pages } : { page: 0, pages: 1 };
}

/** What /quote and /cite say when asked for a paragraph an article does not have. */
export function noSuchParagraph(article: Article, n: number): string {
  const count = article.paragraphs.length;
  return `“${article.title}” has ${count === 1 ? 'only ¶1' : `paragraphs ¶1 to ¶${count}`}; there is no ¶${n}.`;
}
