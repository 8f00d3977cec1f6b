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
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? '';
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A stray % (“/report%zz.pdf”) is no reason to refuse a page that downloaded fine: the name keeps it as written.
  }
  const last = decoded.replace(/\.[^.]*$/, '');
  const base = slugOf(last) === 'article' ? slugOf(url.hostname.replace(/^www\./, '')) : slugOf(last);
  return `${base}${format.extensions[0]}`;
}

/** The link as a URL, or why it is not one that can be fetched: a sentence, never a throw. */
function parseLink(link: string): URL | string {
  const shown = `“${link.slice(0, 200)}”`;
  if (!/^https?:\/\/\S+$/i.test(link)) return `${shown} is not a web address (http:// or https://).`;
  // URL parsers reject an IPv6 zone (“[fe80::1%25eth0]”) as malformed, but what it asks for is
  // plain: an interface of the bot's own machine. It gets the same answer as any private address.
  const zoned = /^https?:\/\/(?:[^/?#]*@)?(\[[^\]/?#]{0,100}%[^\]/?#]{0,100}\])(:\d{0,5})?/i.exec(link);
  if (zoned) return `Could not download the link ${zoned[1]}${zoned[2] ?? ''}: ${zoned[1]} is not a public web address. Nothing was added.`;
  try {
    return new URL(link);
  } catch {
    return `${shown} is not a web address I can read; check that it was copied whole. Nothing was added.`;
  }
}

/** Fetches `link`; the refusal is a sentence the member can act on. */
export async function fetchLink(link: string, { maxBytes = MAX_LINK_BYTES, timeoutMs, allowLoopback = false }: LinkOptions): Promise<Fetched> {
  const parsed = parseLink(link);
  if (typeof parsed === 'string') return { ok: false, reason: parsed };
  let fetched;
  try {
    fetched = await download(link, { maxBytes, timeoutMs, publicOnly: true, allowLoopback, label: `the link ${parsed.host}` });
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
