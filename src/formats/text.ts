// `.md` and `.txt`: UTF-8 text with optional YAML front matter, read by the rules of article.ts.
import { ArticleError, parseArticle } from '../article.js';
import type { ArticleFormat } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export const textFormat = {
  name: 'text',
  extensions: ['.txt', '.md'],
  // A link is read only as a web page or a PDF: a text file served from the web is not an article page.
  contentTypes: [],
  read: async ({ file, bytes, url }) => {
    let content: string;
    try {
      content = utf8.decode(bytes);
    } catch {
      throw new ArticleError(file, 'is not UTF-8 text');
    }
    const article = parseArticle(file, content);
    return url && !article.url ? { ...article, url } : article;
  },
} satisfies ArticleFormat;
