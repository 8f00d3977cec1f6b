// Scores answer quality on a question set, the way ../shared/eval/score.mjs does: it runs the
// CLI's JSON mode once with every question on stdin, then computes hit@1, hit@3, MRR over the
// top 5, and for /who whether the name and role are right.
//   npm run eval -- QUESTIONS.jsonl [--corpus DIR] [--baseline] [--verbose]
// --baseline scores plain MiniSearch (default options) on the same paragraphs instead.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import { DEFAULT_CORPUS_DIR } from '../src/config.js';
import { loadCorpus } from '../src/corpus.js';

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

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const norm = (s: unknown) =>
  String(s ?? '').toLowerCase().replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

export function readQuestions(file: string): Question[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Question);
}

/** Runs the questions through `npm run ask -- --json` in one process; one JSON object per question. */
export function runQuestions(questions: Question[], corpus?: string): Array<Record<string, unknown>> {
  const args = ['tsx', 'src/cli/ask.ts', '--json', ...(corpus ? ['--corpus', corpus] : [])];
  const run = spawnSync('npx', args, { cwd: ROOT, input: questions.map((q) => q.cmd).join('\n') + '\n', encoding: 'utf8', timeout: 180_000 });
  const lines = run.stdout.split('\n').filter((l) => l.trim().startsWith('{'));
  if (lines.length !== questions.length) {
    throw new Error(`eval: ${lines.length} JSON lines for ${questions.length} questions (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
  }
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * The same questions answered by plain MiniSearch with its default options over the same
 * paragraphs: the text after the command is the query (for /treaty without one, "treaty").
 * There is no person card, so /who questions can only score on their paragraphs.
 */
export async function runBaseline(questions: Question[], corpus = DEFAULT_CORPUS_DIR): Promise<Array<Record<string, unknown>>> {
  const paragraphs = (await loadCorpus(corpus)).articles.flatMap((a) => a.paragraphs);
  const mini = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  mini.addAll(paragraphs.map((p, id) => ({ id, text: p.text })));
  return questions.map((q) => {
    const query = q.cmd.replace(/^\/\S+\s*/, '') || 'treaty';
    return { results: mini.search(query).slice(0, 5).map((r) => ({ text: paragraphs[r.id as number]!.text })) };
  });
}

export function score(questions: Question[], replies: Array<Record<string, unknown>>): Score {
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
  const s = score(questions, rest.includes('--baseline') ? await runBaseline(questions, corpus) : runQuestions(questions, corpus));
  if (rest.includes('--verbose')) for (const m of s.misses) console.log('miss', m);
  console.log(formatScore(file.split('/').pop()!, s));
}
