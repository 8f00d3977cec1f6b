// The ingestion wing: every way an article enters a server's library (an upload, a link) goes
// through here, one at a time, is read by the format registry (src/formats/), takes what the
// uploader typed over what the file says, and is handed to the server's ArticleStore. Nothing
// here trusts the input: size, type, encoding, name, date, address and content are checked, and
// every refusal says why in words the uploader can act on.
import { ArticleError } from './article.js';
import { parseDate } from './dates.js';
import { EXTENSIONS, formatOf, readArticle, type ArticleFormat, type Source } from './formats/index.js';
import { fetchLink, type LinkOptions } from './links.js';
import type { AddResult, ArticleStore } from './store.js';
import type { Article } from './types.js';

export type { AddResult };

/** Largest file `/add` takes; a link may be larger (`LinkOptions.maxBytes`). */
export const MAX_UPLOAD_BYTES = 1_000_000;

/** What the uploader said about an article, over what the file says. */
export interface Overrides {
  title?: string | undefined;
  source?: string | undefined;
  date?: string | undefined;
  url?: string | undefined;
}

/** A file someone uploaded, with what they said about it. */
export interface Upload extends Overrides {
  fileName: string;
  bytes: Uint8Array;
}

/** What is wrong with a file by its name and size alone, so it can be refused before downloading it. */
export function uploadProblem(fileName: string, size: number): string | undefined {
  if (!formatOf(fileName)) return `Only ${EXTENSIONS.join(', ')} files can be added; “${fileName}” is not one.`;
  if (size > MAX_UPLOAD_BYTES) return `“${fileName}” is ${Math.ceil(size / 1000)} KB; the limit is ${MAX_UPLOAD_BYTES / 1_000_000} MB.`;
  return undefined;
}

/** What is wrong with the uploader's own values, or undefined. */
export function overridesProblem({ date, url }: Overrides): string | undefined {
  if (date && !parseDate(date)) return `“${date}” is not a date I can read; write it like 1997-06-20.`;
  if (url && !/^https?:\/\/\S+$/i.test(url)) return `“${url}” is not a web address (http:// or https://).`;
  return undefined;
}

/** The reason an ArticleError gives, as a sentence about the file a member knows by `name`. */
function unreadable(err: unknown, name: string): string {
  if (!(err instanceof ArticleError)) throw err;
  return `“${name}” ${err.problem}.`;
}

export interface LibraryOptions {
  /** How links given to /add are fetched: size, deadline, which addresses. */
  links: LinkOptions;
}

export class Library {
  #turn: Promise<unknown> = Promise.resolve();

  constructor(
    readonly store: ArticleStore,
    readonly options: LibraryOptions,
  ) {}

  /**
   * Runs `task` after every change queued before it, in a turn of the event loop of its own.
   * Reading and indexing an upload takes tens of milliseconds (a PDF, more); thirty arriving
   * together, run back to back, would keep every other server waiting for all of them.
   */
  exclusive<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#turn.then(() => new Promise((resolve) => setImmediate(resolve))).then(task);
    this.#turn = result.catch(() => undefined);
    return result;
  }

  /** Reads an uploaded file and stores it for server `guildId`; the refusal says why when it cannot. */
  add(guildId: string, upload: Upload): Promise<AddResult> {
    return this.exclusive(async () => {
      const problem = uploadProblem(upload.fileName, upload.bytes.byteLength) ?? overridesProblem(upload);
      if (problem) return { ok: false, reason: problem };
      return this.#store(guildId, { file: upload.fileName, bytes: upload.bytes }, upload.fileName, upload);
    });
  }

  /** Fetches a web page or PDF and stores it for server `guildId`, the link kept for the citation. */
  addLink(guildId: string, link: string, overrides: Overrides = {}): Promise<AddResult> {
    return this.exclusive(async () => {
      const problem = overridesProblem(overrides);
      if (problem) return { ok: false, reason: problem };
      const fetched = await fetchLink(link, this.options.links);
      if (!fetched.ok) return fetched;
      return this.#store(guildId, fetched.source, fetched.name, overrides, fetched.format);
    });
  }

  async #store(guildId: string, source: Source, name: string, overrides: Overrides, format?: ArticleFormat): Promise<AddResult> {
    const read = await readUpload(source, name, overrides, format);
    return read.ok ? this.store.add(guildId, read.article) : read;
  }

  /** Removes one of a server's articles; undefined when that server has no such article. */
  remove(guildId: string, articleId: string): Promise<Article | undefined> {
    return this.exclusive(() => this.store.remove(guildId, articleId));
  }
}

/**
 * Reads `source` (known to the member as `name`) in its format, with what the uploader typed in
 * place of what the file says; the refusal is a sentence about the file.
 */
export async function readUpload(source: Source, name: string, overrides: Overrides, format = formatOf(source.file)): Promise<AddResult> {
  try {
    return { ok: true, article: withOverrides(await readArticle(source, format), overrides) };
  } catch (err) {
    return { ok: false, reason: unreadable(err, name) };
  }
}

/** The article with what the uploader typed in place of what the file says (checked by `overridesProblem`). */
export function withOverrides(article: Article, { title, source, date, url }: Overrides): Article {
  return {
    ...article,
    ...(title && { title }),
    ...(source && { source }),
    ...(date && { date: parseDate(date)! }),
    ...(url && { url }),
  };
}
