// A link given to /add or `npm run add`: fetched safely (http and https only, public addresses
// only, checked on every connection and at every redirect, at most 5 redirects, a byte cap and
// a deadline; see download.ts) and handed to the format its content is, a web page or a PDF.
import { download, DownloadError } from './download.js';
import { formatOfContent, type ArticleFormat, type Source } from './formats/index.js';
import { slugOf } from './server-store.js';

export interface LinkOptions {
  /** Largest page or PDF fetched, in bytes. Default 2 MB. */
  maxBytes?: number;
  /** Deadline for the whole fetch, redirects included, in milliseconds. */
  timeoutMs: number;
  /** Test-only: let links reach loopback addresses (see `DownloadOptions.allowLoopback`). Default false. */
  allowLoopback?: boolean;
}

export const MAX_LINK_BYTES = 2_000_000;

export type Fetched = { ok: true; source: Source; format: ArticleFormat; name: string } | { ok: false; reason: string };

/** A file name for what a link gave: its last path segment (or its host), in the format's own ending. */
function fileNameOf(url: URL, format: ArticleFormat): string {
  const last = decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() ?? '').replace(/\.[^.]*$/, '');
  const base = slugOf(last) === 'article' ? slugOf(url.hostname.replace(/^www\./, '')) : slugOf(last);
  return `${base}${format.extensions[0]}`;
}

/** Fetches `link`; the refusal is a sentence the member can act on. */
export async function fetchLink(link: string, { maxBytes = MAX_LINK_BYTES, timeoutMs, allowLoopback = false }: LinkOptions): Promise<Fetched> {
  if (!/^https?:\/\/\S+$/i.test(link)) return { ok: false, reason: `“${link.slice(0, 200)}” is not a web address (http:// or https://).` };
  let fetched;
  try {
    fetched = await download(link, { maxBytes, timeoutMs, publicOnly: true, allowLoopback, label: `the link ${new URL(link).host}` });
  } catch (err) {
    if (err instanceof DownloadError) return { ok: false, reason: `${err.message} Nothing was added.` };
    throw err;
  }
  const format = formatOfContent(fetched.contentType, fetched.bytes);
  if (!format) {
    return { ok: false, reason: `The link gave ${fetched.contentType ? `a file of type ${fetched.contentType}` : 'a file of no stated type'}, not a web page or a PDF. Nothing was added.` };
  }
  const url = new URL(fetched.url);
  return { ok: true, format, name: link, source: { file: fileNameOf(url, format), bytes: fetched.bytes, url: fetched.url, charset: fetched.charset } };
}
