// One measurement of one system on one corpus folder, run by bench/run.ts in a fresh process so
// that nothing is warm and the heap holds only what is measured. Prints one JSON line.
//   node --import tsx --expose-gc bench/measure.ts build|serve ours|plain DIR
// `build` indexes the folder from its files and persists the index (ours: also draws the
// queries); `serve` loads the persisted index, as a restart would, then times the queries.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import { cacheFile, openEngine, writeCache } from '../src/cache.js';
import { loadCorpus } from '../src/corpus.js';
import { drawQueries, type Command, type QuerySet } from './queries.js';

export interface BuildResult {
  articles: number;
  paragraphs: number;
  /** From the files to the persisted index on disk. */
  buildMs: number;
  /** Of `buildMs`, writing the persisted index. */
  writeMs: number;
  indexBytes: number;
}

export interface Latency {
  n: number;
  median: number;
  p95: number;
  p99: number;
}

export interface ServeResult {
  /** Reading the persisted index until the first answer can be given. */
  loadMs: number;
  /** From the process's start until ready: `loadMs` plus starting Node, tsx and the modules. */
  readyMs: number;
  /** After loading and a full garbage collection, before any query. */
  heapBytes: number;
  rssBytes: number;
  latency: Partial<Record<Command, Latency>>;
  /** Ours: the first `/treaty` without a query, which builds the timeline on first use. */
  firstTimelineMs?: number;
}

/** Plain MiniSearch as its documentation shows it, without our tokenizer, stemming or ranking. */
const PLAIN_OPTIONS = { fields: ['text'], storeFields: [] };
const WARMUP: Record<Command, number> = { search: 100, who: 25, treaty: 25 };
const TIMED: Record<Command, number> = { search: 2000, who: 250, treaty: 250 };

const plainIndexFile = (dir: string) => join(dir, '.cache', 'plain-minisearch.json');
const queriesFile = (dir: string) => join(dir, '.cache', 'bench-queries.json');

async function buildOurs(dir: string): Promise<BuildResult> {
  const start = performance.now();
  const { engine, state, fromCache } = await openEngine(dir);
  if (fromCache) throw new Error(`${dir} already has an index cache: the build would not be cold`);
  // The people list is derived on first use; the bot asks for it at start-up, so it is part of building.
  void engine.people;
  const buildMs = performance.now() - start;
  // openEngine wrote the cache inside the time above; writing it again times that part alone.
  const writeStart = performance.now();
  writeCache(dir, state, engine);
  const writeMs = performance.now() - writeStart;

  const queries = {
    warmup: drawQueries(engine.articles, engine.people, WARMUP, 1),
    timed: drawQueries(engine.articles, engine.people, TIMED, 2),
  };
  writeFileSync(queriesFile(dir), JSON.stringify(queries));
  return { articles: engine.articles.length, paragraphs: engine.paragraphCount, buildMs, writeMs, indexBytes: statSync(cacheFile(dir)).size };
}

async function buildPlain(dir: string): Promise<BuildResult> {
  const start = performance.now();
  const { articles } = await loadCorpus(dir);
  const mini = new MiniSearch(PLAIN_OPTIONS);
  mini.addAll(articles.flatMap((a) => a.paragraphs.map((p) => ({ id: `${p.articleId}#${p.n}`, text: p.text }))));
  const writeStart = performance.now();
  writeFileSync(plainIndexFile(dir), JSON.stringify(mini));
  const end = performance.now();
  return {
    articles: articles.length,
    paragraphs: mini.documentCount,
    buildMs: end - start,
    writeMs: end - writeStart,
    indexBytes: statSync(plainIndexFile(dir)).size,
  };
}

/** Per-call latency in milliseconds, after running the warm-up queries untimed. */
function latency(warmup: readonly string[], timed: readonly string[], answer: (query: string) => unknown): Latency | undefined {
  if (timed.length === 0) return undefined;
  for (const query of warmup) answer(query);
  return summary(
    timed.map((query) => {
      const start = performance.now();
      answer(query);
      return performance.now() - start;
    }),
  );
}

/** The median and tail of some timings, in ms. */
export function summary(timings: readonly number[]): Latency {
  const ms = [...timings].sort((a, b) => a - b);
  const at = (p: number) => ms[Math.max(0, Math.ceil(p * ms.length) - 1)]!;
  return { n: ms.length, median: at(0.5), p95: at(0.95), p99: at(0.99) };
}

function memoryAfterGc(): { heapBytes: number; rssBytes: number } {
  if (!global.gc) throw new Error('run with --expose-gc, or heap figures would include garbage');
  global.gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapBytes: heapUsed, rssBytes: rss };
}

function readQueries(dir: string): { warmup: QuerySet; timed: QuerySet } {
  return JSON.parse(readFileSync(queriesFile(dir), 'utf8')) as { warmup: QuerySet; timed: QuerySet };
}

async function serveOurs(dir: string): Promise<ServeResult> {
  const start = performance.now();
  const { engine, fromCache } = await openEngine(dir);
  if (!fromCache) throw new Error(`${dir}: the index cache was not used, so this was no start-up from it`);
  void engine.people;
  const end = performance.now();
  const memory = memoryAfterGc();

  const timelineStart = performance.now();
  engine.treaty();
  const firstTimelineMs = performance.now() - timelineStart;

  const { warmup, timed } = readQueries(dir);
  const latencies = {
    search: latency(warmup.search, timed.search, (q) => engine.search(q)),
    who: latency(warmup.who, timed.who, (q) => engine.who(q)),
    treaty: latency(warmup.treaty, timed.treaty, (q) => engine.treaty(q)),
  };
  return { loadMs: end - start, readyMs: end, ...memory, latency: latencies, firstTimelineMs };
}

function servePlain(dir: string): ServeResult {
  const start = performance.now();
  const mini = MiniSearch.loadJSON(readFileSync(plainIndexFile(dir), 'utf8'), PLAIN_OPTIONS);
  const end = performance.now();
  const memory = memoryAfterGc();
  const { warmup, timed } = readQueries(dir);
  const search = latency(warmup.search, timed.search, (q) => mini.search(q));
  return { loadMs: end - start, readyMs: end, ...memory, latency: { search } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [mode, system, dir] = process.argv.slice(2);
  if (!dir || !['build', 'serve'].includes(mode!) || !['ours', 'plain'].includes(system!)) {
    console.error('Usage: node --import tsx --expose-gc bench/measure.ts build|serve ours|plain DIR');
    process.exit(2);
  }
  const measure = { build: { ours: buildOurs, plain: buildPlain }, serve: { ours: serveOurs, plain: servePlain } }[mode as 'build' | 'serve'][system as 'ours' | 'plain'];
  console.log(JSON.stringify(await measure(dir)));
}
