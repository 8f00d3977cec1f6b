// The queries the benchmark times, drawn from the corpus itself by a seeded generator, so that
// every run, and both systems, time exactly the same ones.
import { words } from '../src/text.js';
import { treatyWeight } from '../src/treaty.js';
import type { Article, Paragraph, Person } from '../src/types.js';

export type Command = 'search' | 'who' | 'treaty';
export type QuerySet = Record<Command, string[]>;

/** How many paragraphs, at most, are looked at for those about treaties. */
const TREATY_SAMPLE = 20_000;

/** Mulberry32: a tiny, fast, well-mixed 32-bit generator; `Math.random` cannot be seeded. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` random runs of 1 to `maxWords` neighbouring words, each from a random paragraph. */
function wordRuns(paragraphs: readonly Paragraph[], count: number, maxWords: number, random: () => number): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const runs: string[] = [];
  while (runs.length < count) {
    const ws = words(pick(paragraphs).text).map((w) => w.raw);
    if (ws.length === 0) continue;
    const n = Math.min(ws.length, 1 + Math.floor(random() * maxWords));
    const start = Math.floor(random() * (ws.length - n + 1));
    runs.push(ws.slice(start, start + n).join(' '));
  }
  return runs;
}

/** Two neighbouring letters swapped ("Karsain"): the commonest typo, one edit away. */
function withTypo(name: string, random: () => number): string {
  if (name.length < 4) return name;
  const i = 1 + Math.floor(random() * (name.length - 2));
  return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
}

/**
 * `/search`: runs of 1–4 words as a reader would quote them, stopwords and all. `/who`: a
 * person's full name, surname alone, or full name with a typo, in equal shares. `/treaty`: a
 * year or 1–2 words from a paragraph about a treaty, and one time in ten no query (the timeline).
 */
export function drawQueries(articles: readonly Article[], people: readonly Person[], counts: Record<Command, number>, seed: number): QuerySet {
  const random = seeded(seed);
  const paragraphs = articles.flatMap((a) => a.paragraphs);
  // Telling which paragraphs are about treaties takes a tokenisation each, some 20 s for all of
  // 100,000: a random sample gives the same mix.
  const sample = paragraphs.length <= TREATY_SAMPLE ? paragraphs : Array.from({ length: TREATY_SAMPLE }, () => paragraphs[Math.floor(random() * paragraphs.length)]!);
  const treatyParagraphs = sample.filter((p) => treatyWeight(p.text) > 0);
  const years = treatyParagraphs.flatMap((p) => p.text.match(/\b(1[5-9]\d\d|20\d\d)\b/g) ?? []);

  const who = Array.from({ length: people.length ? counts.who : 0 }, () => {
    const name = people[Math.floor(random() * people.length)]!.name;
    const r = random();
    return r < 1 / 3 ? name : r < 2 / 3 ? name.split(' ').at(-1)! : withTypo(name, random);
  });

  const treaty = Array.from({ length: counts.treaty }, (_, i) => {
    if (i % 10 === 0 || treatyParagraphs.length === 0) return '';
    if (years.length && random() < 0.5) return years[Math.floor(random() * years.length)]!;
    return wordRuns(treatyParagraphs, 1, 2, random)[0]!;
  });

  return { search: wordRuns(paragraphs, counts.search, 4, random), who, treaty };
}
