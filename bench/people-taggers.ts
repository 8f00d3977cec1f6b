// `npm run bench:taggers`: the two English NLP libraries the people finder could be built on,
// compared on the development set of /who questions (tests/fixtures/eval/people-dev.jsonl) for
// recall, and on the 500 Brown Corpus texts for speed, next to our finder.
//   compromise      nlp(paragraph).people(): its person tagger
//   wink-nlp        readDoc(paragraph) with wink-eng-lite-web-model: runs of proper nouns (PROPN)
// Recall: for how many of the people some name the library finds in their article contains the
// full name (as the issue measured compromise). Speed: milliseconds per paragraph, and the time
// that would take at 100,000 paragraphs; compromise is timed on fewer paragraphs, being slow.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nlp from 'compromise';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { readQuestions } from '../scripts/eval.js';
import { writeBrownCorpus } from '../scripts/make-brown-corpus.js';
import { loadCorpus } from '../src/corpus.js';
import { articleFacts } from '../src/people.js';
import { fold } from '../src/text.js';
import type { Article } from '../src/types.js';

const wink = winkNLP(model, ['sbd', 'pos']);

/** The names a library finds in one paragraph. */
const LIBRARIES: Record<string, (text: string) => string[]> = {
  compromise: (text) => nlp(text).people().out('array') as string[],
  'wink-nlp': (text) => {
    const doc = wink.readDoc(text);
    const values = doc.tokens().out();
    const tags = doc.tokens().out(wink.its.pos) as string[];
    const runs: string[] = [];
    let run: string[] = [];
    values.forEach((v, i) => {
      if (tags[i] === 'PROPN') run.push(v);
      else if (run.length) {
        runs.push(run.join(' '));
        run = [];
      }
    });
    if (run.length) runs.push(run.join(' '));
    return runs;
  },
};

const norm = (s: string) => fold(s).replace(/\s+\./g, '.').replace(/\.$/, '').replace(/\s+/g, ' ').trim();

const questions = readQuestions('tests/fixtures/eval/people-dev.jsonl') as Array<ReturnType<typeof readQuestions>[number] & { file?: string }>;

function recall(articles: readonly Article[], find: (a: Article) => string[]): number {
  return questions.filter((q) => {
    const article = articles.find((a) => a.id === `brown-${q.file}`);
    return article !== undefined && find(article).some((name) => norm(name).includes(norm(q.name!)));
  }).length;
}

function msPerParagraph(paragraphs: readonly string[], find: (text: string) => unknown): number {
  const start = performance.now();
  for (const p of paragraphs) find(p);
  return (performance.now() - start) / paragraphs.length;
}

const work = mkdtempSync(join(tmpdir(), 'footnote-taggers-'));
try {
  writeBrownCorpus(join(work, 'news'), { category: 'news' });
  writeBrownCorpus(join(work, 'all'));
  const news = (await loadCorpus(join(work, 'news'))).articles;
  const all = (await loadCorpus(join(work, 'all'))).articles.flatMap((a) => a.paragraphs.map((p) => p.text));
  const rows = Object.entries(LIBRARIES).map(([name, find]) => {
    const sample = name === 'compromise' ? all.slice(0, 2000) : all;
    const ms = msPerParagraph(sample, find);
    return { name, recall: recall(news, (a) => a.paragraphs.flatMap((p) => find(p.text))), ms, paragraphs: sample.length };
  });
  const articlesAll = (await loadCorpus(join(work, 'all'))).articles;
  const oursMs = (() => {
    const articles = articlesAll;
    const start = performance.now();
    for (const a of articles) articleFacts(a);
    return (performance.now() - start) / all.length;
  })();
  rows.push({ name: 'ours (introductions.ts, wink where needed)', recall: recall(news, (a) => articleFacts(a).people.map((p) => p.name)), ms: oursMs, paragraphs: all.length });
  console.log('| finder | people-dev: a name containing the full name | ms per paragraph | at 100,000 paragraphs | timed on |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.name} | ${r.recall}/${questions.length} | ${r.ms.toFixed(3)} | ${((r.ms * 100_000) / 1000).toFixed(0)} s | ${r.paragraphs.toLocaleString('en-US')} paragraphs |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
