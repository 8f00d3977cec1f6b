// Each Discord server's own articles, in the database (src/database.ts), and each server's index,
// built when its articles change, persisted beside them, and loaded when the server first asks.
// Loaded indexes are kept in memory under a byte budget, least recently used evicted first, and
// dropped when idle: a bot in thousands of servers holds only the ones in use. Every /add and
// /remove is one transaction that also bumps the server's version, so a process holding that
// server's index (on this host or another sharing the database) sees on its next use that it
// changed, and reloads it.
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { CODE_VERSION } from './cache.js';
import { readArticleFile } from './corpus.js';
import { DatabaseUnavailable, DISK_FULL, UNREACHABLE, type Database, type Queryable } from './database.js';
import type { Engine } from './engine.js';
import { removeTemporaryFiles } from './files.js';
import type { Logger } from './logger.js';
import { contentKey, Shelf, type Facts } from './shelf.js';
import { SNOWFLAKE, writeProblem, type AddResult, type ArticleStore, type OwnArticles } from './store.js';
import { fold } from './text.js';
import type { Article } from './types.js';

/** A file name reduced to a safe slug: no folders, no dots, nothing but a-z, 0-9 and dashes. */
export function slugOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  // Cut before the dashes are trimmed, so a cut never leaves one at the end.
  return fold(base).replace(/[^a-z0-9]+/g, '-').slice(0, 50).replace(/^-+|-+$/g, '') || 'article';
}

/** The names articles are stored under: a slug, possibly with a `-2` suffix. */
const STORED_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * An article as one server's: its id prefixed with the server's, marked with it, and its file
 * named by the slug it is stored under (the uploader's file name could be anything).
 */
function owned(article: Article, guildId: string, slug: string): Article {
  const id = `${guildId}-${slug}`;
  const extension = /\.([a-z0-9]{1,5})$/i.exec(article.file)?.[1]?.toLowerCase() ?? 'md';
  return { ...article, id, guildId, file: `${slug}.${extension}`, paragraphs: article.paragraphs.map((p) => ({ ...p, articleId: id })) };
}

/** A server's index as loaded: at which version of its articles, and about how many bytes it holds. */
interface Loaded {
  version: number;
  shelf: Shelf | undefined;
  bytes: number;
}

/**
 * What a loaded index costs in memory, per character of its paragraphs' text: the text itself,
 * MiniSearch's maps and the facts take about this much (measured by `npm run bench -- --servers`).
 */
const MEMORY_PER_CHARACTER = 30;

/** About how many bytes of memory an index of `articles` holds. */
function memoryOf(articles: readonly Article[]): number {
  let characters = 0;
  for (const article of articles) for (const p of article.paragraphs) characters += p.text.length;
  return characters * MEMORY_PER_CHARACTER;
}

/**
 * A server's index may take at most this share of the memory budget: then at least four of the
 * largest stay loaded together, and no one server pushes all the others out at each question.
 */
const SERVER_SHARE = 1 / 4;

const MIB = 2 ** 20;

/** The refusal of an article that would take a server's index past its share of memory. */
function tooLarge(needs: number, cap: number): string {
  return `This server’s library would need about ${Math.ceil(needs / MIB)} MB of memory; each server may use at most ${Math.floor(cap / MIB)} MB. Remove an article first.`;
}

/**
 * How long after a server's last change its index is saved: a burst of uploads is saved once.
 * Until then the rows are the truth, and a process that loads the server meanwhile indexes them.
 */
const SAVE_AFTER_MS = 2000;

export interface ServerStoreOptions {
  /** The shared corpus: an article it already has is not added to a server again. */
  shared: Engine;
  /** Bytes of loaded server indexes kept in memory; one server's may take at most a quarter of them. */
  memoryBytes: number;
  /** A loaded index unused this long is dropped. */
  idleMs: number;
  /** Holds `guilds/<server id>/`, the files of the store before the database, imported once. */
  dataDir?: string | undefined;
  log?: Pick<Logger, 'info' | 'warn'> | undefined;
}

const gzipAsync = promisify(gzip);

/**
 * How long a question waits for its server's version from a shared database before it is answered
 * from the index in memory: a Postgres server that does not answer must not hold every command.
 */
const VERSION_CHECK_MS = 2000;

/** `promise`, unless it takes longer than `ms`: then the database counts as unreachable. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailable(UNREACHABLE)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const SAVE_INDEX = `insert into server_indexes (guild_id, version, code, snapshot) values ($1, $2, $3, $4)
  on conflict (guild_id) do update set version = excluded.version, code = excluded.code, snapshot = excluded.snapshot`;

/**
 * The persisted part of an index: everything but the articles, which are rows of their own.
 * Compressed in libuv's threads, not on the event loop every server's questions wait for.
 */
async function pack(shelf: Shelf): Promise<Uint8Array> {
  const { articles: _articles, warnings: _warnings, ...index } = shelf.toSnapshot();
  return gzipAsync(JSON.stringify(index), { level: 1 });
}

export class ServerStore implements ArticleStore {
  readonly #db: Database;
  readonly #shared: Engine;
  readonly #log: ServerStoreOptions['log'];
  readonly #cache: LRUCache<string, Loaded>;
  /** Loads under way, so a burst of questions from one server loads its index once. */
  readonly #loading = new Map<string, Promise<Shelf | undefined>>();
  readonly #dataDir: string | undefined;
  /** Servers with files under `guilds/` not yet imported, and the imports under way. */
  #pending = new Set<string>();
  readonly #importing = new Map<string, Promise<void>>();
  #closed = false;
  /** Servers whose index changed and is saved soon, and the saves under way. */
  readonly #unsaved = new Map<string, { timer: NodeJS.Timeout; loaded: Loaded & { shelf: Shelf } }>();
  readonly #saving = new Set<Promise<void>>();
  /** The most memory one server's index may take. */
  readonly #serverBytes: number;

  constructor(db: Database, options: ServerStoreOptions) {
    this.#db = db;
    this.#shared = options.shared;
    this.#log = options.log;
    this.#dataDir = options.dataDir;
    this.#serverBytes = Math.floor(options.memoryBytes * SERVER_SHARE);
    this.#cache = new LRUCache<string, Loaded>({
      maxSize: options.memoryBytes,
      // lru-cache refuses an entry larger than the whole budget, and one refused is read again at
      // each question. An index that large (stored before the per-server cap, or under a budget
      // lowered since) is counted as the whole budget instead: kept alone, never rebuilt per question.
      sizeCalculation: (loaded) => Math.min(options.memoryBytes, Math.max(1, loaded.bytes)),
      ttl: options.idleMs,
      updateAgeOnGet: true,
      // An idle index is dropped when its time is up, not when next looked at: it frees the memory.
      ttlAutopurge: true,
    });
  }

  /**
   * Finds the servers whose files under `DATA_DIR/guilds/` are not yet in the database and imports
   * them in the background, one at a time; a server that asks before its turn is imported first.
   * Resolves when the list is made (a directory listing), not when the imports finish: start-up
   * does not wait for them. `imported` resolves then.
   */
  async open(): Promise<{ imported: Promise<void> }> {
    if (!this.#dataDir || this.#db.unavailable) return { imported: Promise.resolve() };
    let folders: string[] = [];
    try {
      folders = readdirSync(join(this.#dataDir, 'guilds')).filter((g) => SNOWFLAKE.test(g));
    } catch {
      return { imported: Promise.resolve() };
    }
    const done = new Set((await this.#db.query<{ guild_id: string }>('select guild_id from imported_folders')).map((r) => r.guild_id));
    this.#pending = new Set(folders.filter((g) => !done.has(g)));
    const imported = (async () => {
      for (const guildId of [...this.#pending]) {
        if (this.#closed) return;
        await new Promise((resolve) => setImmediate(resolve));
        await this.#imported(guildId);
      }
      if (folders.length > done.size) this.#log?.info({ servers: folders.length }, `servers' article files in ${join(this.#dataDir!, 'guilds')} are all in the database; the folder is no longer read`);
    })();
    return { imported };
  }

  /** The server's files imported, once, whoever asks first; a failure is logged and retried at the next start. */
  #imported(guildId: string): Promise<void> {
    if (!this.#pending.has(guildId)) return Promise.resolve();
    let running = this.#importing.get(guildId);
    if (!running) {
      running = this.#import(guildId)
        .catch((err: unknown) => this.#log?.warn({ err, guildId }, 'could not import the server’s article files; they stay where they are'))
        .finally(() => {
          this.#pending.delete(guildId);
          this.#importing.delete(guildId);
        });
      this.#importing.set(guildId, running);
    }
    return running;
  }

  /** Copies `guilds/<id>/*.md` into the database in one transaction. The files are left in place. */
  async #import(guildId: string): Promise<void> {
    const folder = join(this.#dataDir!, 'guilds', guildId);
    removeTemporaryFiles(folder);
    const names = readdirSync(folder).filter((n) => n.endsWith('.md') && !n.startsWith('.')).sort();
    const articles: Article[] = [];
    for (const name of names) {
      try {
        articles.push(owned(await readArticleFile(folder, name, guildId), guildId, name.slice(0, -3)));
      } catch (err) {
        this.#log?.warn(`not imported: ${join(folder, name)}: ${(err as Error).message.replace(/^article: .*?\.md: /, '')}`);
      }
    }
    // Indexed before the transaction, an article at a time, so other servers are answered
    // meanwhile: the embedded database runs one transaction at a time, and a server's library
    // can be large.
    const shelf = new Shelf([]);
    for (const article of articles) {
      shelf.update({ put: [article] });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const snapshot = await pack(shelf);
    const version = await this.#db.transaction(async (tx) => {
      const before = await lockServer(tx, guildId);
      let added = 0;
      for (const article of articles) {
        const slug = article.id.slice(guildId.length + 1);
        const rows = await tx.query('insert into articles (guild_id, slug, content_hash, article) values ($1, $2, $3, $4) on conflict do nothing returning slug', [guildId, slug, contentKey(article), article]);
        added += rows.length;
      }
      const next = before + 1;
      await tx.query('update servers set version = $2 where guild_id = $1', [guildId, next]);
      // The index built above holds exactly the server's articles only if it had none before.
      if (before === 0 && added === articles.length) {
        await tx.query(SAVE_INDEX, [guildId, next, CODE_VERSION, snapshot]);
      }
      await tx.query('insert into imported_folders (guild_id, imported, skipped) values ($1, $2, $3) on conflict do nothing', [guildId, added, names.length - added]);
      return next;
    });
    this.#cache.delete(guildId);
    this.#log?.info({ guildId, imported: articles.length, of: names.length, version }, 'imported a server’s article files into the database');
  }

  async shelf(guildId: string): Promise<Shelf | undefined> {
    check(guildId);
    await this.#imported(guildId);
    const cached = this.#cache.get(guildId);
    // The embedded database is this process's alone: every change went through here, and what is
    // in memory is current. A shared one is asked for the server's version, one indexed lookup.
    if (cached && !this.#db.shared) return cached.shelf;
    const version = this.#db.query<{ version: number }>('select version from servers where guild_id = $1', [guildId]);
    const [row] = await (this.#db.shared ? within(VERSION_CHECK_MS, version) : version);
    if (!row) {
      // Most servers add nothing: remembering that saves them the lookup too.
      this.#cache.set(guildId, { version: 0, shelf: undefined, bytes: 1 });
      return undefined;
    }
    if (cached?.version === row.version) return cached.shelf;
    const key = `${guildId}@${row.version}`;
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#load(guildId).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  async own(guildId: string): Promise<OwnArticles> {
    try {
      return { shelf: await this.shelf(guildId) };
    } catch (err) {
      if (!(err instanceof DatabaseUnavailable)) throw err;
      const cached = this.#cache.get(guildId);
      if (cached) return { shelf: cached.shelf, note: `This server’s own articles may be out of date: ${err.reason}.` };
      return { shelf: undefined, note: `This server’s own articles are left out of this answer: ${err.reason}.` };
    }
  }

  /** Reads a server's articles and index as of one moment, and keeps them; an index saved by other code or for another version is rebuilt and saved. */
  async #load(guildId: string): Promise<Shelf | undefined> {
    const read = await this.#db.transaction(async (tx) => {
      await tx.query('set transaction isolation level repeatable read');
      return this.#read(tx, guildId);
    });
    if (!read) return undefined;
    const loaded = this.#keep(guildId, read.version, read.shelf);
    if (read.rebuilt) this.#saveSoon(guildId, loaded, 0);
    return loaded.shelf;
  }

  /** A server's articles and index as `tx` sees them; undefined for a server that never added one. */
  async #read(tx: Queryable, guildId: string): Promise<{ version: number; shelf: Shelf; rebuilt: boolean } | undefined> {
    const [server] = await tx.query<{ version: number; index_version: number | null; code: string | null; snapshot: Uint8Array | null }>(
      'select s.version, i.version as index_version, i.code, i.snapshot from servers s left join server_indexes i using (guild_id) where s.guild_id = $1',
      [guildId],
    );
    if (!server) return undefined;
    const articles = (await tx.query<{ article: Article }>('select article from articles where guild_id = $1 order by slug', [guildId])).map((r) => r.article);
    if (server.snapshot && server.index_version === server.version && server.code === CODE_VERSION) {
      try {
        return { version: server.version, shelf: new Shelf(articles, { snapshot: JSON.parse(gunzipSync(server.snapshot).toString('utf8')) }), rebuilt: false };
      } catch (err) {
        this.#log?.warn({ err, guildId }, 'a server’s saved index could not be loaded; rebuilding it');
      }
    }
    return { version: server.version, shelf: new Shelf(articles), rebuilt: true };
  }

  /** Keeps a server's index in memory at `version`; a server with no articles left keeps none. */
  #keep(guildId: string, version: number, shelf: Shelf): Loaded {
    const kept = shelf.articles.length ? shelf : undefined;
    const loaded = { version, shelf: kept, bytes: kept ? memoryOf(kept.articles) : 1 };
    this.#cache.set(guildId, loaded);
    return loaded;
  }

  /** Saves `loaded`, the server's index, after `ms`, unless a later change saves it. */
  #saveSoon(guildId: string, loaded: Loaded, ms = SAVE_AFTER_MS): void {
    if (!loaded.shelf) return;
    clearTimeout(this.#unsaved.get(guildId)?.timer);
    const timer = setTimeout(() => void this.#save(guildId), ms);
    timer.unref();
    // Kept with the timer: an index evicted from memory meanwhile is still saved.
    this.#unsaved.set(guildId, { timer, loaded: { ...loaded, shelf: loaded.shelf } });
  }

  async #save(guildId: string): Promise<void> {
    const unsaved = this.#unsaved.get(guildId);
    if (!unsaved) return;
    clearTimeout(unsaved.timer);
    this.#unsaved.delete(guildId);
    if (this.#db.diskFull()) {
      this.#log?.warn({ guildId }, 'a server’s index was not saved: the disk is nearly full; it will be rebuilt when next loaded');
      return;
    }
    const { loaded } = unsaved;
    const saving = pack(loaded.shelf)
      .then((snapshot) =>
        // Never over an index of a later version, which another process may have saved.
        this.#db.query(`${SAVE_INDEX} where server_indexes.version < excluded.version or (server_indexes.version = excluded.version and server_indexes.code <> excluded.code)`, [guildId, loaded.version, CODE_VERSION, snapshot]),
      )
      .then(() => undefined, (err: unknown) => this.#log?.warn({ err, guildId }, 'could not save a server’s index; it will be rebuilt when next loaded'));
    this.#saving.add(saving);
    await saving;
    this.#saving.delete(saving);
  }

  /** Saves every index changed and not yet saved. */
  async flush(): Promise<void> {
    await Promise.all([...this.#unsaved.keys()].map((guildId) => this.#save(guildId)));
    await Promise.all(this.#saving);
  }

  /**
   * Runs one change to a server's articles in a transaction that holds the server's row, so two
   * hosts never change one server at once. `apply` gets the server's index as of now to change in
   * place; when it reports a change, the version is bumped, and the index is saved soon after. The
   * index in memory is dropped first, so a transaction that fails leaves nothing half-changed there.
   */
  async #change<T>(guildId: string, apply: (tx: Queryable, shelf: Shelf) => Promise<{ changed: boolean; result: T }>): Promise<T> {
    const cached = this.#cache.get(guildId);
    this.#cache.delete(guildId);
    let begun = false;
    const changing = this.#db.transaction(async (tx) => {
      begun = true;
      const version = await lockServer(tx, guildId);
      // Another host may have changed the server since it was loaded here: then read it as it is now.
      const shelf = (cached?.version === version ? cached.shelf : (await this.#read(tx, guildId))?.shelf) ?? new Shelf([]);
      const { changed, result } = await apply(tx, shelf);
      if (changed) {
        await tx.query('update servers set version = $2 where guild_id = $1', [guildId, version + 1]);
      }
      return { result, version: changed ? version + 1 : version, shelf, changed };
    });
    const outcome = await changing.catch((err: unknown) => {
      // A database that could not even begin the change left the index as it was: questions go on using it.
      if (!begun && cached) this.#cache.set(guildId, cached);
      throw err;
    });
    const loaded = this.#keep(guildId, outcome.version, outcome.shelf);
    if (outcome.changed) this.#saveSoon(guildId, loaded);
    return outcome.result;
  }

  async list(guildId: string): Promise<Article[]> {
    return (await this.shelf(guildId))?.articles ?? [];
  }

  async add(guildId: string, article: Article, facts?: Facts): Promise<AddResult> {
    check(guildId);
    const shared = this.#shared.sameText(article);
    if (shared) return { ok: false, reason: `This text is already here, as “${shared.title}”.` };
    // Refused before the database is asked: PGlite that runs out of room mid-write stops for good.
    if (this.#db.diskFull()) return { ok: false, reason: notAdded(DISK_FULL) };
    await this.#imported(guildId);
    const content = contentKey(article);
    const slug = slugOf(article.file);
    try {
      return await this.#change(guildId, async (tx, shelf): Promise<{ changed: boolean; result: AddResult }> => {
        const [twin] = await tx.query<{ title: string }>("select article->>'title' as title from articles where guild_id = $1 and content_hash = $2", [guildId, content]);
        if (twin) return { changed: false, result: { ok: false, reason: `This text is already here, as “${twin.title}”.` } };
        const taken = new Set((await tx.query<{ slug: string }>("select slug from articles where guild_id = $1 and (slug = $2 or slug like $2 || '-%')", [guildId, slug])).map((r) => r.slug));
        let name = slug;
        for (let i = 2; taken.has(name); i++) name = `${slug}-${i}`;
        const stored = owned(article, guildId, name);
        const needs = memoryOf(shelf.articles) + memoryOf([stored]);
        if (needs > this.#serverBytes) return { changed: false, result: { ok: false, reason: tooLarge(needs, this.#serverBytes) } };
        await tx.query('insert into articles (guild_id, slug, content_hash, article) values ($1, $2, $3, $4)', [guildId, name, content, stored]);
        // The shelf is out of the cache until the change is done: no question reads it meanwhile.
        await shelf.updateGradually({ put: [stored], ...(facts && { facts: { [stored.id]: facts } }) });
        return { changed: true, result: { ok: true, article: stored } };
      });
    } catch (err) {
      this.#log?.warn({ err, guildId }, 'could not store an article');
      return { ok: false, reason: err instanceof DatabaseUnavailable ? notAdded(err.reason) : writeProblem(err) };
    }
  }

  async remove(guildId: string, articleId: string): Promise<Article | undefined> {
    check(guildId);
    const prefix = `${guildId}-`;
    if (!articleId.startsWith(prefix) || !STORED_SLUG.test(articleId.slice(prefix.length))) return undefined;
    await this.#imported(guildId);
    return this.#change(guildId, async (tx, shelf) => {
      const [row] = await tx.query<{ article: Article }>('delete from articles where guild_id = $1 and slug = $2 returning article', [guildId, articleId.slice(prefix.length)]);
      if (row) shelf.update({ remove: [articleId] });
      return { changed: row !== undefined, result: row?.article };
    });
  }

  /** How many servers' indexes are in memory, and about how many bytes they take. */
  get memory(): { servers: number; bytes: number } {
    return { servers: this.#cache.size, bytes: this.#cache.calculatedSize };
  }

  /** Stops the imports and saves what is unsaved; the database is closed by whoever opened it. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    this.#cache.clear();
  }
}

/** Holds the server's row (made if it is new) until the transaction ends; resolves with its version. */
async function lockServer(tx: Queryable, guildId: string): Promise<number> {
  await tx.query('insert into servers (guild_id) values ($1) on conflict do nothing', [guildId]);
  const [server] = await tx.query<{ version: number }>('select version from servers where guild_id = $1 for update', [guildId]);
  return server!.version;
}

function notAdded(reason: string): string {
  return `Nothing was added: ${reason}.`;
}

function check(guildId: string): void {
  if (!SNOWFLAKE.test(guildId)) throw new Error(`server-store: not a server id: ${JSON.stringify(guildId)}`);
}
