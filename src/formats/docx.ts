// `.docx` (Word): mammoth turns the document into HTML of its paragraphs and headings as the
// author wrote them, without Word's styling; footnotes and endnotes come at the end, each kept
// apart from the body as a footnote with the number Word prints for it. The reference marks in
// the body are left out of its sentences. The title is the paragraph styled Title, or a heading
// before the first paragraph; Word's file properties (the account that made the file, when it
// was saved) say nothing of the article's author or date, so they are not read.
import mammoth from 'mammoth';
import { parseHTML } from 'linkedom';
import { ArticleError, articleOf, type Block } from '../article.js';
import type { ArticleFormat } from './types.js';

/** More text than any reading unpacked from a file of at most a few MB: a zip bomb, not an article. */
const MAX_UNPACKED_BYTES = 100_000_000;

const STYLE_MAP = ["p[style-name='Title'] => h1.title:fresh", "p[style-name='Subtitle'] => h2:fresh"];
const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, blockquote, td';

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The sizes the zip's central directory declares for its files, added up; undefined when the
 * bytes are not a zip. Checked before unpacking, so a small file that unpacks to gigabytes is
 * refused instead of filling memory.
 */
function unpackedSize(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 64 KB + 22 bytes.
  for (let at = bytes.byteLength - 22; at >= Math.max(0, bytes.byteLength - 65_557); at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    let entry = view.getUint32(at + 16, true);
    let total = 0;
    for (let i = view.getUint16(at + 10, true); i > 0; i--) {
      if (entry + 46 > bytes.byteLength || view.getUint32(entry, true) !== 0x02014b50) return undefined;
      total += view.getUint32(entry + 24, true);
      entry += 46 + view.getUint16(entry + 28, true) + view.getUint16(entry + 30, true) + view.getUint16(entry + 32, true);
    }
    return total;
  }
  return undefined;
}

export const docxFormat = {
  name: 'Word document',
  extensions: ['.docx'],
  contentTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  read: async ({ file, bytes, url }) => {
    const size = unpackedSize(bytes);
    if (size === undefined) throw new ArticleError(file, 'is not a Word document (.docx): it is not even a zip file');
    if (size > MAX_UNPACKED_BYTES) throw new ArticleError(file, `unpacks to ${Math.round(size / 1_000_000)} MB, far more than any article`);
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
    const body = [...document.querySelectorAll(BLOCKS)].filter((el) => !el.querySelector(BLOCKS));
    const titled = document.querySelector('h1.title');
    const firstHeading = body.find((el) => /^H[1-6]$/.test(el.tagName) || el.tagName === 'P');
    const heading = titled ?? (firstHeading && /^H[1-6]$/.test(firstHeading.tagName) ? firstHeading : undefined);
    const title = clean(heading?.textContent);
    blocks.unshift(...body.map((el) => ({ text: clean(el.textContent) })).filter((b) => b.text));
    if (!blocks.some((b) => b.footnote === undefined)) throw new ArticleError(file, 'has no text to quote');
    return articleOf(file, { ...(title && { title }), ...(url && { url }) }, blocks);
  },
} satisfies ArticleFormat;
