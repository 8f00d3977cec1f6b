// The full-text index of paragraphs (MiniSearch, BM25+) and the ranking on top of it. MiniSearch
// finds and scores candidates; we then prefer paragraphs that contain every part of the question
// and its words in the order typed, which is what makes the answering paragraph come first.
import MiniSearch, { type Query, type SearchResult } from 'minisearch';
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
 * How many postings (paragraph-term pairs) one search may read. The query's words are taken
 * rarest first until this is spent: the rare words find the answer, and a word found in tens of
 * thousands of paragraphs ("one", "said") would cost milliseconds and add almost nothing. The
 * words left out still count for the phrase bonus. A small corpus never reaches it.
 */
const POSTINGS_BUDGET = 5000;

/** A word in at most this many paragraphs may be a misspelling or a variant of another. */
const RARE = 2;

/** The index as persisted: MiniSearch's own form, and each term's document frequency. */
interface PersistedIndex {
  mini: object;
  df: Array<[string, number]>;
}

export class ParagraphIndex {
  readonly #mini: MiniSearch<IndexedParagraph>;
  readonly #entries = new Map<string, { paragraph: Paragraph; article: Article }>();
  readonly #articles = new Map<string, Article>();
  /** In how many paragraphs each term occurs. */
  readonly #df: Map<string, number>;

  /** An index of `articles`; with `persisted` (from `toJSON`), the index is loaded instead of built. */
  constructor(articles: readonly Article[], persisted?: object) {
    const saved = persisted as PersistedIndex | undefined;
    this.#df = new Map(saved?.df ?? []);
    // MiniSearch tokenises each paragraph once as it adds it: count the terms there.
    const options = {
      ...INDEX_OPTIONS,
      tokenize: (text: string) => {
        const terms = indexTerms(text);
        for (const t of new Set(terms)) this.#df.set(t, (this.#df.get(t) ?? 0) + 1);
        return terms;
      },
    };
    this.#mini = saved ? MiniSearch.loadJS<IndexedParagraph>(saved.mini as never, options) : new MiniSearch<IndexedParagraph>(options);
    for (const article of articles) this.#remember(article);
    if (!saved) this.#mini.addAll(articles.flatMap((a) => a.paragraphs.map((p) => ({ id: paragraphId(p), text: p.text }))));
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Adds an article, replacing the one with the same id if there is one. */
  put(article: Article): void {
    this.remove(article.id);
    this.#remember(article);
    this.#mini.addAll(article.paragraphs.map((p) => ({ id: paragraphId(p), text: p.text })));
  }

  remove(articleId: string): void {
    const old = this.#articles.get(articleId);
    if (!old) return;
    for (const p of old.paragraphs) {
      this.#mini.discard(paragraphId(p));
      this.#entries.delete(paragraphId(p));
      for (const t of new Set(indexTerms(p.text))) {
        const n = (this.#df.get(t) ?? 1) - 1;
        if (n > 0) this.#df.set(t, n);
        else this.#df.delete(t);
      }
    }
    this.#articles.delete(articleId);
  }

  toJSON(): PersistedIndex {
    return { mini: this.#mini.toJSON(), df: [...this.#df] };
  }

  #remember(article: Article): void {
    this.#articles.set(article.id, article);
    for (const paragraph of article.paragraphs) this.#entries.set(paragraphId(paragraph), { paragraph, article });
  }

  /**
   * Paragraphs matching any concept of the query, best first. `accept` narrows the candidates
   * (the treaty filter); `weight` scales a paragraph's score by what it is about.
   */
  search(
    concepts: QueryConcept[],
    accept?: (p: Paragraph) => boolean,
    weight: (p: Paragraph) => number = () => 1,
  ): Hit[] {
    if (concepts.length === 0) return [];
    const cost = (c: QueryConcept) => c.terms.reduce((n, t) => n + (this.#df.get(t) ?? 0), 0);
    let spent = 0;
    const searched = [...concepts]
      .sort((a, b) => cost(a) - cost(b))
      .filter((c, i) => {
        if (i > 0 && spent + cost(c) > POSTINGS_BUDGET) return false;
        spent += cost(c);
        return true;
      });
    const query: Query = {
      combineWith: 'OR',
      queries: searched.flatMap((c) =>
        c.terms.map((term, i) => ({
          queries: [term],
          // Typos and spelling variants: only for a word the corpus has rarely or not at all (a
          // common word is meant as typed), in its own term (the joined forms are for spellings),
          // and long enough (short words have too many neighbours).
          fuzzy: i > 0 || (this.#df.get(term) ?? 0) > RARE ? false : term.length >= 9 ? 2 : term.length >= 6 ? 1 : false,
        })),
      ),
    };
    const filter = accept && ((r: SearchResult) => accept(this.#entries.get(r.id as string)!.paragraph));
    const candidates = this.#mini.search(query, filter ? { filter } : {}).slice(0, RERANK_DEPTH);
    const matchable = concepts.filter((c) => candidates.some((r) => covers(c, r.queryTerms)));
    const scored = candidates
      .map((r) => {
        const { paragraph, article } = this.#entries.get(r.id as string)!;
        const covered = matchable.filter((c) => covers(c, r.queryTerms)).length;
        const coverage = matchable.length ? covered / matchable.length : 1;
        const score = r.score * (0.25 + coverage ** 2) * weight(paragraph) * (paragraph.kind === 'caption' ? 0.9 : 1);
        return { paragraph, article, score, terms: [...r.terms, ...r.queryTerms] };
      })
      .sort(byScore);
    // Word order is the costly part to check (each paragraph is read word by word), and worth at
    // most ×1.6: it reorders the leaders, it does not bring up paragraphs from far below.
    const leaders = scored.slice(0, PHRASE_DEPTH).map((h) => ({ ...h, score: h.score * phraseFactor(h.paragraph.text, concepts) }));
    const ranked = [...leaders.sort(byScore), ...scored.slice(PHRASE_DEPTH)];
    // A paragraph that shares only a stray or misspelt word with the question is not a match.
    const floor = (ranked[0]?.score ?? 0) * RELEVANCE_FLOOR;
    return ranked.filter((h) => h.score >= floor);
  }
}

function covers(concept: QueryConcept, matched: string[]): boolean {
  return concept.terms.some((t) => matched.includes(t));
}

/**
 * Rewards the query's words standing together in the paragraph as they stood in the query
 * ("new Cold War", "talks on June 16"), up to two small words apart.
 */
export function phraseFactor(text: string, concepts: QueryConcept[]): number {
  if (concepts.length < 2) return 1;
  const positions = conceptPositions(text, concepts);
  let adjacent = 0;
  for (let i = 0; i + 1 < concepts.length; i++) {
    const next = positions[i + 1]!;
    if (positions[i]!.some((p) => next.some((q) => q > p && q - p <= 3))) adjacent++;
  }
  return 1 + (0.6 * adjacent) / (concepts.length - 1);
}

/** A text's words, each with its index terms and the term of it joined with the next word. */
interface Analysis {
  words: Word[];
  terms: string[][];
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
    a = {
      words: ws,
      terms: ws.map(termsOfWord),
      joined: ws.map((w, i) => {
        const next = ws[i + 1];
        return next && /^\s+$/.test(text.slice(w.end, next.start)) ? stem((w.norm + next.norm).replace(/-/g, '')) : undefined;
      }),
    };
    if (ANALYSES.size >= MAX_ANALYSES) ANALYSES.delete(ANALYSES.keys().next().value!);
  }
  ANALYSES.set(text, a);
  return a;
}

/** Word positions in `text` at which each concept occurs. */
function conceptPositions(text: string, concepts: QueryConcept[]): number[][] {
  const { terms, joined } = analyse(text);
  return concepts.map((c) => {
    const wanted = new Set(c.terms);
    return terms.flatMap((ts, i) => (ts.some((t) => wanted.has(t)) || (joined[i] !== undefined && wanted.has(joined[i]!)) ? [i] : []));
  });
}

/**
 * The words of `text` (as `[start, end)` ranges) whose index terms are `wanted`, or which are
 * wanted joined with the next word ("Pyong Yang"); neighbouring words make one range.
 */
export function matchRanges(text: string, wanted: ReadonlySet<string>): Array<[number, number]> {
  const { words: ws, terms, joined } = analyse(text);
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
