// The live corpus: while the bot runs, adding, changing or deleting an article file updates the
// index within moments, without a restart. A burst of file events (an editor saving, a folder
// copied in) is coalesced into one rescan; a file that no longer parses keeps its last good
// version, with a warning, so a half-saved edit never takes an article away.
import { watch } from 'node:fs';
import { articleIdOf, parseFolder, readFolder, type FolderState } from './corpus.js';
import type { Engine } from './engine.js';
import type { Logger } from './logger.js';

export interface WatchOptions {
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Quiet time after the last file event before rescanning. */
  debounceMs?: number;
  /** Called after each applied change, with the folder's new state (to refresh the cache). */
  onChange?: (state: FolderState) => void;
}

/** Re-reads what changed in `dir` since `state` and applies it to `engine`; returns the new state. */
export async function applyFolderChanges(dir: string, engine: Engine, state: FolderState, logger: WatchOptions['logger']): Promise<FolderState> {
  const read = readFolder(dir, state);
  const next = read.state;
  const changed = [...next].filter(([name, file]) => state.get(name)?.hash !== file.hash).map(([name]) => name);
  const removed = [...state.keys()].filter((name) => !next.has(name));
  if (changed.length === 0 && removed.length === 0) return state;
  const parsed = await parseFolder(dir, { state: new Map(changed.map((name) => [name, next.get(name)!])), bytes: read.bytes });
  for (const warning of parsed.warnings) logger.warn(warning.replace(/^skipped /, 'kept the previous version of '));
  engine.update({ put: parsed.articles, facts: parsed.facts, remove: removed.map(articleIdOf) });
  logger.info({ changed: parsed.articles.map((a) => a.id), removed, paragraphs: engine.paragraphCount }, 'corpus updated');
  return next;
}

/** Watches `dir` and keeps `engine` in step with it; returns a function that stops watching. */
export function watchCorpus(dir: string, engine: Engine, state: FolderState, { logger, debounceMs = 250, onChange }: WatchOptions): () => void {
  let timer: NodeJS.Timeout | undefined;
  // Reading a PDF takes a while: a rescan that starts while one runs waits for it, so that each
  // starts from the state the one before left.
  let scanning: Promise<void> = Promise.resolve();
  const rescan = () => {
    scanning = scanning.then(async () => {
      try {
        const next = await applyFolderChanges(dir, engine, state, logger);
        if (next !== state) {
          state = next;
          onChange?.(state);
        }
      } catch (err) {
        logger.warn(`could not rescan ${dir}: ${(err as Error).message}`);
      }
    });
  };
  const watcher = watch(dir, (_event, name) => {
    if (name && name.startsWith('.')) return;
    clearTimeout(timer);
    timer = setTimeout(rescan, debounceMs);
  });
  watcher.on('error', (err) => logger.warn(`stopped watching ${dir}: ${err.message}`));
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
