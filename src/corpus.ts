// Loading a corpus folder: every file of a registered format (src/formats/) is an article. A file that cannot be read
// or parsed is skipped with a warning naming it, so one bad file never takes the others down.
// Only regular files are read, up to a size cap, and a link is followed only to a file inside the
// folder: a FIFO would block start-up, a link to /dev/zero would fill memory, and a link to
// /etc/passwd would be quoted to anyone who asks.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { ArticleError, articleIdOf } from './article.js';
import { isArticleFile } from './formats/index.js';
import { readDocument } from './reading/read.js';
import type { Facts } from './shelf.js';
import type { Article } from './types.js';

export { articleIdOf, isArticleFile };

export class CorpusError extends Error {
  constructor(message: string) {
    super(`corpus: ${message}`);
    this.name = 'CorpusError';
  }
}

export interface Corpus {
  dir: string;
  articles: Article[];
  /** One line per skipped file, naming it and why. */
  warnings: string[];
  /** What the reader processes computed of each article beside it, by id. */
  facts?: Record<string, Facts>;
}

/** An article file larger than this is skipped: no article is, and reading it would cost memory. */
export const MAX_ARTICLE_BYTES = 20_000_000;

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * The bytes of `name` in `dir`, when it is a regular file of at most `maxBytes` inside the
 * folder; otherwise an Error saying what it is. Opened without blocking and checked on the open
 * file, so it cannot become something else between the check and the read.
 */
export function readRegularFile(dir: string, name: string, maxBytes = MAX_ARTICLE_BYTES): Buffer {
  let path = join(dir, name);
  if (lstatSync(path).isSymbolicLink()) {
    let target: string;
    try {
      target = realpathSync(path);
    } catch {
      throw new Error('is a link to nothing');
    }
    const inside = relative(realpathSync(dir), target);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new Error('is a link to a file outside the folder');
    path = target;
  }
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`is ${kindOf(st)}, not an article file`);
    if (st.size > maxBytes) throw new Error(`is ${Math.ceil(st.size / 1_000_000)} MB; the limit is ${maxBytes / 1_000_000} MB`);
    // Read to the cap, not to the size fstat gave: a file that grows meanwhile is cut off and refused.
    const buffer = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > maxBytes) throw new Error(`is larger than the limit of ${maxBytes / 1_000_000} MB`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Reads the article file `name` of `dir` in a reader process, in `queue`'s turn; rejects with the reason when it cannot. */
export async function readArticleFile(dir: string, name: string, queue = ''): Promise<Article> {
  const file = join(dir, name);
  const read = await readDocument({ file, bytes: readRegularFile(dir, name) }, { queue });
  if (!read.ok) throw new ArticleError(file, read.problem);
  return read.article;
}

/** The article files of a folder, sorted; a CorpusError naming the folder when it cannot be read. */
export function articleFiles(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) throw new CorpusError(`${dir} is not a folder`);
    return readdirSync(dir).filter(isArticleFile).sort();
  } catch (err) {
    if (err instanceof CorpusError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CorpusError(code === 'ENOENT' ? `folder not found: ${dir}` : `cannot read folder ${dir} (${code ?? String(err)})`);
  }
}

/** One article file as last read: how it stood on disk, and a hash of its content (or why it could not be read). */
export interface FileState {
  /** Size, modification and change times, inode: when these are the same the file was not touched. */
  stamp: string;
  /** SHA-256 of the bytes, or `!` and the reason the file could not be read. */
  hash: string;
}

/** Every article file of a folder, by name. */
export type FolderState = Map<string, FileState>;

/** A folder's article files, read (those whose stamp changed since `previous`) and hashed. */
export interface FolderRead {
  state: FolderState;
  /** The bytes of each file read this time, to parse without reading it again. */
  bytes: Map<string, Buffer>;
}

function stampOf(dir: string, name: string): string | undefined {
  // Any write changes the change time, which, unlike the modification time, cannot be set back.
  // A link to nothing has a stamp of its own, so that it is read, and warned about.
  for (const stat of [statSync, lstatSync]) {
    try {
      const st = stat(join(dir, name));
      return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
    } catch {
      // deleted since the listing: try the next, then give up
    }
  }
  return undefined;
}

/**
 * Reads the article files of `dir`. A file whose stamp is what `previous` recorded keeps its
 * hash unread (the live watcher rescans often); the others are read and hashed, so an edit that
 * keeps the size and puts the modification time back is still seen.
 */
export function readFolder(dir: string, previous?: FolderState): FolderRead {
  const state: FolderState = new Map();
  const bytes = new Map<string, Buffer>();
  for (const name of articleFiles(dir)) {
    const stamp = stampOf(dir, name);
    if (stamp === undefined) continue; // deleted since the listing
    const known = previous?.get(name);
    if (known && known.stamp === stamp) {
      state.set(name, known);
      continue;
    }
    try {
      const content = readRegularFile(dir, name);
      bytes.set(name, content);
      state.set(name, { stamp, hash: createHash('sha256').update(content).digest('hex') });
    } catch (err) {
      state.set(name, { stamp, hash: `!${(err as Error).message}` });
    }
  }
  return { state, bytes };
}

/** Parses what `readFolder` read: the articles, and a warning for each file that could not be used. */
export async function parseFolder(dir: string, { state, bytes }: FolderRead): Promise<Corpus> {
  // Handed to the readers all at once: they read as many at a time as the pool allows.
  const reads = [...state].map(async ([name, { hash }]) => {
    const content = bytes.get(name);
    if (hash.startsWith('!') || !content) return { name, read: { ok: false as const, problem: hash.startsWith('!') ? hash.slice(1) : 'was not read' } };
    return { name, read: await readDocument({ file: join(dir, name), bytes: content }) };
  });
  const articles: Article[] = [];
  const facts: Record<string, Facts> = {};
  const warnings: string[] = [];
  for (const { name, read } of await Promise.all(reads)) {
    const file = join(dir, name);
    if (read.ok && articles.some((a) => a.id === read.article.id)) warnings.push(`skipped ${file}: another file already has the id ${read.article.id}`);
    else if (read.ok) {
      articles.push(read.article);
      facts[read.article.id] = read.facts;
    } else warnings.push(`skipped ${file}: ${read.problem}`);
  }
  return { dir, articles, warnings, facts };
}

export async function loadCorpus(dir: string): Promise<Corpus> {
  return parseFolder(dir, readFolder(dir));
}
