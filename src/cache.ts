// The persisted index: everything the engine computes from a corpus folder, stored in the folder's
// `.cache/` (ignored by git) so a restart loads it instead of parsing and indexing again. It is
// used only when it matches the folder exactly (every file's name, size and modification time)
// and this version of Footnote; anything else (missing, truncated, corrupt, stale, another
// version) is rebuilt from the articles, so a cache can never serve old text.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { articleFiles, loadCorpus } from './corpus.js';
import { Engine, type Snapshot } from './engine.js';
import type { Logger } from './logger.js';

/** Bump when the shape of the cache file changes. */
export const CACHE_FORMAT = 2;

/**
 * The engine's own code, hashed: a snapshot made by other parsing, tokenising or people-finding
 * code is another version, whatever its format number says.
 */
const CODE_VERSION = (() => {
  const srcDir = fileURLToPath(new URL('.', import.meta.url));
  const hash = createHash('sha256');
  for (const name of readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((n) => /\.[jt]s$/.test(n)).sort()) {
    hash.update(name).update(readFileSync(join(srcDir, name)));
  }
  return hash.digest('hex').slice(0, 16);
})();

/** Each article file's "size:mtime", by file name: what says whether the folder changed. */
export type FolderState = Map<string, string>;

export function folderState(dir: string): FolderState {
  const names = articleFiles(dir);
  const state: FolderState = new Map();
  for (const name of names) {
    try {
      const st = statSync(join(dir, name));
      if (st.isFile()) state.set(name, `${st.size}:${st.mtimeMs}`);
    } catch {
      // Deleted between listing and stat: it is simply not part of this state.
    }
  }
  return state;
}

function fingerprint(state: FolderState): string {
  return createHash('sha256').update(JSON.stringify([CACHE_FORMAT, CODE_VERSION, [...state]])).digest('hex');
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

function readCache(file: string, expected: string): Snapshot | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'no cache yet';
  }
  try {
    const stored = JSON.parse(text) as { fingerprint?: string; snapshot?: Snapshot };
    if (stored.fingerprint !== expected) return 'cache is for other files or another version';
    const s = stored.snapshot;
    if (!s || !Array.isArray(s.articles) || typeof s.index !== 'object' || typeof s.treatyIndex !== 'object' || typeof s.facts !== 'object') return 'cache is malformed';
    return s;
  } catch {
    return 'cache is truncated or corrupt';
  }
}

/** Writes the snapshot next to the corpus, atomically (temporary file, then rename). */
export function writeCache(dir: string, state: FolderState, engine: Engine, log?: Log): void {
  const file = cacheFile(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(join(dir, '.cache'), { recursive: true });
    writeFileSync(tmp, JSON.stringify({ format: CACHE_FORMAT, fingerprint: fingerprint(state), snapshot: engine.toSnapshot() }));
    renameSync(tmp, file);
  } catch (err) {
    // A read-only corpus folder still works, just without a cache.
    log?.debug({ err, file }, 'could not write the index cache');
  }
}

/** The engine for a corpus folder: from its cache when that is current, else built (and cached). */
export function openEngine(dir: string, { log, useCache = true }: { log?: Log; useCache?: boolean } = {}): OpenedEngine {
  const state = folderState(dir);
  if (useCache) {
    const cached = readCache(cacheFile(dir), fingerprint(state));
    if (typeof cached !== 'string') {
      try {
        return { engine: Engine.fromSnapshot(dir, cached), state, fromCache: true };
      } catch (err) {
        log?.warn({ err }, 'index cache could not be loaded; rebuilding');
      }
    } else {
      log?.debug({ reason: cached }, 'building the index');
    }
  }
  const corpus = loadCorpus(dir);
  for (const warning of corpus.warnings) log?.warn(warning);
  const engine = new Engine(corpus);
  if (useCache) writeCache(dir, state, engine, log);
  return { engine, state, fromCache: false };
}
