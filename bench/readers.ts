// `npm run bench:readers`: what reading documents apart costs and what it saves. For a PDF, a
// Word file, a web page and a Markdown file, each read ROUNDS times: the time in this process
// (as before the readers) against the time through a reader process, and for both the longest
// this event loop was held meanwhile (a 10 ms timer's lateness). Also a reader's start and its
// memory. Prints a Markdown table.
import { readFileSync } from 'node:fs';
import { Document, Packer, Paragraph } from 'docx';
import { readArticle } from '../src/formats/index.js';
import type { Source } from '../src/formats/types.js';
import { factsOf } from '../src/shelf.js';
import { ReaderPool } from '../src/reading/pool.js';
import { journalPdf } from '../tests/pdf/journal.js';

const ROUNDS = Number(process.argv[2] ?? 5);

/** Runs `work`, and says how long it took and the longest the event loop was held meanwhile. */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; heldMs: number }> {
  let held = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    held = Math.max(held, now - last - 10);
    last = now;
  }, 10);
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  return { ms, heldMs: Math.max(held, performance.now() - last - 10) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function wordFile(): Promise<Uint8Array> {
  const paragraphs = Array.from({ length: 200 }, (_, i) => new Paragraph(`Paragraph ${i}: the harbour council met on Monday and agreed to pay for the repairs to the old pier.`));
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: paragraphs }] })));
}

function webPage(): Uint8Array {
  const body = Array.from({ length: 200 }, (_, i) => `<p>Paragraph ${i}: the harbour council met on Monday and agreed to pay for the repairs to the old pier.</p>`).join('');
  return new TextEncoder().encode(`<html><head><title>Harbour</title></head><body><nav><a href="/">Home</a></nav><article><h1>Harbour</h1>${body}</article></body></html>`);
}

async function main(): Promise<void> {
  const sources: Array<[string, Source]> = [
    ['PDF, 2 pages', { file: 'journal.pdf', bytes: await journalPdf() }],
    ['Word, 200 paragraphs', { file: 'notes.docx', bytes: await wordFile() }],
    ['web page, 200 paragraphs', { file: 'page.html', bytes: webPage() }],
    ['Markdown, seed article', { file: 'seed.md', bytes: readFileSync(new URL('../corpus/rferl-1997-russia-north-korea-weaker-basic-treaty.md', import.meta.url)) }],
  ];
  const pool = new ReaderPool({ processes: 2 });
  const start = await timed(() => pool.read({ source: sources[3]![1], format: 'text', overrides: {} }, 'bench'));
  const rows: string[] = [];
  for (const [name, source] of sources) {
    const format = name.startsWith('PDF') ? 'PDF' : name.startsWith('Word') ? 'Word document' : name.startsWith('web') ? 'web page' : 'text';
    const here: Array<{ ms: number; heldMs: number }> = [];
    const apart: Array<{ ms: number; heldMs: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      here.push(await timed(async () => factsOf(await readArticle(source))));
      apart.push(await timed(() => pool.read({ source, format, overrides: {} }, 'bench')));
    }
    const f = (xs: Array<{ ms: number; heldMs: number }>, key: 'ms' | 'heldMs') => Math.round(median(xs.map((x) => x[key])));
    const max = (xs: Array<{ ms: number; heldMs: number }>) => Math.round(Math.max(...xs.map((x) => x.heldMs)));
    rows.push(`| ${name} | ${f(here, 'ms')} | ${f(apart, 'ms')} | ${max(here)} | ${max(apart)} |`);
  }
  const rss = [...readFileSync('/proc/self/status', 'utf8').matchAll(/^VmRSS:\s+(\d+)/gm)].map((m) => Number(m[1]));
  console.log(`Reader start and first document: ${Math.round(start.ms)} ms; this process's RSS ${Math.round(rss[0]! / 1024)} MiB. ${ROUNDS} rounds each, medians.\n`);
  console.log('| document | read here, ms | read in a reader, ms | event loop held here, max ms | held with a reader, max ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  pool.close();
}

await main();
