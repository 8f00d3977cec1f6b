// `npm run bench -- --servers`: a bot in thousands of servers. Fills an embedded database with
// SERVERS servers of ARTICLES Brown-Corpus articles each, their indexes saved as /add saves them
// (kept between runs in the system's temporary folder, keyed by the code's version: filling it
// takes minutes), then measures in a fresh process what a restarted bot does: how long until it
// could log in, its heap, the first answer in servers whose index is not in memory, later
// answers beside the shared corpus's alone, memory with many servers loaded, and /add to answer.
//   node --import tsx --expose-gc bench/servers.ts measure DATA_DIR CORPUS_DIR   (the fresh process)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { contextIn } from '../commands/types.js';
import { writeBrownCorpus } from '../scripts/make-brown-corpus.js';
import { CODE_VERSION, openEngine } from '../src/cache.js';
import { parseArticle } from '../src/article.js';
import { openDatabase } from '../src/database.js';
import { Library } from '../src/library.js';
import { ServerStore } from '../src/server-store.js';
import { contentKey, Shelf } from '../src/shelf.js';
import type { Article } from '../src/types.js';
import { summary, type Latency } from './measure.js';
import { seeded } from './queries.js';

const SERVERS = 5000;
const ARTICLES = 10;
/** Distinct libraries of ARTICLES texts, shared out among the servers; each server's index is its own all the same. */
const LIBRARIES = 250;
/** The default memory budget for servers' indexes (INDEX_MEMORY_MB's default). */
const BUDGET = 512 * 2 ** 20;
const BAR = { readyMs: 3000, heapBytes: 2 ** 30, firstMs: 300 };

const progress = (message: string) => process.stderr.write(`bench --servers: ${message}\n`);
const serverId = (i: number) => `1${String(i).padStart(17, '0')}`;
const PLACEHOLDER = '999999999999999999';

/** Every other Brown text is the servers'; the rest, with the seeds, is the shared corpus. */
const forServers = (name: string, i: number) => name.startsWith('brown-') && i % 2 === 1;

/** Writes the shared corpus under `root` once; returns its folder. */
function sharedCorpus(root: string): string {
  const brown = join(root, 'brown');
  const corpusDir = join(root, 'corpus');
  if (!existsSync(corpusDir)) {
    writeBrownCorpus(brown, { withSeeds: true });
    mkdirSync(corpusDir);
    for (const [i, name] of readdirSync(brown).sort().entries()) if (!forServers(name, i)) copyFileSync(join(brown, name), join(corpusDir, name));
  }
  return corpusDir;
}

/** The texts servers add: the Brown texts not in the shared corpus. */
function serverTexts(root: string): Article[] {
  const brown = join(root, 'brown');
  return readdirSync(brown)
    .sort()
    .filter(forServers)
    .map((name) => parseArticle(name, readFileSync(join(brown, name), 'utf8')));
}

/**
 * Fills the database: LIBRARIES indexes built by the engine, each saved for its servers with the
 * server's id in its articles' ids, as /add would have saved them one by one (a few minutes, not hours).
 */
async function fill(dataDir: string, corpusDir: string, texts: Article[]): Promise<void> {
  // The shared corpus's cache, which a restart loads.
  await openEngine(corpusDir);
  const db = await openDatabase({ dataDir });
  const random = seeded(13);
  const libraries = Array.from({ length: LIBRARIES }, (_, l) => {
    const picked = new Set<number>();
    while (picked.size < ARTICLES) picked.add(Math.floor(random() * texts.length));
    const articles = [...picked].map((k): Article => {
      const slug = texts[k]!.file.replace(/\.md$/, '');
      const id = `${PLACEHOLDER}-${slug}`;
      return { ...texts[k]!, id, guildId: PLACEHOLDER, file: `${slug}.md`, paragraphs: texts[k]!.paragraphs.map((p) => ({ ...p, articleId: id })) };
    });
    const { articles: _a, warnings: _w, ...index } = new Shelf(articles).toSnapshot();
    if (l % 25 === 0) progress(`indexed ${l} of ${LIBRARIES} libraries`);
    return { articles: articles.map((a) => ({ json: JSON.stringify(a), slug: a.id.slice(PLACEHOLDER.length + 1), hash: contentKey(a) })), index: JSON.stringify(index) };
  });
  for (let i = 0; i < SERVERS; i++) {
    const guildId = serverId(i);
    const library = libraries[i % LIBRARIES]!;
    const own = (json: string) => json.replaceAll(PLACEHOLDER, guildId);
    await db.transaction(async (tx) => {
      await tx.query('insert into servers (guild_id, version) values ($1, 1)', [guildId]);
      for (const a of library.articles) await tx.query('insert into articles (guild_id, slug, content_hash, article) values ($1, $2, $3, $4::jsonb)', [guildId, a.slug, a.hash, own(a.json)]);
      await tx.query('insert into server_indexes (guild_id, version, code, snapshot) values ($1, 1, $2, $3)', [guildId, CODE_VERSION, gzipSync(own(library.index), { level: 1 })]);
    });
    if (i % 500 === 0) progress(`stored ${i} of ${SERVERS} servers`);
  }
  await db.close();
}

export interface ServersResult {
  servers: number;
  articlesPerServer: number;
  sharedParagraphs: number;
  /** From the process's start until the bot could log in: shared corpus loaded, database open. */
  readyMs: number;
  heapAtReadyBytes: number;
  /** The first question in a server whose index is not in memory: loading it, then answering. */
  first: Latency;
  /** Later questions in loaded servers, and the same questions with the shared corpus alone. */
  later: Latency;
  sharedAlone: Latency;
  /** After asking in servers until the budget is full and well past it, after a full collection. */
  loaded: { servers: number; estimatedBytes: number; heapBytes: number; budgetBytes: number };
  /** /add of one more article in a loaded server, until a search there finds it. */
  addToVisible: Latency;
}

async function measure(dataDir: string, corpusDir: string): Promise<ServersResult> {
  const { engine } = await openEngine(corpusDir);
  const db = await openDatabase({ dataDir });
  const store = new ServerStore(db, { shared: engine, memoryBytes: BUDGET, idleMs: 3_600_000, dataDir });
  await store.open();
  const readyMs = performance.now();
  global.gc!();
  const heapAtReadyBytes = process.memoryUsage().heapUsed;
  const random = seeded(7);
  const ctx = { engine, commands: [], library: new Library(store, { links: { timeoutMs: 1000 } }) };
  const ask = async (guildId: string, query: string) => (await contextIn(ctx, guildId)).engine.search(query);
  const queryIn = async (guildId: string): Promise<string> => {
    const own = (await store.list(guildId))[0]!;
    const words = own.paragraphs[Math.floor(random() * own.paragraphs.length)]!.text.split(/\s+/);
    const at = Math.floor(random() * Math.max(1, words.length - 3));
    return words.slice(at, at + 3).join(' ');
  };
  const timed = async (work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    return performance.now() - start;
  };
  // Queries drawn first, from servers other than those timed, so no timing includes drawing one.
  const pool = Array.from({ length: 40 }, (_, i) => serverId(SERVERS - 1 - i));
  const queries = await Promise.all(pool.map(queryIn));
  const cold = Array.from({ length: 200 }, (_, i) => serverId(i * 13 + 1));
  const first: number[] = [];
  for (const [i, guildId] of cold.entries()) first.push(await timed(() => ask(guildId, queries[i % queries.length]!)));
  const later: number[] = [];
  const alone: number[] = [];
  for (let round = 0; round < 5; round++) {
    // The servers asked last, whose indexes are all still in memory (the budget holds fewer than 200).
    for (const [i, guildId] of cold.slice(-100).entries()) {
      const query = queries[(i + round) % queries.length]!;
      later.push(await timed(() => ask(guildId, query)));
      alone.push(await timed(async () => engine.search(query)));
    }
  }
  // Ask in servers until their indexes are well past the budget.
  for (let i = 0; i < 3000; i++) await store.shelf(serverId(i));
  global.gc!();
  const loaded = { servers: store.memory.servers, estimatedBytes: store.memory.bytes, heapBytes: process.memoryUsage().heapUsed, budgetBytes: BUDGET };
  const addToVisible: number[] = [];
  for (let i = 0; i < 20; i++) {
    const guildId = serverId(i);
    const marker = `zyxwvu${i}tsrq`;
    const article = parseArticle(`bench-${i}.md`, `---\ntitle: Added during the benchmark ${i}\n---\nThe reading group noted the word ${marker} in the margin of the treaty text.\n`);
    addToVisible.push(
      await timed(async () => {
        const added = await store.add(guildId, article);
        if (!added.ok) throw new Error(added.reason);
        if ((await ask(guildId, marker)).excerpts[0]?.article.id !== added.article.id) throw new Error('the added article was not found');
      }),
    );
    await store.remove(guildId, `${guildId}-bench-${i}`);
  }
  await store.close();
  await db.close();
  return {
    servers: SERVERS,
    articlesPerServer: ARTICLES,
    sharedParagraphs: engine.paragraphCount,
    readyMs,
    heapAtReadyBytes,
    first: summary(first),
    later: summary(later),
    sharedAlone: summary(alone),
    loaded,
    addToVisible: summary(addToVisible),
  };
}

function describeCode(): string {
  return spawnSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).stdout.trim() || 'unknown';
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const mark = (ok: boolean) => (ok ? ' ✓' : ' ✗');

/** The result as a section of bench/results.md. */
export function serversMarkdown(r: ServersResult): string {
  const row = (label: string, l: Latency, bar?: number) => `| ${label} | ${l.n} | ${ms(l.median)}${bar ? mark(l.median < bar) : ''} | ${ms(l.p95)} | ${ms(l.p99)}${bar ? mark(l.p99 < bar) : ''} |`;
  return `## Thousands of servers (\`npm run bench -- --servers\`)

${r.servers.toLocaleString('en')} servers × ${r.articlesPerServer} Brown-Corpus articles in the embedded database (PGlite), each with its
own index saved as /add saves it; a shared corpus of ${r.sharedParagraphs.toLocaleString('en')} paragraphs (the seeds and the other half of Brown).
Measured in a fresh process, as a restarted bot runs, with the default memory budget for servers' indexes (${mib(r.loaded.budgetBytes)} MiB),
on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, code ${describeCode()}, load average (1 minute) ${loadavg()[0]!.toFixed(2)} at the end.

| | |
|---|---:|
| Ready to log in, from the process's start | ${(r.readyMs / 1000).toFixed(2)} s${mark(r.readyMs < BAR.readyMs)} |
| Heap then | ${mib(r.heapAtReadyBytes)} MiB |
| Heap with ${r.loaded.servers.toLocaleString('en')} servers' indexes loaded (3,000 asked; the rest evicted) | ${mib(r.loaded.heapBytes)} MiB${mark(r.loaded.heapBytes < BAR.heapBytes)} |
| Of which the store's estimate of those indexes | ${mib(r.loaded.estimatedBytes)} MiB |

| ms | n | median | p95 | p99 |
|---|---:|---:|---:|---:|
${row('First /search in a server whose index is not in memory', r.first, BAR.firstMs)}
${row('Later /search in a loaded server (its own and the shared corpus)', r.later)}
${row('The same queries on the shared corpus alone (before this change, every server)', r.sharedAlone)}
${row('/add of an article to a loaded server, until a /search there finds it', r.addToVisible, 1000)}

✓/✗: ready under 3 s, heap under 1 GiB, first answer under 300 ms, /add to answer under 1 s.
The same question in a server gives the same top five with 0 and with 1,000 other servers holding articles
(\`tests/server-store.test.ts\`): a server's index holds its own articles only.
`;
}

/** Runs the servers benchmark; returns its section of bench/results.md. */
export function benchServers(): string {
  const root = join(tmpdir(), `footnote-bench-servers-${CODE_VERSION}`);
  const corpusDir = sharedCorpus(root);
  const dataDir = join(root, 'data');
  if (!existsSync(join(root, 'filled'))) {
    rmSync(dataDir, { recursive: true, force: true });
    progress(`filling ${dataDir} (kept for later runs of this code)`);
    const filling = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'fill', dataDir, corpusDir], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (filling.status !== 0) throw new Error('filling the database failed');
    writeFileSync(join(root, 'filled'), '');
  }
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', fileURLToPath(import.meta.url), 'measure', dataDir, corpusDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 2 ** 24,
  });
  if (run.status !== 0) throw new Error(`measuring failed (${run.signal ?? `exit code ${run.status}`})`);
  return serversMarkdown(JSON.parse(run.stdout) as ServersResult);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [mode, dataDir, corpusDir] = process.argv.slice(2) as [string, string, string];
  if (mode === 'fill') await fill(dataDir, corpusDir, serverTexts(join(corpusDir, '..')));
  else if (mode === 'measure') console.log(JSON.stringify(await measure(dataDir, corpusDir)));
  else throw new Error(`bench/servers.ts: unknown mode ${mode}`);
}
