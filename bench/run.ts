// `npm run bench`: how Footnote's engine scales, next to plain MiniSearch on the same paragraphs.
// Builds three corpora in a temporary folder (the seed articles; the Brown Corpus with them;
// Brown copied past 100,000 paragraphs) and measures each system on each in fresh child
// processes (bench/measure.ts, run from a copy of the code taken at the start). Prints one table
// to stdout (progress goes to stderr); with --write it also writes it, with the machine's
// description, to bench/results.md, and a latency chart to bench/latency.svg (both tracked, so a
// run to look at the figures leaves the work tree as it was). With --servers it measures a bot in
// thousands of servers instead (bench/servers.ts), in its own section of bench/results.md.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBrownCorpus } from '../scripts/make-brown-corpus.js';
import { DEFAULT_CORPUS_DIR } from '../src/config.js';
import { isArticleFile } from '../src/corpus.js';
import { lineChart } from './chart.js';
import { benchServers } from './servers.js';
import type { BuildResult, Latency, ServeResult } from './measure.js';
import type { Command } from './queries.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The product's targets, which hold at this size. */
const TARGET_PARAGRAPHS = 100_000;
const TARGET = { medianMs: 2, p99Ms: 10, loadMs: 3000, heapBytes: 1.5 * 2 ** 30 };

type SystemResult = BuildResult & ServeResult;
interface SizeResult {
  corpus: string;
  ours: SystemResult;
  plain: SystemResult;
}

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

/**
 * The engine's code as it is now, copied next to the corpora and measured from there: an index
 * cache is valid only for the code that wrote it, and src/ may be edited during the minutes a
 * run takes. It also keeps every figure of one run about one version.
 */
function snapshotCode(work: string): string {
  const code = join(work, 'code');
  for (const path of ['src', 'bench', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, path), join(code, path), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(code, 'node_modules'));
  return code;
}

/** Runs one measurement in a fresh Node process; its stderr passes through, stdout is its result. */
function measure<T>(code: string, corpus: string, mode: 'build' | 'serve', system: 'ours' | 'plain', dir: string): T {
  const start = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(code, 'bench', 'measure.ts'), mode, system, dir], {
    cwd: code,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`measure ${mode} ${system} ${dir} failed (${run.error?.message ?? run.signal ?? `exit code ${run.status}`})`);
  progress(`${corpus}: ${mode} ${system === 'ours' ? 'ours' : 'plain MiniSearch'} took ${seconds(performance.now() - start)} s`);
  return JSON.parse(run.stdout) as T;
}

/**
 * Both systems on one corpus folder, one after the other so they never share the two cores.
 * Ours is built first: its build also draws the queries both are timed on.
 */
function measureSize(code: string, corpus: string, dir: string): SizeResult {
  const ours = { ...measure<BuildResult>(code, corpus, 'build', 'ours', dir), ...measure<ServeResult>(code, corpus, 'serve', 'ours', dir) };
  progress(`${corpus}: ${count(ours.articles)} articles, ${count(ours.paragraphs)} paragraphs`);
  const plain = { ...measure<BuildResult>(code, corpus, 'build', 'plain', dir), ...measure<ServeResult>(code, corpus, 'serve', 'plain', dir) };
  // The largest folder and its caches take hundreds of megabytes: gone as soon as measured.
  rmSync(dir, { recursive: true, force: true });
  return { corpus, ours, plain };
}

function measureAll(work: string): SizeResult[] {
  const code = snapshotCode(work);
  const seedsDir = join(work, 'seeds');
  mkdirSync(seedsDir);
  for (const name of readdirSync(DEFAULT_CORPUS_DIR).filter(isArticleFile)) copyFileSync(join(DEFAULT_CORPUS_DIR, name), join(seedsDir, name));
  const seeds = measureSize(code, 'seeds', seedsDir);

  progress('writing the Brown corpus');
  writeBrownCorpus(join(work, 'brown'));
  const brown = measureSize(code, 'Brown + seeds', join(work, 'brown'));

  const perCopy = brown.ours.paragraphs - seeds.ours.paragraphs;
  const copies = Math.ceil((TARGET_PARAGRAPHS - seeds.ours.paragraphs) / perCopy);
  progress(`writing the Brown corpus ${copies} times over`);
  writeBrownCorpus(join(work, 'large'), { copies });
  return [seeds, brown, measureSize(code, `Brown ×${copies} + seeds`, join(work, 'large'))];
}

// Figures as shown: seconds and milliseconds to what the eye can compare, sizes in MiB.
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const millis = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : bytes < 100 * 2 ** 20 ? 1 : 0);
// Two significant digits: a ratio of 0.0075 is not "0.0×".
const ratio = (ours: number, plain: number) => `${Number((ours / plain).toPrecision(2))}×`;
const count = (n: number) => n.toLocaleString('en-US');

const HEADER = [
  'Corpus', 'System', 'Articles', 'Paragraphs', 'Build s', 'of which write s', 'Index MiB', 'Load s', 'Heap MiB', 'RSS MiB',
  '/search median', '/search p95', '/search p99', '/who median', '/who p95', '/who p99', '/treaty median', '/treaty p95', '/treaty p99',
];

function systemRow(corpus: string, system: string, r: SystemResult, judged: boolean): string[] {
  const mark = (ok: boolean) => (judged ? (ok ? ' ✓' : ' ✗') : '');
  const latency = (l: Latency | undefined) =>
    l ? [millis(l.median) + mark(l.median < TARGET.medianMs), millis(l.p95), millis(l.p99) + mark(l.p99 < TARGET.p99Ms)] : ['–', '–', '–'];
  return [
    corpus,
    system,
    count(r.articles),
    count(r.paragraphs),
    seconds(r.buildMs),
    seconds(r.writeMs),
    mib(r.indexBytes),
    seconds(r.loadMs) + mark(r.loadMs < TARGET.loadMs),
    mib(r.heapBytes) + mark(r.heapBytes < TARGET.heapBytes),
    mib(r.rssBytes),
    ...(['search', 'who', 'treaty'] as Command[]).flatMap((c) => latency(r.latency[c])),
  ];
}

function ratioRow({ ours, plain }: SizeResult): string[] {
  const search = (r: SystemResult) => r.latency.search!;
  return [
    '', 'ours ÷ plain', '', '',
    ratio(ours.buildMs, plain.buildMs), '', ratio(ours.indexBytes, plain.indexBytes), ratio(ours.loadMs, plain.loadMs),
    ratio(ours.heapBytes, plain.heapBytes), ratio(ours.rssBytes, plain.rssBytes),
    ratio(search(ours).median, search(plain).median), '', ratio(search(ours).p99, search(plain).p99),
    '', '', '', '', '', '',
  ];
}

/** A Markdown table padded to line up in a terminal too; every column but the first two is numeric. */
function markdownTable(rows: string[][]): string {
  const widths = HEADER.map((_, i) => Math.max(...[HEADER, ...rows].map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? `-${'-'.repeat(w)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(HEADER), rule, ...rows.map(line)].join('\n');
}

function resultsTable(sizes: SizeResult[]): string {
  const rows = sizes.flatMap((s) => {
    const judged = s.ours.paragraphs >= TARGET_PARAGRAPHS;
    return [systemRow(s.corpus, 'ours', s.ours, judged), systemRow('', 'plain MiniSearch', s.plain, false), ratioRow(s)];
  });
  return markdownTable(rows);
}

const LEGEND =
  `Latencies in ms. ✓/✗: the product's targets at ${count(TARGET_PARAGRAPHS)} paragraphs: median < ${TARGET.medianMs} ms and p99 < ${TARGET.p99Ms} ms ` +
  `for /search, /who and /treaty; start-up from the persisted index < ${TARGET.loadMs / 1000} s; heap after load < ${TARGET.heapBytes / 2 ** 30} GiB.`;

function chart(sizes: SizeResult[]): string {
  const points = (system: 'ours' | 'plain', stat: 'median' | 'p99') =>
    sizes.map((s): [number, number] => [s[system].paragraphs, s[system].latency.search![stat]]);
  return lineChart({
    title: '/search latency against corpus size',
    xLabel: 'paragraphs in the corpus (log scale)',
    yLabel: 'ms per query (log scale)',
    series: [
      { label: 'ours, median', color: '#1f6fb4', dashed: false, points: points('ours', 'median') },
      { label: 'ours, p99', color: '#1f6fb4', dashed: true, points: points('ours', 'p99') },
      { label: 'plain MiniSearch, median', color: '#e07b10', dashed: false, points: points('plain', 'median') },
      { label: 'plain MiniSearch, p99', color: '#e07b10', dashed: true, points: points('plain', 'p99') },
    ],
    guides: [
      { label: `p99 target ${TARGET.p99Ms} ms`, y: TARGET.p99Ms },
      { label: `median target ${TARGET.medianMs} ms`, y: TARGET.medianMs },
    ],
  });
}

/** Which code was measured: the commit, marked dirty when the working tree differs from it. */
function describeCode(): string {
  const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : 'unknown (not a git checkout)';
}

function resultsMarkdown(sizes: SizeResult[], table: string, startLoad: number): string {
  const cpu = cpus();
  const largest = sizes.at(-1)!;
  const startOverhead = Math.max(...sizes.flatMap((s) => [s.ours.readyMs - s.ours.loadMs, s.plain.readyMs - s.plain.loadMs]));
  const n = (c: Command) => largest.ours.latency[c]?.n ?? 0;
  return `# Benchmark

Written by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.
Code: ${describeCode()} (\`git describe --always --dirty\`).
Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}.
Load average (1 minute) at the start of the run ${startLoad.toFixed(2)}, at the end ${loadavg()[0]!.toFixed(2)}: above 0, other work
shared the cores, which shows most in p95 and p99 (a process waiting for a core waits whole time slices).

${table}

${LEGEND}

![/search latency against corpus size, ours and plain MiniSearch](latency.svg)

## What is measured

- **Corpora**: the seed articles of \`corpus/\`; the 500 texts of the Brown Corpus with them
  (\`scripts/make-brown-corpus.ts\`); the Brown Corpus copied until it passes ${count(TARGET_PARAGRAPHS)} paragraphs.
- **ours** is the engine as the bot runs it; **plain MiniSearch** is \`new MiniSearch({ fields: ['text'], storeFields: [] })\`
  with its default tokenizer and search options, given the same paragraphs.
- **Build**: from the files to the persisted index on disk, in a process that has not built anything yet.
  Ours: \`openEngine\` on a folder without a cache (parse, index, people, write \`.cache/footnote-index.json\`).
  Plain: the same parse, \`addAll\`, then \`JSON.stringify\` written to a file. *Of which write* is that last step alone.
- **Index** is the persisted file. Ours holds the articles' text and the people too, so an answer can quote
  without reading the articles again; plain MiniSearch's holds the index only.
- **Load** is start-up from the persisted index in a fresh process, until the first answer can be given:
  ours \`openEngine\` (from the cache) and the people list, as the bot does before going online;
  plain \`MiniSearch.loadJSON\` of the file. Starting Node, tsx and the modules adds up to ${seconds(startOverhead)} s before it.
  **Heap** and **RSS** are \`process.memoryUsage()\` right after, following a full garbage collection.
- **Latency** is each call timed with \`performance.now()\`, after a warm-up on other queries drawn the same way.
  Ours returns the full answer (ranked, with excerpts and highlights); plain MiniSearch its list of ids and scores.
  /search: ${count(n('search'))} runs of 1–4 neighbouring words from random paragraphs, stopwords included, the same for both.
  Plain MiniSearch has no stopword list: a query with "of" or "the" scores nearly every paragraph, most of its time.
  /who: ${count(n('who'))} names of people the corpus introduces, in equal shares as written, by surname alone,
  and with two letters swapped. /treaty: ${count(n('treaty'))} years and words from paragraphs about treaties,
  one in ten without a query (the timeline).
  The first timeline after start-up is built on demand, not counted above: ${seconds(largest.ours.firstTimelineMs ?? 0)} s at the largest size,
  during which nothing else is answered.
`;
}

/** The part of bench/results.md each kind of run writes: the corpora's before the servers' heading, the servers' from it. */
const SERVERS_HEADING = '## Thousands of servers';

/** Replaces one part of bench/results.md, keeping the other. */
function writeResults(part: 'corpora' | 'servers', text: string): void {
  const file = join(BENCH_DIR, 'results.md');
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = old.indexOf(SERVERS_HEADING);
  const [corpora, servers] = at < 0 ? [old, ''] : [old.slice(0, at), old.slice(at)];
  writeFileSync(file, part === 'corpora' ? `${text.trimEnd()}\n\n${servers}`.trimEnd() + '\n' : `${corpora.trimEnd()}\n\n${text}`);
}

function benchCorpora(): void {
  const startLoad = loadavg()[0]!;
  const work = mkdtempSync(join(tmpdir(), 'footnote-bench-'));
  let sizes: SizeResult[];
  try {
    sizes = measureAll(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = resultsTable(sizes);
  console.log(`${table}\n\n${LEGEND}`);
  if (process.argv.includes('--write')) {
    writeResults('corpora', resultsMarkdown(sizes, table, startLoad));
    writeFileSync(join(BENCH_DIR, 'latency.svg'), chart(sizes));
    progress('wrote bench/results.md and bench/latency.svg');
  } else progress('bench/results.md and bench/latency.svg left as they are (npm run bench -- --write to update them)');
}

if (process.argv.includes('--servers')) {
  const section = benchServers();
  console.log(section);
  if (process.argv.includes('--write')) {
    writeResults('servers', section);
    progress('wrote the servers section of bench/results.md');
  } else progress('bench/results.md left as it is (npm run bench -- --servers --write to update it)');
} else benchCorpora();
