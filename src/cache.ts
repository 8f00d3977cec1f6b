// The persisted index: everything the engine computes from a corpus folder, stored in the folder's
// `.cache/` (ignored by git) so a restart loads it instead of parsing and indexing again. It is
// used only when it matches the folder exactly (every file's name and a hash of its content),
// this version of Footnote, and holds what it should; anything else (missing, truncated, corrupt,
// malformed, stale, another version) is rebuilt from the articles, so a cache can never serve old
// text nor stop the bot from starting.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { articleIdOf, parseFolder, readFolder, type FolderState } from './corpus.js';
import { Engine } from './engine.js';
import type { Snapshot } from './shelf.js';
import { removeTemporaryFiles, writeAtomically } from './files.js';
import type { Logger } from './logger.js';

/** Bump when the shape of the cache file changes. */
export const CACHE_FORMAT = 3;

/**
 * The engine's own code, hashed: a snapshot made by other parsing, tokenising or people-finding
 * code is another version, whatever its format number says.
 */
export const CODE_VERSION = (() => {
  const srcDir = fileURLToPath(new URL('.', import.meta.url));
  const hash = createHash('sha256');
  for (const name of readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((n) => /\.m?[jt]s$/.test(n)).sort()) {
    hash.update(name).update(readFileSync(join(srcDir, name)));
  }
  return hash.digest('hex').slice(0, 16);
})();

function fingerprint(state: FolderState): string {
  // Content hashes, not sizes and times: an edit that keeps the size and puts the time back is still an edit.
  return createHash('sha256').update(JSON.stringify([CACHE_FORMAT, CODE_VERSION, [...state].map(([name, file]) => [name, file.hash])])).digest('hex');
}

export function cacheFile(dir: string): string {
  return join(dir, '.cache', 'footnote-index.json');
}

export interface OpenedEngine {
  engine: Engine;
  /** The folder as it was when the engine was built or its cache was checked. */
  state: FolderState;
  fromCache: boolean;
}

type Log = Pick<Logger, 'debug' | 'info' | 'warn'>;

export type { FolderState };

/**
 * What is wrong with a snapshot whose fingerprint matched, or undefined when nothing is: a file
 * can be damaged or written by hand and still be valid JSON. Every file of the folder must be an
 * article or a warning, and every article whole; the indexes check their own counts on loading.
 */
export function snapshotProblem(s: Partial<Snapshot> | undefined, state: FolderState): string | undefined {
  if (!s || !Array.isArray(s.articles) || !Array.isArray(s.warnings) || !isObject(s.index) || !isObject(s.treatyIndex) || !isObject(s.facts)) return 'cache is malformed';
  const ids = new Set<string>();
  for (const a of s.articles as unknown[]) {
    const article = a as Partial<Snapshot['articles'][number]>;
    if (typeof article?.id !== 'string' || typeof article.title !== 'string' || !Array.isArray(article.paragraphs) || article.paragraphs.length === 0) return 'cache holds a malformed article';
    const whole = article.paragraphs.every((p, i) => p?.articleId === article.id && p.n === i + 1 && typeof p.text === 'string' && p.text.length > 0 && ['body', 'caption', 'footnote'].includes(p.kind));
    if (!whole || !isObject(s.facts[article.id])) return `cache holds a malformed article (${article.id})`;
    ids.add(article.id);
  }
  const accounted = (name: string) => ids.has(articleIdOf(name)) || s.warnings!.some((w) => typeof w === 'string' && w.includes(name));
  const missing = [...state.keys()].find((name) => !accounted(name));
  if (missing !== undefined) return `cache has nothing for ${missing}`;
  if (ids.size !== s.articles.length) return 'cache holds an article twice';
  return undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function readCache(file: string, expected: string, state: FolderState): Snapshot | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'no cache yet';
  }
  try {
    const stored = JSON.parse(text) as { fingerprint?: string; snapshot?: Snapshot };
    if (stored.fingerprint !== expected) return 'cache is for other files or another version';
    return snapshotProblem(stored.snapshot, state) ?? stored.snapshot!;
  } catch {
    return 'cache is truncated or corrupt';
  }
}

/** Writes the snapshot next to the corpus, atomically (temporary file, then rename). */
export function writeCache(dir: string, state: FolderState, engine: Engine, log?: Log): void {
  const file = cacheFile(dir);
  try {
    mkdirSync(join(dir, '.cache'), { recursive: true });
    writeAtomically(file, JSON.stringify({ format: CACHE_FORMAT, fingerprint: fingerprint(state), snapshot: engine.toSnapshot() }));
  } catch (err) {
    // A read-only corpus folder still works, just without a cache.
    log?.debug({ err, file }, 'could not write the index cache');
  }
}

/** The engine for a corpus folder: from its cache when that is current, else built (and cached). */
export async function openEngine(dir: string, { log, useCache = true }: { log?: Log; useCache?: boolean } = {}): Promise<OpenedEngine> {
  const read = readFolder(dir);
  const { state } = read;
  if (useCache) {
    removeTemporaryFiles(join(dir, '.cache'));
    const cached = readCache(cacheFile(dir), fingerprint(state), state);
    if (typeof cached !== 'string') {
      try {
        return { engine: Engine.fromSnapshot(cached), state, fromCache: true };
      } catch (err) {
        log?.warn({ err }, 'index cache could not be loaded; rebuilding');
      }
    } else {
      log?.debug({ reason: cached }, 'building the index');
    }
  }
  const corpus = await parseFolder(dir, read);
  for (const warning of corpus.warnings) log?.warn(warning);
  const engine = new Engine(corpus);
  if (useCache) writeCache(dir, state, engine, log);
  return { engine, state, fromCache: false };
}
