// `.pdf`, and links to PDFs: Mozilla's pdf.js reads the text layer (each piece of text with its
// position and size) in a thread of its own (pdf-worker.mjs), and pdf-layout.ts rebuilds the
// paragraphs from it. Title, author, source
// and date come from the document's metadata (XMP, then the document information) or, for the
// title, the headline printed on the first page; the date only from publication metadata (XMP's
// prism:publicationDate or dc:date), never from when the file was made. A scanned PDF, pictures
// of pages with no text layer, has nothing to quote and is refused as such.
import { Worker } from 'node:worker_threads';
import { ArticleError, articleOf, type ArticleMeta } from '../article.js';
import { layoutPages, type PageText } from './pdf-layout.js';
import type { ArticleFormat } from './types.js';

/** Pages read at most: a reading is tens of pages; a book would cost minutes and memory. */
export const MAX_PDF_PAGES = 300;

/** Time a PDF may take to read: a file built to make the parser work hard is stopped, not read for minutes. */
export const MAX_PDF_READ_MS = 30_000;

/** Memory the parser's thread may use: a PDF that needs more is refused, and the bot keeps its own. */
export const MAX_PDF_MEMORY_MB = 512;

/** What the parser's thread found: every page's pieces of text and the metadata, or why it could not. */
type Extracted = { pages: PageText[]; info: Record<string, unknown>; xmp: Record<string, unknown> } | { problem: string };

/**
 * The parser's thread, started on the first PDF and kept while PDFs come (unreferenced between
 * them, so it never keeps the process alive). PDFs are read one at a time; one that runs out of
 * time or memory takes the thread down with it, and the next PDF starts a new one.
 */
class PdfThread {
  #worker: Worker | undefined;
  #turn: Promise<unknown> = Promise.resolve();
  #ids = 0;

  extract(bytes: Uint8Array): Promise<Extracted> {
    const result = this.#turn.then(() => this.#run(bytes));
    this.#turn = result.catch(() => undefined);
    return result;
  }

  #run(bytes: Uint8Array): Promise<Extracted> {
    const worker = (this.#worker ??= new Worker(new URL('./pdf-worker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: MAX_PDF_MEMORY_MB } }));
    const id = ++this.#ids;
    worker.ref();
    return new Promise((resolve) => {
      const settle = (result: Extracted, stop: boolean) => {
        clearTimeout(timer);
        worker.off('message', answered).off('error', failed).off('exit', failed);
        if (stop) {
          this.#worker = undefined;
          void worker.terminate();
        } else worker.unref();
        resolve(result);
      };
      const answered = (message: Extracted & { id: number }) => {
        if (message.id === id) settle(message, false);
      };
      const failed = (err?: unknown) => {
        const memory = (err as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        settle({ problem: memory ? `needs more than ${MAX_PDF_MEMORY_MB} MB to read` : 'is not a PDF I can read (reading it failed)' }, true);
      };
      const timer = setTimeout(() => settle({ problem: `took more than ${MAX_PDF_READ_MS / 1000} s to read` }, true), MAX_PDF_READ_MS);
      worker.on('message', answered).on('error', failed).on('exit', failed);
      // pdf.js takes its buffer over: the thread gets a copy, so the caller's bytes stay usable.
      const copy = new Uint8Array(bytes);
      worker.postMessage({ id, bytes: copy, maxPages: MAX_PDF_PAGES }, [copy.buffer]);
    });
  }
}

const thread = new PdfThread();

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
    const extracted = await thread.extract(bytes);
    if ('problem' in extracted) throw new ArticleError(file, extracted.problem);
    const { pages, info, xmp } = extracted;
    const letters = pages.reduce((n, p) => n + p.pieces.reduce((m, piece) => m + (piece.text.match(/\p{L}/gu)?.length ?? 0), 0), 0);
    if (letters < 20) throw new ArticleError(file, 'has no text to quote: it looks like a scanned PDF, pictures of pages without a text layer');
    const { blocks, headline } = layoutPages(pages);
    const metadata = new Map(Object.entries(xmp));
    const given = text(metadata.get('dc:title')) ?? text(info.Title);
    const title = given && !madeUp(given) ? given : headline;
    const date = text(metadata.get('prism:publicationdate')) ?? text(metadata.get('dc:date'));
    const meta: ArticleMeta = {
      ...(title && { title }),
      ...((text(metadata.get('dc:creator')) ?? text(info.Author)) && { author: text(metadata.get('dc:creator')) ?? text(info.Author) }),
      ...(text(metadata.get('prism:publicationname')) && { source: text(metadata.get('prism:publicationname')) }),
      ...(date && { date: date.replace(/^(\d{4}-\d{2}-\d{2})T.*$/, '$1') }),
      ...(url && { url }),
      ...(text(info.Language) && { language: text(info.Language) }),
    };
    return articleOf(file, meta, blocks);
  },
} satisfies ArticleFormat;
