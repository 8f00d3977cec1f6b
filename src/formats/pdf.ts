// `.pdf`, and links to PDFs: Mozilla's pdf.js reads the text layer (each piece of text with its
// position and size), and pdf-layout.ts rebuilds the paragraphs from it. Title, author, source
// and date come from the document's metadata (XMP, then the document information) or, for the
// title, the headline printed on the first page; the date only from publication metadata (XMP's
// prism:publicationDate or dc:date), never from when the file was made. A scanned PDF, pictures
// of pages with no text layer, has nothing to quote and is refused as such.
import { getDocument, PasswordResponses, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
// pdf.js parses in its "worker", which in Node runs in this thread and is otherwise imported on
// the first PDF read, blocking the event loop for the best part of a second right then. Loaded
// here, with the rest of the bot, it costs that at start-up instead.
import * as pdfjsWorker from 'pdfjs-dist/legacy/build/pdf.worker.mjs';
import { ArticleError, articleOf, type ArticleMeta } from '../article.js';
import { layoutPages, type PageText } from './pdf-layout.js';
import type { ArticleFormat } from './types.js';

(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = pdfjsWorker;

/** Pages read at most: a reading is tens of pages; a book would cost minutes and memory. */
export const MAX_PDF_PAGES = 300;

/** Time a PDF may take to read: a file built to make the parser work hard is given up, not served for minutes. */
export const MAX_PDF_READ_MS = 30_000;

const MAGIC = '%PDF-';

function isPdf(bytes: Uint8Array): boolean {
  // The header may follow a little junk, as readers allow.
  return new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).includes(MAGIC);
}

/** Whether the file ends as a PDF does: a file cut off in a download has no `%%EOF` at its end. */
function isWhole(bytes: Uint8Array): boolean {
  return new TextDecoder('latin1').decode(bytes.subarray(Math.max(0, bytes.byteLength - 1024))).includes('%%EOF');
}

function text(value: unknown): string | undefined {
  const joined = Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : value;
  return typeof joined === 'string' && joined.replace(/\s+/g, ' ').trim() ? joined.replace(/\s+/g, ' ').trim() : undefined;
}

/** Titles that PDF makers fill in by themselves: file names, "Untitled", "Microsoft Word - draft.docx". */
function madeUp(title: string): boolean {
  return /^(untitled|document\d*|microsoft (word|powerpoint) - .*)$|\.(docx?|pdf|indd|tex|qxd|rtf)$/i.test(title) || !/\s/.test(title);
}

export const pdfFormat = {
  name: 'PDF',
  extensions: ['.pdf'],
  contentTypes: ['application/pdf'],
  sniff: isPdf,
  read: async ({ file, bytes, url }) => {
    if (!isPdf(bytes)) throw new ArticleError(file, 'is not a PDF');
    if (!isWhole(bytes)) throw new ArticleError(file, 'is cut off: it does not end as a PDF does (was the download complete?)');
    // pdf.js takes the buffer over, and refuses a Node Buffer: it gets a plain copy.
    const task = getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: VerbosityLevel.ERRORS, stopAtErrors: false });
    let pdf;
    try {
      pdf = await task.promise;
    } catch (err) {
      if ((err as { name?: string; code?: number }).name === 'PasswordException') {
        throw new ArticleError(file, (err as { code?: number }).code === PasswordResponses.NEED_PASSWORD ? 'is protected by a password' : 'is protected by a password I do not have');
      }
      throw new ArticleError(file, 'is not a PDF I can read (it may be damaged)');
    }
    try {
      if (pdf.numPages > MAX_PDF_PAGES) throw new ArticleError(file, `has ${pdf.numPages} pages; I read PDFs of at most ${MAX_PDF_PAGES}`);
      const pages: PageText[] = [];
      const started = performance.now();
      for (let number = 1; number <= pdf.numPages; number++) {
        if (performance.now() - started > MAX_PDF_READ_MS) throw new ArticleError(file, `took more than ${MAX_PDF_READ_MS / 1000} s to read, and was given up at page ${number}`);
        const page = await pdf.getPage(number);
        const [x0, y0, x1, y1] = page.view as [number, number, number, number];
        const content = await page.getTextContent();
        const pieces = content.items.flatMap((item) =>
          'str' in item ? [{ text: item.str, x: item.transform[4] - x0, y: item.transform[5] - y0, width: item.width, size: Math.hypot(item.transform[2], item.transform[3]) || item.height }] : [],
        );
        pages.push({ number, width: x1 - x0, height: y1 - y0, pieces });
        page.cleanup();
        // A turn of the event loop between pages, so other servers' questions are answered meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const letters = pages.reduce((n, p) => n + p.pieces.reduce((m, piece) => m + (piece.text.match(/\p{L}/gu)?.length ?? 0), 0), 0);
      if (letters < 20) throw new ArticleError(file, 'has no text to quote: it looks like a scanned PDF, pictures of pages without a text layer');
      const { blocks, headline } = layoutPages(pages);
      const { info, metadata } = (await pdf.getMetadata().catch(() => ({ info: {}, metadata: null }))) as { info: Record<string, unknown>; metadata: { get(name: string): unknown } | null };
      const given = text(metadata?.get('dc:title')) ?? text(info.Title);
      const title = given && !madeUp(given) ? given : headline;
      const date = text(metadata?.get('prism:publicationdate')) ?? text(metadata?.get('dc:date'));
      const meta: ArticleMeta = {
        ...(title && { title }),
        ...((text(metadata?.get('dc:creator')) ?? text(info.Author)) && { author: text(metadata?.get('dc:creator')) ?? text(info.Author) }),
        ...(text(metadata?.get('prism:publicationname')) && { source: text(metadata?.get('prism:publicationname')) }),
        ...(date && { date: date.replace(/^(\d{4}-\d{2}-\d{2})T.*$/, '$1') }),
        ...(url && { url }),
        ...(text(info.Language) && { language: text(info.Language) }),
      };
      return articleOf(file, meta, blocks);
    } finally {
      await pdf.destroy();
    }
  },
} satisfies ArticleFormat;
