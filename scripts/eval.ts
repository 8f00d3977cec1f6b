// Scores answer quality on a question set, the way ../shared/eval/score.mjs does: it runs the
// CLI's JSON mode once with every question on stdin, then computes hit@1, hit@3, MRR over the
// top 5, and for /who whether the name and role are right.
//   npm run eval -- QUESTIONS.jsonl [--corpus DIR] [--baseline] [--verbose]
// --baseline also scores, on the same paragraphs and questions, plain MiniSearch (default options)
// and a textbook BM25, alone and with each paragraph's best sentence or pair of sentences.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { DEFAULT_CORPUS_DIR } from '../src/config.js';
import { loadCorpus } from '../src/corpus.js';
import { sentences } from '../src/text.js';
import type { Paragraph } from '../src/types.js';

export interface Question {
  id: string;
  cmd: string;
  gold: string[];
  all?: boolean;
  name?: string;
  role?: string[];
}

export interface Score {
  n: number;
  hit1: number;
  hit3: number;
  mrr: number;
  who: { right: number; of: number };
  misses: string[];
}

/** One JSON reply per question, as `npm run ask -- --json` writes them. */
type Replies = Array<Record<string, unknown>>;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const norm = (s: unknown) =>
  String(s ?? '').toLowerCase().replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

export function readQuestions(file: string): Question[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Question);
}

/** Runs the questions through `npm run ask -- --json` in one process; one JSON object per question. */
export function runQuestions(questions: Question[], corpus?: string): Replies {
  const args = ['tsx', 'src/cli/ask.ts', '--json', ...(corpus ? ['--corpus', corpus] : [])];
  const run = spawnSync('npx', args, { cwd: ROOT, input: questions.map((q) => q.cmd).join('\n') + '\n', encoding: 'utf8', timeout: 180_000, maxBuffer: 1 << 30 });
  const lines = run.stdout.split('\n').filter((l) => l.trim().startsWith('{'));
  if (lines.length !== questions.length) {
    throw new Error(`eval: ${lines.length} JSON lines for ${questions.length} questions (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
  }
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The query of a command line: the text after the command (for /treaty without one, "treaty"). */
function queryOf(q: Question): string {
  return q.cmd.replace(/^\/\S+\s*/, '') || 'treaty';
}

/** Replies of a baseline: the paragraphs it ranks first for each question's query. */
function replies(questions: Question[], paragraphs: Paragraph[], rank: (query: string) => number[]): Replies {
  return questions.map((q) => ({ results: rank(queryOf(q)).slice(0, 5).map((i) => ({ text: paragraphs[i]!.text })) }));
}

/**
 * The same questions answered by plain MiniSearch with its default options over the same
 * paragraphs. There is no person card, so /who questions can only score on their paragraphs.
 */
export async function runMiniSearch(questions: Question[], corpus = DEFAULT_CORPUS_DIR): Promise<Replies> {
  const paragraphs = (await loadCorpus(corpus)).articles.flatMap((a) => a.paragraphs);
  const mini = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  mini.addAll(paragraphs.map((p, id) => ({ id, text: p.text })));
  return replies(questions, paragraphs, (query) => mini.search(query).map((r) => r.id as number));
}

// NLTK's English stop words, the list most IR course work uses.
const STOP_WORDS = new Set(
  ('i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself ' +
    'they them their theirs themselves what which who whom this that these those am is are was were be been being have has had ' +
    'having do does did doing a an the and but if or because as until while of at by for with about against between into through ' +
    'during before after above below to from up down in out on off over under again further then once here there when where why ' +
    'how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now').split(' '),
);

/**
 * Textbook BM25 (k1 0.9, b 0.4 as in Anserini; Porter stems; NLTK's stop words), the same
 * questions over the same paragraphs. With `windows`, a paragraph also scores by its best
 * sentence or pair of neighbouring sentences, each scored as a document of its own.
 */
export async function runBm25(questions: Question[], corpus = DEFAULT_CORPUS_DIR, { windows = false } = {}): Promise<Replies> {
  const [k1, b] = [0.9, 0.4];
  const paragraphs = (await loadCorpus(corpus)).articles.flatMap((a) => a.paragraphs);
  const tokens = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP_WORDS.has(w)).map((w) => stemmer(w));
  const docs = paragraphs.map((p) => tokens(p.text));
  const spans = paragraphs.map((p) => sentences(p.text).map(([s, e]) => tokens(p.text.slice(s, e))));
  const pairs = spans.map((ss) => [...ss, ...ss.slice(1).map((s, i) => [...ss[i]!, ...s])]);
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const average = (ds: string[][]) => ds.reduce((n, d) => n + d.length, 0) / Math.max(1, ds.length);
  const [docLength, windowLength] = [average(docs), average(pairs.flat())];
  const idf = (t: string) => Math.log(1 + (docs.length - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5));
  const bm25 = (query: string[], doc: string[], averageLength: number) => {
    const tf = new Map<string, number>();
    for (const t of doc) tf.set(t, (tf.get(t) ?? 0) + 1);
    return query.reduce((sum, t) => {
      const f = tf.get(t) ?? 0;
      return sum + (f && (idf(t) * f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.length) / averageLength)));
    }, 0);
  };
  return replies(questions, paragraphs, (text) => {
    const query = [...new Set(tokens(text))];
    const score = (i: number) => bm25(query, docs[i]!, docLength) + (windows ? Math.max(0, ...pairs[i]!.map((w) => bm25(query, w, windowLength))) : 0);
    return docs
      .map((_, i) => ({ i, s: score(i) }))
      .filter((x) => x.s > 0)
      .sort((x, y) => y.s - x.s)
      .map((x) => x.i);
  });
}

export function score(questions: Question[], replies: Replies): Score {
  let hit1 = 0;
  let hit3 = 0;
  let mrr = 0;
  const who = { right: 0, of: 0 };
  const misses: string[] = [];
  questions.forEach((q, i) => {
    const reply = replies[i] as { results?: Array<{ text: string }>; person?: { name?: string; role?: string } };
    const results = (reply.results ?? []).slice(0, 5).map((r) => norm(r.text));
    const golds = q.gold.map(norm);
    let rank = results.findIndex((t) => golds.some((g) => t.includes(g))) + 1;
    if (q.all && !golds.every((g) => results.slice(0, 3).some((t) => t.includes(g)))) rank = 0;
    if (q.name) {
      who.of++;
      const p = reply.person ?? {};
      if (norm(p.name) === norm(q.name) && (q.role ?? []).some((r) => norm(p.role).includes(norm(r)))) who.right++;
      else misses.push(`${q.id} ${q.cmd}: person ${JSON.stringify(p.name)} / ${JSON.stringify(p.role)}`);
    }
    if (rank === 1) hit1++;
    if (rank >= 1 && rank <= 3) hit3++;
    if (rank > 0) mrr += 1 / rank;
    else misses.push(`${q.id} ${q.cmd}: no relevant result in the top ${q.all ? 3 : 5}; got ${results.map((t) => t.slice(0, 50)).join(' | ')}`);
  });
  const n = questions.length;
  return { n, hit1: hit1 / n, hit3: hit3 / n, mrr: mrr / n, who, misses };
}

export function formatScore(name: string, s: Score): string {
  return `${name}: n=${s.n} hit@1=${s.hit1.toFixed(3)} hit@3=${s.hit3.toFixed(3)} MRR@5=${s.mrr.toFixed(3)} who=${s.who.right}/${s.who.of}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    console.error('Usage: npm run eval -- QUESTIONS.jsonl [--corpus DIR] [--baseline] [--verbose]');
    process.exit(2);
  }
  const corpusAt = rest.indexOf('--corpus');
  const corpus = corpusAt >= 0 ? rest[corpusAt + 1] : undefined;
  const questions = readQuestions(file);
  const name = file.split('/').pop()!;
  const baselines: Array<[string, () => Replies | Promise<Replies>]> = [
    ['plain MiniSearch', () => runMiniSearch(questions, corpus)],
    ['BM25', () => runBm25(questions, corpus)],
    ['BM25 + best sentence or pair', () => runBm25(questions, corpus, { windows: true })],
  ];
  const systems: Array<[string, () => Replies | Promise<Replies>]> = [['Footnote', () => runQuestions(questions, corpus)], ...(rest.includes('--baseline') ? baselines : [])];
  for (const [system, run] of systems) {
    const s = score(questions, await run());
    if (rest.includes('--verbose')) for (const m of s.misses) console.log(`miss (${system})`, m);
    console.log(formatScore(`${name} ${system}`, s));
  }
}
