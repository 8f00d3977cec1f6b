// `.pdf`, and links to PDFs: Mozilla's pdf.js reads the text layer (each piece of text with its
// position and size), and pdf-layout.ts rebuilds the paragraphs from it. Title, author, source
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

/**
 * The widest or tallest page read, in PDF units: the format's own limit (200 inches). A page
 * declared larger (1e300 units wide) is a file built to make the layout's loops over the page
 * run without end.
 */
export const MAX_PAGE_UNITS = 14_400;

/** What pdf.js found: every page's pieces of text, and the metadata. */
interface Extracted {
  pages: PageText[];
  info: Record<string, unknown>;
  xmp: Record<string, unknown>;
}

/**
 * Reads the text layer with pdf.js, in a thread of its own started without the TypeScript
 * loader: under it, pdf.js takes several times the memory. This runs in a reader process
 * (src/reading/), which is killed when a file takes too long or too much memory, thread and all.
 */
async function extract(file: string, bytes: Uint8Array): Promise<Extracted> {
  const worker = new Worker(new URL('./pdf-worker.mjs', import.meta.url), { execArgv: [] });
  try {
    const extracted = await new Promise<Extracted | { problem: string }>((resolve, reject) => {
      worker.once('message', resolve).once('error', reject);
      // pdf.js takes its buffer over: the thread gets a copy, so the caller's bytes stay usable.
      const copy = new Uint8Array(bytes);
      worker.postMessage({ bytes: copy, maxPages: MAX_PDF_PAGES }, [copy.buffer]);
    });
    if ('problem' in extracted) throw new ArticleError(file, extracted.problem);
    return { ...extracted, pages: extracted.pages.map((page) => onThePage(file, page)) };
  } finally {
    void worker.terminate();
  }
}

/** A page whose size can be laid out, with only the pieces of text on it; an ArticleError for a page no printer could print. */
function onThePage(file: string, page: PageText): PageText {
  const { width, height } = page;
  if (!(width <= MAX_PAGE_UNITS && height <= MAX_PAGE_UNITS)) {
    throw new ArticleError(file, `has a page of ${sizeOf(width)} × ${sizeOf(height)} units; PDF pages are at most ${MAX_PAGE_UNITS.toLocaleString('en')} (200 inches)`);
  }
  // A piece placed far off the page, or at no number at all, is no text a reader sees.
  const pieces = page.pieces.filter((piece) => Number.isFinite(piece.x + piece.y + piece.width + piece.size) && Math.abs(piece.x) <= MAX_PAGE_UNITS && Math.abs(piece.y) <= MAX_PAGE_UNITS);
  return { ...page, pieces };
}

/** A page dimension as a member can read it: "612", "1e+300". */
function sizeOf(units: number): string {
  return units < 1e7 ? String(Math.round(units)) : units.toPrecision(2);
}

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
    const { pages, info, xmp } = await extract(file, bytes);
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
