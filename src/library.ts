// The ingestion wing: every way an article enters a server's library (an upload, a link) goes
// through here, one at a time, is read by the format registry (src/formats/), takes what the
// uploader typed over what the file says, and is handed to the server's ArticleStore. Nothing
// here trusts the input: size, type, encoding, name, date, address and content are checked, and
// every refusal says why in words the uploader can act on.
import type { Overrides } from './article.js';
import { parseDate } from './dates.js';
import { EXTENSIONS, formatOf, type Source } from './formats/index.js';
import { fetchLink, type LinkOptions } from './links.js';
import { readDocument, type ReadOptions, type Waiting } from './reading/read.js';
import type { Facts } from './shelf.js';
import type { AddResult, ArticleStore } from './store.js';
import type { Article } from './types.js';

export type { AddResult, Overrides, Waiting };

/** An upload read: the article with what the uploader typed over what the file says, and its facts; or why not. */
export type UploadRead = { ok: true; article: Article; facts: Facts } | { ok: false; reason: string };

/** Largest file `/add` takes; a link may be larger (`LinkOptions.maxBytes`). */
export const MAX_UPLOAD_BYTES = 1_000_000;

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

export interface LibraryOptions {
  /** How links given to /add are fetched: size, deadline, which addresses. */
  links: LinkOptions;
}

export class Library {
  /** Each server's last change: its changes are made one after another, each from the index the last left. */
  readonly #turns = new Map<string, Promise<unknown>>();

  constructor(
    readonly store: ArticleStore,
    readonly options: LibraryOptions,
  ) {}

  /** Runs `change` to server `guildId`'s articles after the changes to them before it; other servers' run meanwhile. */
  #inTurn<T>(guildId: string, change: () => Promise<T>): Promise<T> {
    const result = (this.#turns.get(guildId) ?? Promise.resolve()).then(change);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.#turns.set(guildId, done);
    void done.then(() => this.#turns.get(guildId) === done && this.#turns.delete(guildId));
    return result;
  }

  /**
   * Reads an uploaded file and stores it for server `guildId`; the refusal says why when it
   * cannot. The file is read in a reader process, after the server's uploads before it;
   * `waiting` is told when it has to wait.
   */
  async add(guildId: string, upload: Upload, waiting?: (where: Waiting) => void): Promise<AddResult> {
    const problem = uploadProblem(upload.fileName, upload.bytes.byteLength) ?? overridesProblem(upload);
    if (problem) return { ok: false, reason: problem };
    return this.#store(guildId, await readUpload({ file: upload.fileName, bytes: upload.bytes }, upload.fileName, upload, { queue: guildId, waiting }));
  }

  /** Fetches a web page or PDF and stores it for server `guildId`, the link kept for the citation. */
  async addLink(guildId: string, link: string, overrides: Overrides = {}, waiting?: (where: Waiting) => void): Promise<AddResult> {
    const problem = overridesProblem(overrides);
    if (problem) return { ok: false, reason: problem };
    const fetched = await fetchLink(link, this.options.links);
    if (!fetched.ok) return fetched;
    return this.#store(guildId, await readUpload(fetched.source, fetched.name, overrides, { format: fetched.format, queue: guildId, waiting }));
  }

  #store(guildId: string, read: UploadRead): Promise<AddResult> | AddResult {
    return read.ok ? this.#inTurn(guildId, () => this.store.add(guildId, read.article, read.facts)) : read;
  }

  /** Removes one of a server's articles; undefined when that server has no such article. */
  remove(guildId: string, articleId: string): Promise<Article | undefined> {
    return this.#inTurn(guildId, () => this.store.remove(guildId, articleId));
  }
}

/**
 * Reads `source` (known to the member as `name`) in a reader process, with what the uploader
 * typed in place of what the file says; the refusal is a sentence about the file.
 */
export async function readUpload(source: Source, name: string, overrides: Overrides, options: ReadOptions = {}): Promise<UploadRead> {
  const read = await readDocument(source, { ...options, overrides });
  return read.ok ? { ok: true, article: read.article, facts: read.facts } : { ok: false, reason: `“${name}” ${read.problem}.` };
}
