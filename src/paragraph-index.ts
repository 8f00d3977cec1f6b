// The full-text index of paragraphs (MiniSearch, BM25+) and the ranking on top of it. MiniSearch
// finds and scores candidates; the best of them are then read sentence by sentence, since where a
// paragraph answers a question the question's words stand together in one sentence or two, often
// with the thing asked for (a date for "when") beside them.
import MiniSearch, { type AsPlainObject, type Query } from 'minisearch';
import { type AnswerKind, kindSpans } from './question.js';
import { relatedWords } from './lexicon.js';
import { fold, indexTerms, isStopword, sentences, stem, termsOfWord, words, type QueryConcept, type Word } from './text.js';
import type { Article, Paragraph } from './types.js';

/** A paragraph found for a query, with its final score. */
export interface Hit {
  paragraph: Paragraph;
  article: Article;
  score: number;
  /** The index terms that matched, typos resolved ("karasin" for "Karassin"), to highlight. */
  terms: string[];
  /** `[start, end)` of the sentence or pair of sentences that answers best, when it was read. */
  best?: [number, number];
  /** `[start, end)` of the things there of the kind asked for (the dates, for "when"). */
  answers?: Array<[number, number]>;
  /** How much of the query it has, weighting each concept by its rarity: 1 is all of it. */
  coverage: number;
}

export interface SearchOptions {
  /** What a paragraph's score is multiplied by for what it is about; 1 by default. */
  weight?: (p: Paragraph) => number;
  /** What the question asks for (a date for "when"), preferred near the words matched. */
  kind?: AnswerKind | undefined;
  /**
   * The statistics to score with (how rare each word is, how long a paragraph is): this index's
   * own by default; pooled when several indexes are searched as one (`searchTogether`).
   */
  stats?: IndexStats | undefined;
}

/** What BM25 needs to know about the paragraphs searched: how many, how long, which words how often. */
export interface IndexStats {
  documents: number;
  /** Terms summed over all paragraphs, repeats counted. */
  tokens: number;
  /** In how many paragraphs a term occurs. */
  df(term: string): number;
}

/** The statistics of several indexes taken together, as if their paragraphs were one index's. */
function pooled(indexes: readonly ParagraphIndex[]): IndexStats {
  const all = indexes.map((ix) => ix.stats);
  return {
    documents: all.reduce((n, s) => n + s.documents, 0),
    tokens: all.reduce((n, s) => n + s.tokens, 0),
    df: (term) => all.reduce((n, s) => n + s.df(term), 0),
  };
}

/**
 * Searches several indexes (the shared corpus's and a server's own) as one: each is scored with
 * the statistics of all of them together, so a paragraph scores what it would in one index of
 * every paragraph, and the lists merge on one scale. The relevance floor is then that of the
 * merged list's best.
 */
export function searchTogether(indexes: readonly ParagraphIndex[], concepts: QueryConcept[], options: Omit<SearchOptions, 'stats'> = {}): Hit[] {
  if (indexes.length === 1) return indexes[0]!.search(concepts, options);
  const stats = pooled(indexes);
  const hits = indexes.flatMap((ix) => ix.search(concepts, { ...options, stats })).sort(byScore);
  const floor = (hits[0]?.score ?? 0) * RELEVANCE_FLOOR;
  return hits.filter((h) => h.score >= floor);
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

/** How many of the best candidates are read sentence by sentence: the costly part of a search. */
const LEADERS = 40;

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

/** Paragraphs indexed in one step of `putting`: a few milliseconds of work. */
const BATCH = 100;

/** Runs every step of a piece of work at once. */
export function drain(steps: Iterator<unknown>): void {
  while (!steps.next().done);
}

/**
 * How many postings (paragraph-term pairs) one search may read, lists included. The query's words
 * are taken rarest first until this is spent: the rare words find the answer. The words left out
 * still count when the leaders are read. A small corpus never reaches it.
 */
const POSTINGS_BUDGET = 2500;

/**
 * How many postings the words WordNet relates to the query's may read, rarest first. A rare
 * synonym finds the paragraph that words the question otherwise; a common one would cost as much
 * as the query's own words and find little: the leaders are read for those anyway.
 */
const RELATED_BUDGET = 250;

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
  /** Terms summed over all paragraphs, repeats counted, for the same in the leaders' own BM25. */
  tokens: number;
}

/** A paragraph MiniSearch or a champion list found, scored as MiniSearch scores: the sum of its terms' scores. */
interface Candidate {
  id: string;
  sum: number;
  /** The paragraph's terms that matched, and the query terms they matched. */
  terms: string[];
  queryTerms: string[];
}

/** A concept of the query, with the words WordNet relates to it that the corpus has. */
interface Concept extends QueryConcept {
  related: RelatedTerm[];
}

interface RelatedTerm {
  term: string;
  /** What finding it is worth, as a share of finding the concept's own word. */
  weight: number;
}

/** A word position where a concept occurs, and how strongly (1 as typed, less for a related word). */
type Match = [position: number, strength: number];

/** A candidate being ranked; its `coverage` is -1 until known. */
interface Ranked extends Candidate, Hit {
  /** What the paragraph's kind and subject multiply its score by. */
  weight: number;
}

/**
 * BM25 with the parameters of Robertson's textbook (k1 1.2, b 0.75), which the leaders are scored
 * with as wholes and by their best sentence or pair.
 */
const K1 = 1.2;
const B = 0.75;

/** About how many words that are not stopwords a sentence has, to normalise a window's length. */
const SENTENCE_LENGTH = 12;

/**
 * What a derived form ("intervene" for "intervention") and a synonym ("arms" for "weapons") are
 * worth, as a share of the word as typed: enough to find a paragraph that words it otherwise,
 * not enough to outrank one that uses the word itself.
 */
const DERIVED = 0.6;
const SYNONYM = 0.3;

/** What a window holding the thing asked for (a date for "when") is worth over one without. */
const ANSWER_KIND = 1.4;

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
  /** Terms summed over all paragraphs, repeats counted: the average paragraph's length for BM25. */
  #tokens: number;

  constructor(articles: readonly Article[], { persisted, include = () => true }: IndexOptions = {}) {
    const saved = persisted as PersistedIndex | undefined;
    this.#include = include;
    this.#df = new Map(saved?.df ?? []);
    this.#champions = new Map(saved?.champions ?? []);
    this.#length = saved?.length ?? 0;
    this.#tokens = saved?.tokens ?? 0;
    // MiniSearch tokenises each paragraph once as it adds it: count the terms there.
    const options = {
      ...INDEX_OPTIONS,
      tokenize: (text: string) => {
        const terms = indexTerms(text);
        const distinct = new Set(terms);
        for (const t of distinct) this.#df.set(t, (this.#df.get(t) ?? 0) + 1);
        this.#length += distinct.size;
        this.#tokens += terms.length;
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

  get stats(): IndexStats {
    return { documents: this.#entries.size, tokens: this.#tokens, df: (term) => this.#df.get(term) ?? 0 };
  }

  /** Adds an article, replacing the one with the same id if there is one. */
  put(article: Article): void {
    drain(this.putting(article));
  }

  /**
   * `put`, a batch of paragraphs at a time: the caller may let the event loop run between the
   * steps, when no question reads this index until the last one (a server's, changed apart).
   */
  *putting(article: Article): Generator<void> {
    this.remove(article.id);
    const added = this.#remember(article);
    for (let i = 0; i < added.length; i += BATCH) {
      this.#mini.addAll(added.slice(i, i + BATCH).map((p) => ({ id: paragraphId(p), text: p.text })));
      yield;
    }
    // Lists of terms that were already common take the new paragraphs that score high enough;
    // terms common only now get their lists after, read from postings that hold these paragraphs.
    const averageLength = this.#length / this.#mini.documentCount;
    const terms = new Set<string>();
    for (const [i, p] of added.entries()) {
      if (i > 0 && i % BATCH === 0) yield;
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
      const terms = indexTerms(p.text);
      const distinct = new Set(terms);
      this.#length -= distinct.size;
      this.#tokens -= terms.length;
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
      tokens: this.#tokens,
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
   * Paragraphs matching any concept of the query, best first. `weight` scales a paragraph's
   * score by what it is about; `kind` is what the question asks for, preferred near the words
   * matched; `stats` are those of all the indexes searched together.
   */
  search(typed: QueryConcept[], { weight = () => 1, kind, stats: pooled }: SearchOptions = {}): Hit[] {
    const stats = pooled ?? this.stats;
    if (typed.length === 0) return [];
    const concepts = typed.map((c): Concept => ({ ...c, related: this.#related(c) }));
    const postings = (t: string) => this.#champions.get(t)?.length ?? this.#df.get(t) ?? 0;
    const cost = (c: Concept) => c.terms.reduce((n, t) => n + postings(t), 0);
    let spent = 0;
    const searched = [...concepts]
      .sort((a, b) => cost(a) - cost(b))
      .filter((c, i) => {
        if (i > 0 && spent + cost(c) > POSTINGS_BUDGET) return false;
        spent += cost(c);
        return true;
      });
    // The words WordNet relates have a budget of their own, rarest first: they are worth less.
    let bridging = 0;
    const bridged = new Set(
      concepts
        .flatMap((c) => c.related.map((r) => r.term))
        .sort((a, b) => postings(a) - postings(b))
        .filter((t) => (bridging += postings(t)) <= RELATED_BUDGET),
    );
    const listed = new Set(searched.flatMap((c) => c.terms.filter((t) => this.#champions.has(t))));
    const idf = concepts.map((c) => idfOf(c, 1, stats));
    // For how much of the question a paragraph has, a word no paragraph has weighs most.
    const rarity = concepts.map((c) => idfOf(c, 0, stats));
    const strengthOf = strengths(concepts);
    /** How strongly terms matched by MiniSearch give each concept. */
    const has = (terms: readonly string[]) => {
      const out = new Float64Array(concepts.length);
      for (const t of terms) for (const [k, strength] of strengthOf.get(t) ?? []) out[k] = Math.max(out[k]!, strength);
      return out;
    };
    const total = rarity.reduce((a, b) => a + b, 0);
    /** How much of the query a paragraph has, from how strongly it has each concept. */
    const share = (has: ArrayLike<number>) => {
      let sum = 0;
      for (let k = 0; k < concepts.length; k++) sum += has[k]! * rarity[k]!;
      return sum / total;
    };
    // Built once and updated in place: object spreads in this loop cost more than the search.
    const found: Ranked[] = this.#candidates(searched, bridged, listed).map((c) => {
      const { paragraph, article } = this.#entries.get(c.id)!;
      const w = weight(paragraph) * (paragraph.kind === 'caption' ? 0.9 : 1);
      return { id: c.id, sum: c.sum, terms: c.terms, queryTerms: c.queryTerms, paragraph, article, weight: w, score: c.sum * c.queryTerms.length * w, coverage: -1 };
    });
    // First as MiniSearch ranks them, its score times how many of the query's terms they have.
    found.sort(byScore);
    // The leaders are read word by word: that finds the concepts searched only in a common term's
    // list or not at all, and the sentence or pair of sentences that answers best. A leader is then
    // scored by BM25 over the concepts, as a whole and in that window, summed. A one-word query
    // has nothing to find together: its leaders keep MiniSearch's order, unless other indexes are
    // searched with it, whose MiniSearch scores are on scales of their own.
    const leaders = found.slice(0, concepts.length > 1 || pooled ? LEADERS : 0);
    const averageLength = stats.tokens / Math.max(1, stats.documents);
    for (const h of leaders) {
      const matches = conceptMatches(h.paragraph.text, strengthOf, concepts.length);
      h.coverage = share(matches.map((ms) => ms.reduce((most, m) => Math.max(most, m[1]), 0)));
      // A common term the paragraph has outside its list is highlighted too.
      for (const t of listed) if (!h.queryTerms.includes(t) && hasTerm(h.paragraph.text, t)) h.queryTerms.push(t);
      const reading = read(h.paragraph.text, matches, idf, kind, averageLength);
      h.best = reading.window;
      h.answers = reading.answers;
      h.score = (reading.paragraph + reading.best) * h.weight;
    }
    leaders.sort(byScore);
    // The rest keep MiniSearch's scores, scaled to rank below the leaders: the two are not on one scale.
    const rest = found.slice(leaders.length);
    const scale = rest.length && leaders.length ? Math.min(1, leaders.at(-1)!.score / rest[0]!.score) : 1;
    for (const h of rest) h.score *= scale;
    const ranked = [...leaders, ...rest];
    // A paragraph that shares only a stray or misspelt word with the question is not a match.
    const floor = (ranked[0]?.score ?? 0) * RELEVANCE_FLOOR;
    return ranked
      .filter((h) => h.score >= floor)
      .map(({ paragraph, article, score, terms, queryTerms, best, answers, coverage }) => ({
        paragraph,
        article,
        score,
        terms: [...terms, ...queryTerms],
        coverage: coverage >= 0 ? coverage : share(has(queryTerms)),
        ...(best && { best }),
        ...(answers?.length && { answers }),
      }));
  }

  /**
   * The terms of words WordNet relates to a concept's word that the corpus has, each worth less
   * than the word itself: a derived form more than a synonym. A common term is left out: it
   * would bring many paragraphs for a word the question did not use; a common word has enough
   * paragraphs of its own, and gets none. A word the corpus has
   * joined with its neighbour ("high stakes" as "highstakes", "North Korea") was meant with it:
   * its derived forms still count ("North Koreans"), but not what it means alone ("interest"
   * for "stake").
   */
  #related(c: QueryConcept): RelatedTerm[] {
    const word = fold(c.text);
    if (word.length < 3 || !/^\p{L}+$/u.test(word) || this.#champions.has(c.terms[0]!)) return [];
    const compound = c.terms.slice(1).some((t) => this.#df.has(t));
    const { derived, synonyms } = relatedWords(word);
    const out = new Map<string, number>();
    const add = (w: string, weight: number) => {
      const term = stem(w);
      if (c.terms.includes(term) || !this.#df.has(term) || this.#champions.has(term)) return;
      out.set(term, Math.max(out.get(term) ?? 0, weight));
    };
    for (const w of derived) add(w, DERIVED);
    if (!compound) for (const w of synonyms) add(w, SYNONYM);
    return [...out].map(([term, weight]) => ({ term, weight }));
  }

  /**
   * The best-scoring paragraphs for the concepts: the `listed` terms from their lists, the rest
   * and the `bridged` related terms from MiniSearch.
   */
  #candidates(concepts: Concept[], bridged: ReadonlySet<string>, listed: ReadonlySet<string>): Candidate[] {
    // Typos and spelling variants: only for a word the corpus has rarely or not at all (a common
    // word is meant as typed), in its own term (the joined forms are for spellings), and long
    // enough (short words have too many neighbours).
    const queries: Query[] = concepts.flatMap((c) => [
      ...c.terms.flatMap((term, i) =>
        listed.has(term) ? [] : [{ queries: [term], fuzzy: i > 0 || (this.#df.get(term) ?? 0) > RARE ? false : term.length >= 9 ? 2 : term.length >= 6 ? 1 : false }],
      ),
      ...c.related.filter((r) => bridged.has(r.term)).map((r) => ({ queries: [r.term], boostTerm: () => r.weight })),
    ]);
    const found = queries.length ? this.#mini.search({ combineWith: 'OR', queries }) : [];
    // The listed terms' paragraphs, with their scores summed...
    const listedSums = new Map<string, Candidate>();
    for (const term of listed) {
      for (const [id, score] of this.#champions.get(term)!) {
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

/**
 * How rare a concept is: the inverse document frequency of its commonest spelling, counted as
 * in at least `least` paragraphs (a misspelt word found by its typo is a rare word, not absent).
 */
function idfOf(c: QueryConcept, least: number, stats: IndexStats): number {
  const df = Math.max(least, ...c.terms.map((t) => stats.df(t)));
  const n = stats.documents;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Each term of the concepts, and which concepts it matches how strongly (1 as typed, less for a related word). */
function strengths(concepts: Concept[]): Map<string, Array<[concept: number, strength: number]>> {
  const out = new Map<string, Array<[number, number]>>();
  const add = (term: string, k: number, strength: number) => {
    const list = out.get(term) ?? [];
    const at = list.findIndex(([j]) => j === k);
    if (at < 0) list.push([k, strength]);
    else list[at]![1] = Math.max(list[at]![1], strength);
    out.set(term, list);
  };
  concepts.forEach((c, k) => {
    for (const t of c.terms) add(t, k, 1);
    for (const r of c.related) add(r.term, k, r.weight);
  });
  return out;
}

/** What reading a leader found: its BM25 over the concepts, and its best window's. */
interface Reading {
  paragraph: number;
  best: number;
  /** `[start, end)` of the best window: one sentence, or two neighbouring ones. */
  window: [number, number];
  /** The things of the kind asked for in that window. */
  answers: Array<[number, number]>;
}

/**
 * A leader read sentence by sentence: its BM25 over the concepts (a related word counting as its
 * share of one), and that of the sentence or pair of neighbouring sentences that scores best. With
 * `kind`, a window that also holds such a thing, other than the question's own words, is worth more.
 */
function read(text: string, matches: Match[][], idf: number[], kind: AnswerKind | undefined, averageLength: number): Reading {
  const a = analyse(text);
  const { spans, of, lengths } = (a.sentences ??= sentencesIn(text, a.words));
  // Each sentence's count of each concept (a related word counting as its share of one), flat.
  const n = matches.length;
  const counts = new Float64Array(spans.length * n);
  matches.forEach((ms, k) => {
    for (const [p, strength] of ms) counts[of[p]! * n + k]! += strength;
  });
  /** BM25 over the concepts of sentences `from` to `to`, of `length` words against `average`. */
  const bm25 = (from: number, to: number, length: number, average: number) => {
    let sum = 0;
    for (let k = 0; k < n; k++) {
      let f = 0;
      for (let s = from; s < to; s++) f += counts[s * n + k]!;
      if (f > 0) sum += (idf[k]! * f * (K1 + 1)) / (f + K1 * (1 - B + (B * length) / average));
    }
    return sum;
  };
  const reading: Reading = { paragraph: bm25(0, spans.length, lengths.reduce((x, y) => x + y, 0), averageLength), best: 0, window: spans[0] ?? [0, text.length], answers: [] };
  const matched = kind && new Set(matches.flat().map((m) => m[0]));
  const found = matched ? answersIn(text, kind, a.words, matched) : [];
  const answers = new Set(found.map(([start]) => of[Math.max(0, a.words.findIndex((w) => w.end > start))]));
  let [first, last] = [0, 0];
  for (let s = 0; s < spans.length; s++) {
    for (let width = 1; width <= 2 && s + width <= spans.length; width++) {
      const length = lengths[s]! + (width === 2 ? lengths[s + 1]! : 0);
      const score = bm25(s, s + width, length, SENTENCE_LENGTH * width) * (answers.has(s) || (width === 2 && answers.has(s + 1)) ? ANSWER_KIND : 1);
      if (score > reading.best) [reading.best, first, last] = [score, s, s + width - 1];
    }
  }
  if (spans.length) reading.window = [spans[first]![0], spans[last]![1]];
  if (found.length) {
    const [from, to] = reading.window;
    const inWindow = (ms: Match[]) => ms.filter(([p]) => a.words[p]!.start >= from && a.words[p]!.end <= to);
    reading.answers = nearest(found.filter(([start, end]) => start >= from && end <= to), a.words, matches.map(inWindow), idf);
  }
  return reading;
}

/**
 * The things of `kind` in `text` other than the question's own words (at `matched` word
 * positions): a date or number the question gave is no answer, and a name is trimmed to the words
 * the question did not give ("Russian Deputy Foreign Minister Grigory Karasin" → "Grigory Karasin").
 */
function answersIn(text: string, kind: AnswerKind, ws: Word[], matched: ReadonlySet<number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [s, e] of kindSpans(text, kind)) {
    const inside = ws.flatMap((w, i) => (w.start >= s && w.end <= e ? [i] : []));
    if (kind === 'date' || kind === 'number') {
      if (!inside.some((i) => matched.has(i))) out.push([s, e]);
      continue;
    }
    let run: number[] = [];
    for (const i of [...inside, -1]) {
      if (i >= 0 && !matched.has(i) && (run.length === 0 || i === run.at(-1)! + 1)) {
        run.push(i);
        continue;
      }
      // A person's name has two words at least: one capitalised word alone is as often "Russian".
      if (run.length >= (kind === 'person' ? 2 : 1) && /^\p{Lu}/u.test(ws[run[0]!]!.raw)) out.push([ws[run[0]!]!.start, ws[run.at(-1)!]!.end]);
      run = i >= 0 && !matched.has(i) ? [i] : [];
    }
  }
  return out;
}

/**
 * Of `spans`, the one nearest the question's words: the least sum, over the concepts, of how many
 * words away the concept is, each weighted by its rarity.
 */
function nearest(spans: Array<[number, number]>, ws: Word[], matches: Match[][], idf: number[]): Array<[number, number]> {
  const at = (char: number) => Math.max(0, ws.findIndex((w) => w.end > char));
  const distance = ([s, e]: [number, number]) => {
    const [first, last] = [at(s), at(e - 1)];
    return matches.reduce((sum, ms, k) => (ms.length ? sum + idf[k]! * Math.min(...ms.map(([p]) => (p < first ? first - p : p > last ? p - last : 0))) : sum), 0);
  };
  return [...spans].sort((a, b) => distance(a) - distance(b)).slice(0, 1);
}

/** A text's sentences, which one each word is in, and each one's words that are not stopwords. */
interface Sentences {
  spans: Array<[number, number]>;
  of: Uint16Array;
  lengths: Uint16Array;
}

function sentencesIn(text: string, ws: Word[]): Sentences {
  const spans = sentences(text);
  const of = new Uint16Array(ws.length);
  const lengths = new Uint16Array(spans.length);
  let s = 0;
  ws.forEach((w, i) => {
    while (s + 1 < spans.length && w.start >= spans[s + 1]![0]) s++;
    of[i] = s;
    if (!isStopword(w.norm)) lengths[s]!++;
  });
  return { spans, of, lengths };
}

/** A text's words, and each word joined with the next one; their index terms are stemmed as needed. */
interface Analysis {
  words: Word[];
  /** The word and the next written as one, unstemmed; none where they are not separated by spaces. */
  pairs: Array<string | undefined>;
  terms: Array<string[] | undefined>;
  joined: Array<string | undefined>;
  /** Read when the text is ranked. */
  sentences?: Sentences;
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

/** Where in `text` (word positions) each concept occurs, and how strongly. */
function conceptMatches(text: string, strengthOf: ReadonlyMap<string, Array<[number, number]>>, count: number): Match[][] {
  // One pass over the words, looking each term up, rather than one pass per concept.
  const { terms, joined } = termsIn(text, strengthOf.keys());
  const matches = Array.from({ length: count }, (): Match[] => []);
  const mark = (term: string | undefined, i: number) => {
    for (const [k, strength] of (term !== undefined && strengthOf.get(term)) || []) {
      const last = matches[k]!.at(-1);
      if (last?.[0] !== i) matches[k]!.push([i, strength]);
      else last[1] = Math.max(last[1], strength);
    }
  };
  for (let i = 0; i < terms.length; i++) {
    for (const t of terms[i]!) mark(t, i);
    mark(joined[i], i);
  }
  return matches;
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
