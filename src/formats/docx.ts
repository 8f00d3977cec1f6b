// `.docx` (Word): mammoth turns the document into HTML of its paragraphs and headings as the
// author wrote them, without Word's styling; footnotes and endnotes come at the end, each kept
// apart from the body as a footnote with the number Word prints for it. The reference marks in
// the body are left out of its sentences. The title is the paragraph styled Title, or a heading
// before the first paragraph; Word's file properties (the account that made the file, when it
// was saved) say nothing of the article's author or date, so they are not read.
import { ArticleError, articleOf, MAX_PARAGRAPHS, type Block } from '../article.js';
import type { ArticleFormat } from './types.js';
import { unzip, ZipError } from './zip.js';

/** More text than any reading unpacked from a file of at most a few MB: a zip bomb, not an article. */
const MAX_UNPACKED_BYTES = 100_000_000;

const STYLE_MAP = ["p[style-name='Title'] => h1.title:fresh", "p[style-name='Subtitle'] => h2:fresh"];
const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, blockquote, td';

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The paragraphs of the document's body that hold text, counted in its XML in one pass: a file
 * of 100,000 paragraphs is refused before mammoth spends a minute and gigabytes on it.
 */
function paragraphsWithText(xml: string): number {
  let count = 0;
  for (const paragraph of xml.split('</w:p>')) if (/<w:t(?:\s[^>]*)?>[^<]*\S/.test(paragraph)) count++;
  return count;
}

/** The document's files, unpacked within the limit; an ArticleError saying why when they cannot be. */
function unpacked(file: string, bytes: Uint8Array): Map<string, Buffer> {
  try {
    return unzip(bytes, MAX_UNPACKED_BYTES);
  } catch (err) {
    if (!(err instanceof ZipError)) throw err;
    if (err.reason === 'limit') throw new ArticleError(file, `unpacks to more than ${MAX_UNPACKED_BYTES / 1_000_000} MB, far more than any article`);
    if (err.reason === 'not-zip') throw new ArticleError(file, 'is not a Word document (.docx): it is not even a zip file');
    throw new ArticleError(file, 'is not a Word document (.docx) that I can read (it may be damaged, or another kind of zip file)');
  }
}

export const docxFormat = {
  name: 'Word document',
  extensions: ['.docx'],
  contentTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  read: async ({ file, bytes, url }) => {
    const body = unpacked(file, bytes).get('word/document.xml');
    if (!body) throw new ArticleError(file, 'is not a Word document (.docx) that I can read (it may be damaged, or another kind of zip file)');
    if (paragraphsWithText(body.toString('utf8')) > MAX_PARAGRAPHS) {
      throw new ArticleError(file, `has more than ${MAX_PARAGRAPHS.toLocaleString('en')} paragraphs; I read articles of at most ${MAX_PARAGRAPHS.toLocaleString('en')}`);
    }
    // Loaded with the first Word file, by the reader processes alone.
    const [{ default: mammoth }, { parseHTML }] = await Promise.all([import('mammoth'), import('linkedom')]);
    let html: string;
    try {
      ({ value: html } = await mammoth.convertToHtml(
        { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
        // Pictures are not quoted: no data URIs of megabytes, and never a file outside the document.
        { styleMap: STYLE_MAP, externalFileAccess: false, convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
      ));
    } catch {
      throw new ArticleError(file, 'is not a Word document (.docx) that I can read (it may be damaged, or another kind of zip file)');
    }
    const { document } = parseHTML(`<html><body>${html}</body></html>`);
    // Word's numbers for its notes, from the marks in the text ("[3]"), which are then dropped.
    const numbers = new Map<string, string>();
    for (const mark of document.querySelectorAll('a[id^="footnote-ref-"], a[id^="endnote-ref-"]')) {
      numbers.set(mark.getAttribute('id')!.replace('-ref-', '-'), clean(mark.textContent).replace(/^\[|\]$/g, ''));
      (mark.parentElement?.tagName === 'SUP' ? mark.parentElement : mark).remove();
    }
    const blocks: Block[] = [];
    for (const note of document.querySelectorAll('li[id^="footnote-"], li[id^="endnote-"]')) {
      note.remove();
      const text = clean(note.textContent).replace(/\s*↑$/, '');
      if (text) blocks.push({ text, footnote: numbers.get(note.getAttribute('id')!) ?? String(blocks.length + 1) });
    }
    const inner = [...document.querySelectorAll(BLOCKS)].filter((el) => !el.querySelector(BLOCKS));
    const titled = document.querySelector('h1.title');
    const firstHeading = inner.find((el) => /^H[1-6]$/.test(el.tagName) || el.tagName === 'P');
    const heading = titled ?? (firstHeading && /^H[1-6]$/.test(firstHeading.tagName) ? firstHeading : undefined);
    const title = clean(heading?.textContent);
    blocks.unshift(...inner.map((el) => ({ text: clean(el.textContent) })).filter((b) => b.text));
    if (!blocks.some((b) => b.footnote === undefined)) throw new ArticleError(file, 'has no text to quote');
    return articleOf(file, { ...(title && { title }), ...(url && { url }) }, blocks);
  },
} satisfies ArticleFormat;
