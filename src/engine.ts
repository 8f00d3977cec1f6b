// The engine: what can be asked of the articles one reader sees — the shared corpus and, in a
// Discord server that added some, the server's own, read together as if they were one corpus.
// Every adapter (the Discord bot, the terminal CLI) asks the same questions here and renders the
// same `Answer`.
import { noSuchParagraph } from './answer.js';
import type { Corpus } from './corpus.js';
import { makeExcerpt, wholeParagraph } from './excerpt.js';
import { searchTogether, type Hit } from './paragraph-index.js';
import { resolveAcross, unitePeople, type PersonMatch } from './people.js';
import { asked } from './question.js';
import { Shelf, type CorpusChange, type Snapshot } from './shelf.js';
import { fold, indexTerms, queryConcepts, words } from './text.js';
import { treatyWeight } from './treaty.js';
import { plural } from './plural.js';
import type { Article, Excerpt, NoticeAnswer, Paragraph, Person, PersonAnswer, QuoteAnswer, SearchAnswer, SourcesAnswer, TimelineAnswer, TimelineEvent } from './types.js';

/** Excerpts on one page of an answer: enough to compare, few enough to read during a discussion. */
export const MAX_EXCERPTS = 5;

/** Which page of the answer is wanted. */
export interface Ask {
  /** 0-based page of excerpts. */
  page?: number | undefined;
}

/** The page of `items` that was asked for, clamped to the pages there are. */
function pageOf<T>(items: readonly T[], page = 0): { shown: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / MAX_EXCERPTS));
  const at = Math.min(Math.max(0, Number.isFinite(page) ? Math.floor(page) : 0), pages - 1);
  return { shown: items.slice(at * MAX_EXCERPTS, (at + 1) * MAX_EXCERPTS), page: at, pages };
}

/** Longer queries are cut: nobody types more, and it bounds the work per query. */
export const MAX_QUERY_LENGTH = 300;

/** Removes control and invisible characters and extra space; cuts to `MAX_QUERY_LENGTH`. */
export function cleanQuery(raw: string): { query: string; cut: boolean } {
  // Invisible format characters (zero-width spaces, direction marks) can sit inside a word: drop them.
  const query = raw
    .replace(/\p{Cf}+/gu, '')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (query.length <= MAX_QUERY_LENGTH) return { query, cut: false };
  const cut = query.slice(0, MAX_QUERY_LENGTH);
  return { query: cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : undefined), cut: true };
}

/**
 * A search none of whose first page has this share of the question, each of its words weighted
 * by its rarity (a word no article has is the rarest), found no close match. Calibrated on
 * questions the corpus cannot answer and on the answerable sets (the README's quality section).
 */
export const CLOSE_MATCH = 0.3;

/** What a search with no close match says above the nearest paragraphs, which it still shows. */
export const NO_CLOSE_MATCH = 'No close match: no paragraph has most of what was asked. The nearest ones share only part of it:';

/** A paragraph with this share of the question answers it confidently: the words that answer are shown in bold. */
export const CONFIDENT_MATCH = 0.6;

const CUT_NOTICE = `Your question was long, so only its first ${MAX_QUERY_LENGTH} characters were used.`;

export type { CorpusChange, Snapshot } from './shelf.js';

export class Engine {
  /** The shared corpus: everyone's. */
  readonly shared: Shelf;
  /** The articles of the server asking, when it added some: its own. */
  readonly own: Shelf | undefined;
  readonly #shelves: Shelf[];

  /** The engine over a corpus, from its snapshot when there is one. */
  constructor(corpus: Corpus | Shelf, snapshot?: Snapshot, own?: Shelf) {
    this.shared = corpus instanceof Shelf ? corpus : new Shelf(corpus.articles, { warnings: corpus.warnings, snapshot, facts: corpus.facts });
    this.own = own;
    this.#shelves = own ? [this.shared, own] : [this.shared];
  }

  static fromSnapshot(snapshot: Snapshot): Engine {
    return new Engine(Shelf.fromSnapshot(snapshot));
  }

  /** The same shared corpus as a server sees it, with its own articles (none when `own` is undefined). */
  in(own: Shelf | undefined): Engine {
    return own === this.own ? this : new Engine(this.shared, undefined, own);
  }

  toSnapshot(): Snapshot {
    return this.shared.toSnapshot();
  }

  /** Applies a change to the shared corpus (the corpus folder edited while the bot runs). */
  update(change: CorpusChange): void {
    this.shared.update(change);
  }

  /** An article visible here with the same text as `article`, if there is one. */
  sameText(article: Article): Article | undefined {
    for (const shelf of this.#shelves) {
      const twin = shelf.sameText(article);
      if (twin) return twin;
    }
    return undefined;
  }

  /** The articles visible here: the shared corpus's, then the server's own, each in id order. */
  get articles(): Article[] {
    return this.own ? [...this.shared.articles, ...this.own.articles] : this.shared.articles;
  }

  get warnings(): readonly string[] {
    return this.shared.warnings;
  }

  /** Everyone the visible articles introduce. */
  get people(): readonly Person[] {
    return this.own ? unitePeople(this.shared.people, this.own.people) : this.shared.people.people;
  }

  #resolve(query: string): PersonMatch {
    return resolveAcross(query, this.#shelves.map((s) => s.people));
  }

  article(id: string): Article | undefined {
    return this.shared.article(id) ?? this.own?.article(id);
  }

  get paragraphCount(): number {
    return this.#shelves.reduce((n, s) => n + s.paragraphCount, 0);
  }

  #treatyWeight(p: Paragraph): number {
    return this.#shelves.reduce((w, s) => w + s.treatyWeight(p), 0);
  }

  /** `/search`: the paragraphs that best answer a free-text question. */
  search(raw: string, ask: Ask = {}): SearchAnswer {
    return this.#find('search', raw, ask);
  }

  /** `/treaty`: paragraphs about treaties matching the query; without one, the treaty timeline. */
  treaty(raw = '', ask: Ask = {}): SearchAnswer | TimelineAnswer {
    const { query } = cleanQuery(raw);
    if (query) return this.#find('treaty', raw, ask);
    const all = this.own ? mergeByDate(this.shared.events, this.own.events) : this.shared.events;
    const { shown, page, pages } = pageOf(all, ask.page);
    return {
      kind: 'timeline',
      command: 'treaty',
      query,
      heading: 'Treaty timeline',
      total: all.length,
      events: shown,
      page,
      pages,
      ...(all.length === 0 && { notice: 'No dated events about treaties were found in the articles.' }),
    };
  }

  /** `/who`: a person card, with the paragraphs that mention them. */
  who(raw: string, ask: Ask = {}): PersonAnswer {
    const { query, cut } = cleanQuery(raw);
    const base: PersonAnswer = { kind: 'person', command: 'who', query, heading: `Who is “${query}”?`, total: 0, excerpts: [], page: 0, pages: 1 };
    if (!/[\p{L}]/u.test(query)) return { ...base, heading: 'Who is…?', notice: 'Type a name, e.g. /who Karasin.' };
    const { person, alternatives } = this.#resolve(query);
    const names = alternatives.map((p) => p.name);
    if (!person) {
      return {
        ...base,
        notice: `No one called “${query}” appears in the ${plural(this.articles.length, 'article')}.`,
        ...(names.length && { alternatives: names }),
      };
    }
    // Best first: where they are introduced, then where they are named most. Excerpts are cut
    // only for the page shown: a much-quoted person can have hundreds of mentions.
    const parts = words(person.name).map((w) => w.raw);
    // A byline is no paragraph: an author's card cites the opening of each article they wrote
    // that does not name them.
    const opening = (person.wrote ?? []).filter((id) => !person.mentions.some((m) => m.articleId === id)).map((articleId) => ({ articleId, n: 1 }));
    const ranked = [...person.mentions, ...opening]
      .map((ref) => {
        const article = this.article(ref.articleId)!;
        const paragraph = article.paragraphs[ref.n - 1]!;
        const introduces = person.roleAt?.articleId === ref.articleId && person.roleAt.n === ref.n;
        const named = parts.reduce((n, part) => n + paragraph.text.split(part).length - 1, 0);
        return { article, paragraph, score: (introduces ? 100 : 0) + named };
      })
      .sort((a, b) => b.score - a.score);
    const { shown, page, pages } = pageOf(ranked, ask.page);
    const wanted = new Set(indexTerms(person.name));
    return {
      ...base,
      heading: person.name,
      total: ranked.length,
      excerpts: shown.map((m) => makeExcerpt(m.article, m.paragraph, m.score, wanted)),
      page,
      pages,
      person,
      ...(names.length && { alternatives: names }),
      ...(cut && { notice: CUT_NOTICE }),
    };
  }

  /** `/sources`: the articles indexed. */
  sources(): SourcesAnswer {
    const articles = this.articles;
    return {
      kind: 'sources',
      command: 'sources',
      query: '',
      heading: 'Sources',
      total: articles.length,
      articles,
      ...(articles.length === 0 && { notice: 'No articles are indexed yet.' }),
    };
  }

  /** `/quote`: one paragraph in full, with the paragraphs before and after it for context. */
  quote(articleRef: string, n: number): QuoteAnswer | NoticeAnswer {
    const base = { command: 'quote', query: `${articleRef} ¶${n}`, heading: 'Quote' };
    const article = this.findArticle(articleRef);
    if (!article) {
      const names = this.suggestArticles(articleRef, 3).map((a) => a.title);
      return { ...base, kind: 'notice', notice: `No article matches “${articleRef}”. Use /sources to see them.`, ...(names.length && { alternatives: names }) };
    }
    const paragraph = article.paragraphs[n - 1];
    if (!Number.isInteger(n) || !paragraph) {
      return { ...base, kind: 'notice', heading: article.title, notice: noSuchParagraph(article, n) };
    }
    const whole = (p: Paragraph | undefined) => p && wholeParagraph(article, p);
    const before = whole(article.paragraphs[n - 2]);
    const after = whole(article.paragraphs[n]);
    return { ...base, kind: 'quote', heading: article.title, excerpt: whole(paragraph)!, ...(before && { before }), ...(after && { after }) };
  }

  /** An article by id, or by a title close to what was typed. */
  findArticle(ref: string): Article | undefined {
    return this.article(ref) ?? this.suggestArticles(ref, 1)[0];
  }

  /** Articles whose title or id contains the typed words, for autocomplete; all when nothing is typed. */
  suggestArticles(typed: string, limit = 25): Article[] {
    const words = fold(cleanQuery(typed).query).split(' ').filter(Boolean);
    return this.articles
      .filter((a) => words.every((w) => fold(`${a.title} ${a.id}`).includes(w)))
      .slice(0, limit);
  }

  /** Names of people for autocomplete: those whose name contains what was typed, best first. */
  suggestPeople(typed: string, limit = 25): string[] {
    const { query } = cleanQuery(typed);
    const people = this.people;
    if (!query) return people.slice(0, limit).map((p) => p.name);
    // Names containing what was typed, those starting with it first; then, for a typo, the person it means.
    const q = fold(query);
    const containing = people.filter((p) => fold(p.name).includes(q)).sort((a, b) => Number(fold(b.name).startsWith(q)) - Number(fold(a.name).startsWith(q)));
    const { person, alternatives } = containing.length ? { person: undefined, alternatives: [] } : this.#resolve(query);
    return [...new Set([...containing, ...(person ? [person, ...alternatives] : [])].map((p) => p.name))].slice(0, limit);
  }

  /**
   * Suggestions while typing a /search: what was typed, then names of people, places and titles
   * from the corpus that contain it, the most used first.
   */
  suggestSearches(typed: string, limit = 25): string[] {
    const { query } = cleanQuery(typed);
    const q = fold(query);
    const counts = new Map<string, number>();
    const count = (phrase: string, weight = 1) => {
      if (fold(phrase).includes(q)) counts.set(phrase, (counts.get(phrase) ?? 0) + weight);
    };
    for (const shelf of this.#shelves) {
      for (const article of shelf.articles) {
        count(article.title);
        for (const phrase of shelf.facts(article.id)?.phrases ?? []) count(phrase);
      }
    }
    for (const person of this.people) count(person.name, person.mentions.length);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([phrase]) => phrase);
    return [...new Set([...(query ? [query] : []), ...ranked])].slice(0, limit);
  }

  /** `/search` in all paragraphs, or `/treaty` in those about treaties, weighted by how much they are. */
  #find(command: 'search' | 'treaty', raw: string, ask: Ask): SearchAnswer {
    const treaty = command === 'treaty';
    const { query, cut } = cleanQuery(raw);
    const label = treaty ? 'Treaties' : 'Search';
    const base: SearchAnswer = { kind: 'search', command, query, heading: `${label}: “${query}”`, total: 0, excerpts: [], page: 0, pages: 1 };
    if (!query) return { ...base, heading: label, notice: `Type a few words to look for, e.g. /${command} ${treaty ? '1961' : 'talks on June 16'}.` };
    let concepts = queryConcepts(query);
    // In /treaty every paragraph is about a treaty: "pact" or "treaty" in the query then says
    // nothing more, and would favour paragraphs using that very word over the one that answers.
    if (treaty) concepts = concepts.filter((c) => !isTreatyWord(c.text)).length ? concepts.filter((c) => !isTreatyWord(c.text)) : concepts;
    if (concepts.length === 0) {
      return { ...base, notice: `“${query}” has no words to look for: try names, places or other key words.` };
    }
    const question = asked(query);
    const kind = question?.kind;
    if (question?.noun && kind !== 'person' && concepts.length > 1) concepts = concepts.filter((c) => fold(c.text) !== question.noun);
    const hits = treaty
      ? searchTogether(this.#shelves.map((s) => s.treatyIndex), concepts, { weight: (p) => 1 + 0.5 * this.#treatyWeight(p), kind })
      : searchTogether(this.#shelves.map((s) => s.index), concepts, { kind });
    // Stray words in common with the question are not an answer: say so, and show the nearest.
    const close = hits.length === 0 || hits.slice(0, MAX_EXCERPTS).some((h) => h.coverage >= CLOSE_MATCH);
    const notice = [
      hits.length === 0 && `No paragraph ${treaty ? 'about a treaty ' : ''}matches “${query}”.${treaty ? ' Try /search for all paragraphs.' : ''}`,
      !close && NO_CLOSE_MATCH,
      cut && CUT_NOTICE,
    ].filter(Boolean).join(' ');
    const { shown, page, pages } = pageOf(hits, ask.page);
    return {
      ...base,
      total: hits.length,
      excerpts: shown.map(toExcerpt),
      page,
      pages,
      ...(notice && { notice }),
    };
  }
}

/** Two lists of events in date order as one, still in date order. */
function mergeByDate(a: readonly TimelineEvent[], b: readonly TimelineEvent[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]!.date <= b[j]!.date) ? a[i++]! : b[j++]!);
  return out;
}

function isTreatyWord(word: string): boolean {
  return treatyWeight(word) > 0;
}

function toExcerpt(hit: Hit): Excerpt {
  // The words that answer are shown in bold only where the paragraph has most of the question.
  const answers = hit.coverage >= CONFIDENT_MATCH ? hit.answers : undefined;
  return makeExcerpt(hit.article, hit.paragraph, Math.round(hit.score * 1000) / 1000, new Set(hit.terms), { best: hit.best, answers });
}

