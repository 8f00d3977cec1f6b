// The live corpus: while the bot runs, adding, changing or deleting an article file updates the
// index within moments, without a restart. A burst of file events (an editor saving, a folder
// copied in) is coalesced into one rescan; a file that no longer parses keeps its last good
// version, with a warning, so a half-saved edit never takes an article away.
import { watch } from 'node:fs';
import { join } from 'node:path';
import { folderState, type FolderState } from './cache.js';
import { readArticle } from './corpus.js';
import type { Engine } from './engine.js';
import type { Logger } from './logger.js';
import type { Article } from './types.js';

export interface WatchOptions {
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Quiet time after the last file event before rescanning. */
  debounceMs?: number;
  /** Called after each applied change, with the folder's new state (to refresh the cache). */
  onChange?: (state: FolderState) => void;
}

/** Re-reads what changed in `dir` since `state` and applies it to `engine`; returns the new state. */
export function applyFolderChanges(dir: string, engine: Engine, state: FolderState, logger: WatchOptions['logger']): FolderState {
  const next = folderState(dir);
  const changed = [...next].filter(([name, stamp]) => state.get(name) !== stamp).map(([name]) => name);
  const removed = [...state.keys()].filter((name) => !next.has(name));
  if (changed.length === 0 && removed.length === 0) return state;
  const put: Article[] = [];
  for (const name of changed) {
    try {
      put.push(readArticle(join(dir, name)));
    } catch (err) {
      logger.warn(`kept the previous version of ${join(dir, name)}: ${(err as Error).message}`);
    }
  }
  engine.update({ put, remove: removed.map((name) => name.replace(/\.(md|txt)$/i, '')) });
  logger.info({ changed: put.map((a) => a.id), removed, paragraphs: engine.paragraphCount }, 'corpus updated');
  return next;
}

/** Watches `dir` and keeps `engine` in step with it; returns a function that stops watching. */
export function watchCorpus(dir: string, engine: Engine, state: FolderState, { logger, debounceMs = 250, onChange }: WatchOptions): () => void {
  let timer: NodeJS.Timeout | undefined;
  const rescan = () => {
    try {
      const next = applyFolderChanges(dir, engine, state, logger);
      if (next !== state) {
        state = next;
        onChange?.(state);
      }
    } catch (err) {
      logger.warn(`could not rescan ${dir}: ${(err as Error).message}`);
    }
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
