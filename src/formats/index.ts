// The one registry of article formats, shared by the corpus loader, the live watcher, /add and
// `npm run add`. Adding a format is one new file and one entry here.
import { ArticleError } from '../article.js';
import type { Article } from '../types.js';
import { docxFormat } from './docx.js';
import { htmlFormat } from './html.js';
import { pdfFormat } from './pdf.js';
import { textFormat } from './text.js';
import type { ArticleFormat, Source } from './types.js';

export type { ArticleFormat, Source };

export const formats: readonly ArticleFormat[] = [textFormat, htmlFormat, pdfFormat, docxFormat];

/** Every file name ending a format reads, for messages: ".md, .txt, .html, …". */
export const EXTENSIONS: readonly string[] = formats.flatMap((f) => f.extensions);

function extensionOf(name: string): string {
  return /\.[^./\\]*$/.exec(name.toLowerCase())?.[0] ?? '';
}

/** The format of a file, by its name. */
export function formatOf(name: string): ArticleFormat | undefined {
  const ext = extensionOf(name);
  return formats.find((f) => f.extensions.includes(ext));
}

/** Whether a folder entry is an article file: a format's ending, and not hidden. */
export function isArticleFile(name: string): boolean {
  return formatOf(name) !== undefined && !name.startsWith('.');
}

/**
 * The format of something fetched from a link: what its bytes show it to be when they can tell
 * (a PDF served as `application/octet-stream`), else what the server says it is.
 */
export function formatOfContent(contentType: string, bytes: Uint8Array): ArticleFormat | undefined {
  return formats.find((f) => f.sniff?.(bytes)) ?? formats.find((f) => f.contentTypes.includes(contentType));
}

/** Reads `source` with the format its name says; an ArticleError saying why when it cannot. */
export async function readArticle(source: Source, format = formatOf(source.file)): Promise<Article> {
  if (!format) throw new ArticleError(source.file, `is not one of the formats I read (${EXTENSIONS.join(', ')})`);
  return withoutControlCharacters(await format.read(source));
}

/**
 * C0 control characters other than tab and line breaks (a NUL in a text file, a form feed from a
 * PDF) are no text anyone reads, and Postgres cannot store a NUL: they are left out everywhere.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function withoutControlCharacters(article: Article): Article {
  return JSON.parse(JSON.stringify(article), (_key, value: unknown) => (typeof value === 'string' ? value.replace(CONTROL, '') : value)) as Article;
}
