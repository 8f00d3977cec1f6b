// The full-text index of paragraphs (MiniSearch, BM25+) and the ranking on top of it. MiniSearch
// finds and scores candidates; we then prefer paragraphs that contain every part of the question
// and its words in the order typed, which is what makes the answering paragraph come first.
import MiniSearch, { type AsPlainObject, type Query, type SearchResult } from 'minisearch';
import { indexTerms, stem, termsOfWord, words, type QueryConcept, type Word } from './text.js';
import type { Article, Paragraph } from './types.js';

/** A paragraph found for a query, with its final score. */
export interface Hit {
  paragraph: Paragraph;
  article: Article;
  score: number;
  /** The index terms that matched, typos resolved ("karasin" for "Karassin"), to highlight. */
  terms: string[];
}

interface IndexedParagraph {
  id: string;
  text: string;
}

function paragraphId(p: Paragraph): string {
  return `${p.articleId}#${p.n}`;
}

/** How many of MiniSearch's candidates are re-ranked: deeper costs time, shallower loses answers. */
const RERANK_DEPTH = 200;

/** How many of the best candidates get the bonus for the query's words in order. */
const PHRASE_DEPTH = 40;

function byScore(a: Hit, b: Hit): number {
  return b.score - a.score || a.paragraph.n - b.paragraph.n;
}

/** Hits scoring below this share of the best are dropped from the answer and its count. */
const RELEVANCE_FLOOR = 0.1;

const INDEX_OPTIONS = {
  fields: ['text'],
  // Our tokenizer already yields the final terms (stems, joined names), one pass for both sides.
  tokenize: indexTerms,
  processTerm: (term: string) => term,
  searchOptions: {
    tokenize: (term: string) => [term],
  },
};

/**
 * A term in more paragraphs than this is common ("one", "time", "state"). MiniSearch scores some
 * 400 postings a millisecond, so reading all of a common term's would cost milliseconds for a
 * word that says little. Instead each common term keeps a list of its best paragraphs (what
 * information retrieval calls a champion list), and a query reads that list.
 */
const COMMON = 1000;

/** How many paragraphs a common term's list keeps: as many as are re-ranked. */
const CHAMPIONS = RERANK_DEPTH;

/**
 * How many postings (paragraph-term pairs) one search may read, lists included. The query's words
 * are taken rarest first until this is spent: the rare words find the answer. The words left out
 * still count for the phrase bonus. A small corpus never reaches it.
 */
const POSTINGS_BUDGET = 2500;

/** A word in at most this many paragraphs may be a misspelling or a variant of another. */
const RARE = 2;

/** MiniSearch's BM25+ with its default parameters, to score a paragraph added to a common term's list. */
function bm25(termFrequency: number, documentFrequency: number, documents: number, length: number, averageLength: number): number {
  const [k, b, d] = [1.2, 0.7, 0.5];
  const idf = Math.log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5));
  return idf * (d + (termFrequency * (k + 1)) / (termFrequency + k * (1 - b + (b * length) / averageLength)));
}

/** A paragraph id and its score for one term, best first in a champion list. */
type Champion = [id: string, score: number];

/** The index as persisted. */
interface PersistedIndex {
  /** MiniSearch's own form, without the common terms, which no query reads there. */
  mini: AsPlainObject;
  /** Each term's document frequency. */
  df: Array<[string, number]>;
  champions: Array<[string, Champion[]]>;
  /** Distinct terms summed over all paragraphs, for the average paragraph length BM25 needs. */
  length: number;
}

/**
 * A paragraph MiniSearch or a champion list found, scored as MiniSearch scores: the sum of its
 * terms' scores times how many query terms it matched.
 */
interface Candidate {
  id: string;
  sum: number;
  /** The paragraph's terms that matched, and the query terms they matched. */
  terms: string[];
  queryTerms: string[];
}

/** A candidate being ranked. */
interface Ranked extends Candidate, Hit {
  /** Which of the query's concepts the paragraph has. */
  has: boolean[];
  /** What the paragraph's kind and subject multiply its score by. */
  weight: number;
}

export interface IndexOptions {
  /** From `toJSON`: loaded instead of built. */
  persisted?: object | undefined;
  /** Which paragraphs to index; all by default. */
  include?: (p: Paragraph) => boolean;
}

export class ParagraphIndex {
  readonly #mini: MiniSearch<IndexedParagraph>;
  readonly #include: (p: Paragraph) => boolean;
  readonly #entries = new Map<string, { paragraph: Paragraph; article: Article }>();
  readonly #articles = new Map<string, Article>();
  /** In how many paragraphs each term occurs. */
  readonly #df: Map<string, number>;
  readonly #champions: Map<string, Champion[]>;
  #length: number;

  constructor(articles: readonly Article[], { persisted, include = () => true }: IndexOptions = {}) {
    const saved = persisted as PersistedIndex | undefined;
    this.#include = include;
    this.#df = new Map(saved?.df ?? []);
    this.#champions = new Map(saved?.champions ?? []);
    this.#length = saved?.length ?? 0;
    // MiniSearch tokenises each paragraph once as it adds it: count the terms there.
    const options = {
      ...INDEX_OPTIONS,
      tokenize: (text: string) => {
        const terms = indexTerms(text);
        const distinct = new Set(terms);
        for (const t of distinct) this.#df.set(t, (this.#df.get(t) ?? 0) + 1);
        this.#length += distinct.size;
        return terms;
      },
    };
    this.#mini = saved ? MiniSearch.loadJS<IndexedParagraph>(saved.mini, options) : new MiniSearch<IndexedParagraph>(options);
    for (const article of articles) this.#remember(article);
    if (saved && this.#mini.documentCount !== this.#entries.size) {
      throw new Error(`paragraph-index: the persisted index holds ${this.#mini.documentCount} paragraphs, the articles ${this.#entries.size}`);
    }
    if (!saved) {
      this.#mini.addAll([...this.#entries].map(([id, { paragraph }]) => ({ id, text: paragraph.text })));
      this.#listCommon(this.#df.keys());
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Adds an article, replacing the one with the same id if there is one. */
  put(article: Article): void {
    this.remove(article.id);
    const added = this.#remember(article);
    this.#mini.addAll(added.map((p) => ({ id: paragraphId(p), text: p.text })));
    // Lists of terms that were already common take the new paragraphs that score high enough;
    // terms common only now get their lists after, read from postings that hold these paragraphs.
    const averageLength = this.#length / this.#mini.documentCount;
    const terms = new Set<string>();
    for (const p of added) {
      const frequencies = new Map<string, number>();
      for (const t of indexTerms(p.text)) frequencies.set(t, (frequencies.get(t) ?? 0) + 1);
      for (const [term, tf] of frequencies) {
        const list = this.#champions.get(term);
        if (!list) continue;
        const score = bm25(tf, this.#df.get(term)!, this.#mini.documentCount, frequencies.size, averageLength);
        if (list.length < CHAMPIONS || score > list.at(-1)![1]) {
          list.push([paragraphId(p), score]);
          list.sort((a, b) => b[1] - a[1]);
          list.length = Math.min(list.length, CHAMPIONS);
        }
      }
      for (const term of frequencies.keys()) terms.add(term);
    }
    this.#listCommon(terms);
  }

  remove(articleId: string): void {
    const old = this.#articles.get(articleId);
    if (!old) return;
    for (const p of old.paragraphs) {
      const id = paragraphId(p);
      if (!this.#entries.delete(id)) continue;
      this.#mini.discard(id);
      const distinct = new Set(indexTerms(p.text));
      this.#length -= distinct.size;
      for (const t of distinct) {
        const n = (this.#df.get(t) ?? 1) - 1;
        if (n > 0) this.#df.set(t, n);
        else this.#df.delete(t);
        const list = this.#champions.get(t);
        const at = list ? list.findIndex(([listed]) => listed === id) : -1;
        if (at >= 0) list!.splice(at, 1);
      }
    }
    this.#articles.delete(articleId);
  }

  toJSON(): PersistedIndex {
    const mini = this.#mini.toJSON();
    return {
      mini: { ...mini, index: mini.index.filter(([term]) => !this.#champions.has(term)) },
      df: [...this.#df],
      champions: [...this.#champions],
      length: this.#length,
    };
  }

  /** Remembers the article and its paragraphs to index; returns those paragraphs. */
  #remember(article: Article): Paragraph[] {
    this.#articles.set(article.id, article);
    const included = article.paragraphs.filter(this.#include);
    for (const paragraph of included) this.#entries.set(paragraphId(paragraph), { paragraph, article });
    return included;
  }

  /** Gives each of `terms` that has become common its champion list, read once from its postings. */
  #listCommon(terms: Iterable<string>): void {
    for (const term of terms) {
      if ((this.#df.get(term) ?? 0) <= COMMON || this.#champions.has(term)) continue;
      this.#champions.set(term, this.#mini.search({ queries: [term] }).slice(0, CHAMPIONS).map((r): Champion => [r.id as string, r.score]));
    }
  }

  /**
   * Paragraphs matching any concept of the query, best first. `accept` narrows the candidates
   * (a server's articles); `weight` scales a paragraph's score by what it is about.
   */
  search(concepts: QueryConcept[], accept?: (p: Paragraph) => boolean, weight: (p: Paragraph) => number = () => 1): Hit[] {
    if (concepts.length === 0) return [];
    const cost = (c: QueryConcept) => c.terms.reduce((n, t) => n + (this.#champions.get(t)?.length ?? this.#df.get(t) ?? 0), 0);
    let spent = 0;
    const searched = [...concepts]
      .sort((a, b) => cost(a) - cost(b))
      .filter((c, i) => {
        if (i > 0 && spent + cost(c) > POSTINGS_BUDGET) return false;
        spent += cost(c);
        return true;
      });
    const listed = new Set(searched.flatMap((c) => c.terms.filter((t) => this.#champions.has(t))));
    // Built once and updated in place: object spreads in this loop cost more than the search.
    const found: Ranked[] = this.#candidates(searched, listed, accept).map((c) => {
      const { paragraph, article } = this.#entries.get(c.id)!;
      const has = concepts.map((k) => covers(k, c.queryTerms));
      return { id: c.id, sum: c.sum, terms: c.terms, queryTerms: c.queryTerms, paragraph, article, has, score: 0, weight: weight(paragraph) * (paragraph.kind === 'caption' ? 0.9 : 1) };
    });
    const rescore = (group: Ranked[], factor: (h: Ranked) => number = () => 1) => {
      const coverage = coverageFactor(group);
      for (const h of group) h.score = h.sum * h.queryTerms.length * h.weight * coverage(h.has) * factor(h);
      return group.sort(byScore);
    };
    const scored = rescore(found);
    // The leaders are read word by word, the costly part. That finds the query's words in order
    // (worth at most ×1.6: it reorders the leaders, it does not bring up paragraphs from far
    // below), and the concepts searched only in a common term's list or not at all. A leader
    // with a listed term but not in its list scores at most the list's last for it: it gets that.
    // A one-word question has no order to check, and its leaders were all found by that word.
    const leaders = concepts.length > 1 ? scored.slice(0, PHRASE_DEPTH) : [];
    const phrase = new Map<Ranked, number>();
    for (const h of leaders) {
      const positions = conceptPositions(h.paragraph.text, concepts);
      h.has = h.has.map((has, k) => has || positions[k]!.length > 0);
      for (const t of listed) {
        if (h.queryTerms.includes(t) || !hasTerm(h.paragraph.text, t)) continue;
        h.sum += this.#champions.get(t)!.at(-1)![1];
        h.queryTerms.push(t);
      }
      phrase.set(h, phraseFactor(positions));
    }
    const ranked = [...rescore(leaders, (h) => phrase.get(h)!), ...scored.slice(leaders.length)];
    // A paragraph that shares only a stray or misspelt word with the question is not a match.
    const floor = (ranked[0]?.score ?? 0) * RELEVANCE_FLOOR;
    return ranked.filter((h) => h.score >= floor).map(({ paragraph, article, score, terms, queryTerms }) => ({ paragraph, article, score, terms: [...terms, ...queryTerms] }));
  }

  /** The best-scoring paragraphs for the concepts: the `listed` terms from their lists, the rest from MiniSearch. */
  #candidates(concepts: QueryConcept[], listed: ReadonlySet<string>, accept?: (p: Paragraph) => boolean): Candidate[] {
    // Typos and spelling variants: only for a word the corpus has rarely or not at all (a common
    // word is meant as typed), in its own term (the joined forms are for spellings), and long
    // enough (short words have too many neighbours).
    const queries: Query[] = concepts.flatMap((c) =>
      c.terms.flatMap((term, i) =>
        listed.has(term) ? [] : [{ queries: [term], fuzzy: i > 0 || (this.#df.get(term) ?? 0) > RARE ? false : term.length >= 9 ? 2 : term.length >= 6 ? 1 : false }],
      ),
    );
    const filter = accept && ((r: SearchResult) => accept(this.#entries.get(r.id as string)!.paragraph));
    const found = queries.length ? this.#mini.search({ combineWith: 'OR', queries }, filter ? { filter } : {}) : [];
    // The listed terms' paragraphs, with their scores summed...
    const listedSums = new Map<string, Candidate>();
    for (const term of listed) {
      for (const [id, score] of this.#champions.get(term)!) {
        if (accept && !accept(this.#entries.get(id)!.paragraph)) continue;
        const c = listedSums.get(id) ?? { id, sum: 0, terms: [], queryTerms: [] };
        c.sum += score;
        c.terms.push(term);
        c.queryTerms.push(term);
        listedSums.set(id, c);
      }
    }
    // ...then added to MiniSearch's. Of those it found alone, only its best can be among the
    // best in the end: MiniSearch's results are sorted, and most are never looked at again.
    const candidates: Candidate[] = [];
    let alone = 0;
    for (const r of found) {
      const id = r.id as string;
      const more = listedSums.get(id);
      if (!more && alone++ >= RERANK_DEPTH) continue;
      listedSums.delete(id);
      const sum = r.score / r.queryTerms.length + (more?.sum ?? 0);
      candidates.push({ id, sum, terms: [...r.terms, ...(more?.terms ?? [])], queryTerms: [...r.queryTerms, ...(more?.queryTerms ?? [])] });
    }
    const score = (c: Candidate) => c.sum * c.queryTerms.length;
    return [...candidates, ...listedSums.values()].sort((a, b) => score(b) - score(a)).slice(0, RERANK_DEPTH);
  }
}

function covers(concept: QueryConcept, matched: string[]): boolean {
  return concept.terms.some((t) => matched.includes(t));
}

/**
 * Rewards the query's words standing together in the paragraph as they stood in the query
 * ("new Cold War", "talks on June 16"), up to two small words apart. `positions` are each
 * concept's word positions in the paragraph.
 */
function phraseFactor(positions: number[][]): number {
  if (positions.length < 2) return 1;
  let adjacent = 0;
  for (let i = 0; i + 1 < positions.length; i++) {
    const next = positions[i + 1]!;
    if (positions[i]!.some((p) => next.some((q) => q > p && q - p <= 3))) adjacent++;
  }
  return 1 + (0.6 * adjacent) / (positions.length - 1);
}

/**
 * What covering more of the query is worth, for the paragraphs of `group`: one with every
 * concept found in any of them (the concepts the corpus has at all) scores up to five times
 * one with none.
 */
function coverageFactor(group: ReadonlyArray<{ has: boolean[] }>): (has: boolean[]) => number {
  const matchable = (group[0]?.has ?? []).map((_, k) => group.some((g) => g.has[k]));
  const total = matchable.filter(Boolean).length;
  return (has) => 0.25 + (total ? has.filter((h, k) => h && matchable[k]).length / total : 1) ** 2;
}

/** A text's words, and each word joined with the next one; their index terms are stemmed as needed. */
interface Analysis {
  words: Word[];
  /** The word and the next written as one, unstemmed; none where they are not separated by spaces. */
  pairs: Array<string | undefined>;
  terms: Array<string[] | undefined>;
  joined: Array<string | undefined>;
}

// The same paragraphs are analysed again and again (ranked, then highlighted, query after query):
// keep the most recent ones. Bounded, so a large corpus does not keep one per paragraph.
const ANALYSES = new Map<string, Analysis>();
const MAX_ANALYSES = 2000;

function analyse(text: string): Analysis {
  let a = ANALYSES.get(text);
  if (a) {
    ANALYSES.delete(text);
  } else {
    const ws = words(text);
    const pairs = ws.map((w, i) => {
      const next = ws[i + 1];
      return next && /^\s+$/.test(text.slice(w.end, next.start)) ? (w.norm + next.norm).replace(/-/g, '') : undefined;
    });
    a = { words: ws, pairs, terms: [], joined: [] };
    if (ANALYSES.size >= MAX_ANALYSES) ANALYSES.delete(ANALYSES.keys().next().value!);
  }
  ANALYSES.set(text, a);
  return a;
}

/**
 * The index terms of `text` that may be among `wanted`, by word position: each word's, and each
 * word's joined with the next. Stemming every word of every paragraph read would cost more than
 * the rest of a search; a stem keeps its word's first two letters, so only the words starting like
 * a wanted term (and hyphenated words, whose parts are terms too) are stemmed.
 */
function termsIn(text: string, wanted: Iterable<string>): { words: Word[]; terms: string[][]; joined: Array<string | undefined> } {
  const a = analyse(text);
  const starts = new Set([...wanted].map((t) => t.slice(0, 2)));
  return {
    words: a.words,
    terms: a.words.map((w, i) => (starts.has(w.norm.slice(0, 2)) || w.norm.includes('-') ? (a.terms[i] ??= termsOfWord(w)) : [])),
    joined: a.pairs.map((pair, i) => (pair !== undefined && starts.has(pair.slice(0, 2)) ? (a.joined[i] ??= stem(pair)) : undefined)),
  };
}

/** Whether `term` is one of the index terms of `text`. */
function hasTerm(text: string, term: string): boolean {
  const { terms, joined } = termsIn(text, [term]);
  return terms.some((ts) => ts.includes(term)) || joined.includes(term);
}

/** Word positions in `text` at which each concept occurs. */
function conceptPositions(text: string, concepts: QueryConcept[]): number[][] {
  // One pass over the words, looking each term up, rather than one pass per concept.
  const conceptsOf = new Map<string, number[]>();
  concepts.forEach((c, k) => c.terms.forEach((t) => conceptsOf.set(t, [...(conceptsOf.get(t) ?? []), k])));
  const { terms, joined } = termsIn(text, conceptsOf.keys());
  const positions = concepts.map((): number[] => []);
  const mark = (term: string | undefined, i: number) => {
    const ks = term === undefined ? undefined : conceptsOf.get(term);
    if (ks) for (const k of ks) if (positions[k]!.at(-1) !== i) positions[k]!.push(i);
  };
  for (let i = 0; i < terms.length; i++) {
    for (const t of terms[i]!) mark(t, i);
    mark(joined[i], i);
  }
  return positions;
}

/**
 * The words of `text` (as `[start, end)` ranges) whose index terms are `wanted`, or which are
 * wanted joined with the next word ("Pyong Yang"); neighbouring words make one range.
 */
export function matchRanges(text: string, wanted: ReadonlySet<string>): Array<[number, number]> {
  const { words: ws, terms, joined } = termsIn(text, wanted);
  const ranges: Array<[number, number]> = [];
  const add = (start: number, end: number) => {
    const last = ranges.at(-1);
    if (last && /^\s+$/.test(text.slice(last[1], start))) last[1] = end;
    else ranges.push([start, end]);
  };
  for (let i = 0; i < ws.length; i++) {
    if (terms[i]!.some((t) => wanted.has(t))) add(ws[i]!.start, ws[i]!.end);
    else if (joined[i] !== undefined && wanted.has(joined[i]!)) {
      add(ws[i]!.start, ws[i + 1]!.end);
      i++;
    }
  }
  return ranges;
}
