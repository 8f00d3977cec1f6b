// A real store for tests: the embedded database (PGlite) in a temporary DATA_DIR, opened once per
// test file (its first creation takes seconds) and emptied between tests by `reset`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../src/database.js';
import type { Engine } from '../src/engine.js';
import { Library } from '../src/library.js';
import type { LinkOptions } from '../src/links.js';
import { ServerStore, type ServerStoreOptions } from '../src/server-store.js';

export interface TestStore {
  dataDir: string;
  db: Database;
  store: ServerStore;
  library: Library;
  /** Empties the database and starts a new store (nothing in memory) and library over it. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** A store like the bot's over `db`, with a roomy budget unless `options` say otherwise. */
export function storeOn(db: Database, shared: Engine, options: Partial<ServerStoreOptions> = {}): ServerStore {
  return new ServerStore(db, { shared, memoryBytes: 64 * 2 ** 20, idleMs: 60_000, ...options });
}

export async function testStore(shared: Engine, { links = { timeoutMs: 1000 }, ...options }: { links?: LinkOptions } & Partial<ServerStoreOptions> = {}): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'footnote-store-'));
  const db = await openDatabase({ dataDir });
  const make = () => storeOn(db, shared, { dataDir, ...options });
  const t: TestStore = {
    dataDir,
    db,
    store: make(),
    library: undefined as unknown as Library,
    async reset() {
      await t.store.close();
      await db.query('delete from servers');
      await db.query('delete from imported_folders');
      t.store = make();
      t.library = new Library(t.store, { links });
    },
    async close() {
      await t.store.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  t.library = new Library(t.store, { links });
  return t;
}
