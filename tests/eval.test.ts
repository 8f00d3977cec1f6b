// Answer quality, measured the way ../shared/eval/score.mjs measures it: the real CLI in a child
// process, on the seed corpus, on the seeds with a long Wikipedia article that crowd workers
// wrote questions about (SQuAD), on the seeds hidden among the 500 Brown Corpus texts, and /who on
// the 44 news texts of the Brown Corpus. The thresholds sit just under what was measured (see
// the README), so a regression fails here.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBrownCorpus } from '../scripts/make-brown-corpus.js';
import { formatScore, readQuestions, runBm25, runQuestions, score, type Question } from '../scripts/eval.js';
import { isArticleFile, loadCorpus } from '../src/corpus.js';
import { Engine, NO_CLOSE_MATCH } from '../src/engine.js';
import { commands } from '../commands/index.js';
import { ask } from '../src/cli/ask.js';
import { DEFAULT_CORPUS_DIR } from '../src/config.js';
import { toJson } from '../src/render/json.js';
import { Shelf } from '../src/shelf.js';

const dev = readQuestions('tests/fixtures/eval/dev.jsonl');
const paraphrases = readQuestions('tests/fixtures/eval/paraphrases.jsonl');
// The seminar's /who questions on real newspaper text (a copy of ../shared/eval/people/people-dev.jsonl).
const peopleDev = readQuestions('tests/fixtures/eval/people-dev.jsonl');
/** Questions of my own about the seeds and some Brown texts, worded without the articles' phrases. */
const questions = readQuestions('tests/fixtures/eval/questions.jsonl');
const unanswerable = readQuestions('tests/fixtures/eval/unanswerable.jsonl');
const squad = readQuestions('tests/fixtures/squad/notre-dame.jsonl');

function evaluate(name: string, set: Question[], corpus?: string) {
  const replies = runQuestions(set, corpus);
  const s = score(set, replies);
  console.log(formatScore(name, s));
  // The expected misses (see the README) would read like failures in every `npm test`: only on request.
  if (process.env.EVAL_VERBOSE) for (const miss of s.misses) console.log(`  expected miss: ${miss}`);
  // Nothing found at all is as honest an answer to an unanswerable question as no close match.
  const flagged = replies.filter((r) => String(r.notice ?? '').startsWith(NO_CLOSE_MATCH) || String(r.notice ?? '').startsWith('No paragraph matches'));
  return { ...s, flagged: flagged.length };
}

describe('answer quality on the seed articles', () => {
  it('answers the development questions with MRR ≥ 0.95 and every /who right', () => {
    const s = evaluate('dev (seeds)', dev);
    expect(s.mrr).toBeGreaterThanOrEqual(0.95);
    expect(s.who.right).toBe(s.who.of);
    expect(s.flagged).toBe(0);
  });

  it('answers the same kind of questions phrased differently with MRR ≥ 0.95', () => {
    const s = evaluate('paraphrases (seeds)', paraphrases);
    expect(s.mrr).toBeGreaterThanOrEqual(0.95);
    expect(s.who.right / s.who.of).toBeGreaterThanOrEqual(0.85);
    expect(s.flagged).toBe(0);
  });

  it('says there is no close match for at least 16 of 20 questions the articles cannot answer', () => {
    expect(evaluate('unanswerable (seeds)', unanswerable).flagged).toBeGreaterThanOrEqual(16);
  });
});

describe('answer quality on questions crowd workers wrote about a Wikipedia article (SQuAD)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'footnote-squad-'));
    for (const name of readdirSync('corpus').filter(isArticleFile)) copyFileSync(join('corpus', name), join(dir, name));
    copyFileSync('tests/fixtures/squad/squad-university_of_notre_dame.txt', join(dir, 'squad-university_of_notre_dame.txt'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ranks the answering paragraph with MRR ≥ 0.87, above textbook BM25 with its best sentences, and rarely says no close match', async () => {
    const s = evaluate('SQuAD Notre Dame', squad, dir);
    const bm25 = score(squad, await runBm25(squad, dir, { windows: true }));
    console.log(formatScore('SQuAD Notre Dame, BM25 + best sentence or pair', bm25));
    expect(s.mrr).toBeGreaterThanOrEqual(0.87);
    expect(s.mrr).toBeGreaterThan(bm25.mrr);
    expect(s.flagged).toBeLessThanOrEqual(5);
  });
});

describe('answer quality with the seeds hidden among 500 Brown Corpus texts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'footnote-brown-'));
    writeBrownCorpus(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps MRR ≥ 0.9 on the development questions', () => {
    const s = evaluate('dev (Brown mixture)', dev, dir);
    expect(s.mrr).toBeGreaterThanOrEqual(0.9);
    expect(s.who.right / s.who.of).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps MRR ≥ 0.95 on the paraphrased questions', () => {
    const s = evaluate('paraphrases (Brown mixture)', paraphrases, dir);
    expect(s.mrr).toBeGreaterThanOrEqual(0.95);
  });

  it('answers questions worded without the articles’ phrases with MRR ≥ 0.53, flagging none', () => {
    const s = evaluate('own questions (Brown mixture)', questions, dir);
    expect(s.mrr).toBeGreaterThanOrEqual(0.53);
    expect(s.flagged).toBe(0);
  });
});

describe('the seeds as one server’s own articles, the 500 Brown texts shared', () => {
  // The server's index and the shared corpus's are searched together with their statistics
  // pooled: the answers should be those of one index of both, measured above as the mixture.
  let dir: string;
  let view: Engine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'footnote-brown-shared-'));
    writeBrownCorpus(dir, { withSeeds: false });
    const seeds = (await loadCorpus(DEFAULT_CORPUS_DIR)).articles.map((a) => ({ ...a, guildId: '111111111111111111' }));
    view = new Engine(await loadCorpus(dir)).in(new Shelf(seeds));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const asked = async (set: Question[]) => {
    const replies = [];
    for (const q of set) {
      const reply = await ask(q.cmd, { engine: view, commands });
      replies.push('answer' in reply ? toJson(reply.answer) : {});
    }
    return replies;
  };

  it('answers the development and paraphrased questions as well as with the seeds in the shared corpus', async () => {
    const d = score(dev, await asked(dev));
    const p = score(paraphrases, await asked(paraphrases));
    console.log(formatScore('dev (seeds as a server’s own, Brown shared)', d));
    console.log(formatScore('paraphrases (seeds as a server’s own, Brown shared)', p));
    // Measured: 0.941 and 0.985, against 0.941 and 0.980 with the seeds among the Brown texts in one corpus.
    expect(d.mrr).toBeGreaterThanOrEqual(0.94);
    expect(d.who.right / d.who.of).toBeGreaterThanOrEqual(0.8);
    expect(p.mrr).toBeGreaterThanOrEqual(0.97);
  });
});

describe('/who on the news texts of the Brown Corpus (1961), with the seeds', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'footnote-news-'));
    writeBrownCorpus(dir, { category: 'news' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the name and role for at least 30 of the 31 people, citing a paragraph naming each', () => {
    const s = evaluate('people-dev (Brown news)', peopleDev, dir);
    expect(s.who.right).toBeGreaterThanOrEqual(30);
    expect(s.hit3).toBeGreaterThanOrEqual(0.95);
  });
});
