// `.html` and `.htm`, and links to web pages: Mozilla's Readability (Firefox's reader view) finds
// the article in the page, then its block elements become paragraphs of plain text. Title, site
// name, author and publication date come from the page's metadata (JSON-LD, Open Graph,
// `article:published_time`, which Readability reads), never from a guess.
import type { Readability as ReadabilityClass } from '@mozilla/readability';
import { ArticleError, articleOf, type ArticleMeta } from '../article.js';
import type { ArticleFormat } from './types.js';

/**
 * Elements a page may have: a long article's page has a few thousand, a large wiki page tens of
 * thousands. Readability's passes over the page grow with it; a page of more is built to stall.
 */
export const MAX_ELEMENTS = 100_000;

/**
 * How deep elements may nest: real pages nest a few dozen deep. Readability's work grows faster
 * than the square of the depth (each element's score is passed up to its ancestors, again on
 * every retry), so a few hundred nested divs already take it many seconds, and 45,000 overflow
 * its stack after a minute.
 */
export const MAX_DEPTH = 128;

/**
 * Counts the page's elements and their depth with the tokenizer linkedom builds its tree with
 * (so both see the same nesting), without building the tree: linear, whatever the page.
 */
async function checkShape(file: string, html: string): Promise<void> {
  const { Parser } = await import('htmlparser2');
  let depth = 0;
  let elements = 0;
  const parser = new Parser({
    onopentag() {
      if (++elements > MAX_ELEMENTS) throw new ArticleError(file, `has more than ${MAX_ELEMENTS.toLocaleString('en')} elements; I read pages of at most ${MAX_ELEMENTS.toLocaleString('en')}`);
      if (++depth > MAX_DEPTH) throw new ArticleError(file, `nests its elements more than ${MAX_DEPTH} deep; I read pages nested at most ${MAX_DEPTH} deep`);
    },
    onclosetag() {
      depth--;
    },
  });
  parser.end(html);
}

const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, figcaption, pre, td';

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

// Node 20's TextDecoder reads windows-1252 (what "iso-8859-1" means on the web) as Latin-1: the
// curly quotes and dashes of 0x80–0x9F come out as control characters. These are what they are.
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** The page's text: in the encoding its `<meta charset>` (or else its web server) declares, UTF-8 when none does. */
function decode(file: string, bytes: Uint8Array, served: string | undefined): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1] ?? served;
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(declared ?? 'utf-8', { fatal: true });
  } catch {
    throw new ArticleError(file, `declares the encoding ${JSON.stringify(declared)}, which I cannot read`);
  }
  try {
    const text = decoder.decode(bytes);
    return decoder.encoding === 'windows-1252' ? text.replace(/[\u0080-\u009f]/g, (c) => CP1252[c.charCodeAt(0) - 0x80]!) : text;
  } catch {
    throw new ArticleError(file, declared ? `is not ${declared} text, though it says so` : 'is not UTF-8 text');
  }
}

export const htmlFormat = {
  name: 'web page',
  extensions: ['.html', '.htm'],
  contentTypes: ['text/html', 'application/xhtml+xml'],
  read: async ({ file, bytes, url, charset }) => {
    const html = decode(file, bytes, charset);
    await checkShape(file, html);
    // Loaded with the first page, by the reader processes alone: the bot itself never parses one.
    const [{ Readability }, { parseHTML }] = await Promise.all([import('@mozilla/readability'), import('linkedom')]);
    const { document } = parseHTML(html);
    // Readability refuses a document with no root element (an empty file) by throwing.
    const found = document.documentElement ? new Readability(document as unknown as ConstructorParameters<typeof ReadabilityClass>[0]).parse() : null;
    const { document: content } = parseHTML(`<html><body>${found?.content ?? ''}</body></html>`);
    // Only the innermost blocks: a <li> holding a <p> gives its text once.
    const blocks = [...content.querySelectorAll(BLOCKS)].filter((el) => !el.querySelector(BLOCKS)).map((el) => ({ text: clean(el.textContent) })).filter((b) => b.text);
    if (!found || blocks.length === 0) throw new ArticleError(file, 'has no article in it that I could find (only navigation, or no text)');
    const meta: ArticleMeta = {
      ...(clean(found.title) && { title: clean(found.title) }),
      ...(clean(found.siteName) && { source: clean(found.siteName) }),
      ...(clean(found.byline) && { author: clean(found.byline).replace(/^by\s+/i, '') }),
      // A timestamp ("2024-06-19T10:00:00Z") keeps its calendar date as written; the time is not a date.
      ...(clean(found.publishedTime) && { date: clean(found.publishedTime).replace(/^(\d{4}-\d{2}-\d{2})T.*$/, '$1') }),
      ...(url && { url }),
      ...(clean(found.lang) && { language: clean(found.lang) }),
    };
    return articleOf(file, meta, blocks);
  },
} satisfies ArticleFormat;
