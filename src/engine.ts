// The engine: one loaded corpus and what can be asked of it. Every adapter (the Discord bot, the
// terminal CLI) asks the same questions here and renders the same `Answer`.
import { createHash } from 'node:crypto';
import { noSuchParagraph } from './answer.js';
import type { Corpus } from './corpus.js';
import { makeExcerpt, wholeParagraph } from './excerpt.js';
import { ParagraphIndex, type Hit } from './paragraph-index.js';
import { articleFacts, mergePeople, PeopleIndex, type ArticleFacts } from './people.js';
import { asked } from './question.js';
import { fold, indexTerms, queryConcepts, words } from './text.js';
import { timeline } from './timeline.js';
import { treatyEventWeight, treatyWeight } from './treaty.js';
import { plural } from './plural.js';
import type { Article, Excerpt, NoticeAnswer, Paragraph, Person, PersonAnswer, QuoteAnswer, SearchAnswer, SourcesAnswer, TimelineAnswer, TimelineEvent } from './types.js';

/** Excerpts on one page of an answer: enough to compare, few enough to read during a discussion. */
export const MAX_EXCERPTS = 5;

/** Who is asking, and which page of the answer they want. */
export interface Ask {
  /** The Discord server asking: its own articles are visible besides the shared corpus. */
  scope?: string | undefined;
  /** 0-based page of excerpts. */
  page?: number | undefined;
}

/** Only the server that added an article can see it; the shared corpus is everyone's. */
function visibleIn(scope: string | undefined): (article: Article) => boolean {
  return (article) => article.guildId === undefined || article.guildId === scope;
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

/** What the engine reads from one article beyond its words: people, phrases, treaty paragraphs. */
interface Facts extends ArticleFacts {
  /** Paragraph number → treaty weight, for the paragraphs about a treaty only. */
  treaty: Record<number, number>;
  /** A hash of the article's text as a reader compares it, to find the same text added twice. */
  content: string;
}

/** The same text, whatever its case, quotes, spacing or front matter, hashes the same. */
function contentKey(article: Article): string {
  const hash = createHash('sha256');
  for (const p of article.paragraphs) hash.update(fold(p.text).replace(/\s+/g, ' ').trim()).update('\n');
  return hash.digest('hex');
}

function factsOf(article: Article): Facts {
  const treaty: Record<number, number> = {};
  for (const p of article.paragraphs) {
    const w = treatyWeight(p.text);
    if (w > 0) treaty[p.n] = w;
  }
  // In an article about a treaty, the summit, the visit or the expiry it reports are part of the story.
  if (Object.keys(treaty).length > 0) {
    for (const p of article.paragraphs) {
      const w = treatyEventWeight(p.text);
      if (w > 0) treaty[p.n] = (treaty[p.n] ?? 0) + w;
    }
  }
  return { ...articleFacts(article), treaty, content: contentKey(article) };
}

/** Everything the engine computes from a corpus, as plain data: what the index cache stores. */
export interface Snapshot {
  articles: Article[];
  warnings: string[];
  /** People, key phrases and treaty paragraphs of each article, by article id. */
  facts: Record<string, Facts>;
  /** The paragraph index, as it persists itself. */
  index: object;
  /** The index of the paragraphs about treaties alone, which /treaty searches. */
  treatyIndex: object;
}

/** A change to the corpus: articles added or changed, ids of articles deleted. */
export interface CorpusChange {
  put?: Article[];
  remove?: string[];
}

export class Engine {
  readonly #articles = new Map<string, Article>();
  readonly #facts = new Map<string, Facts>();
  readonly #index: ParagraphIndex;
  // A few thousand paragraphs in a hundred thousand are about treaties: searching them alone is
  // much faster than searching all and filtering.
  readonly #treatyIndex: ParagraphIndex;
  readonly #warnings: string[];
  /** Article ids by content hash, so a duplicate is found in one lookup at any corpus size. */
  readonly #byContent = new Map<string, string[]>();
  /** How many articles each server added. */
  readonly #guilds = new Map<string, number>();
  // Derived from the articles, per scope; rebuilt on first use after a change to that scope.
  #sorted?: Article[];
  readonly #people = new Map<string | undefined, PeopleIndex>();
  readonly #events = new Map<string | undefined, TimelineEvent[]>();

  constructor(corpus: Corpus, snapshot?: Snapshot) {
    this.#warnings = [...corpus.warnings];
    for (const article of corpus.articles) this.#remember(article, snapshot?.facts[article.id] ?? factsOf(article));
    this.#index = new ParagraphIndex(corpus.articles, { persisted: snapshot?.index });
    this.#treatyIndex = new ParagraphIndex(corpus.articles, { persisted: snapshot?.treatyIndex, include: (p) => this.#aboutTreaty(p) });
  }

  static fromSnapshot(dir: string, snapshot: Snapshot): Engine {
    return new Engine({ dir, articles: snapshot.articles, warnings: snapshot.warnings }, snapshot);
  }

  toSnapshot(): Snapshot {
    return {
      articles: this.articles,
      warnings: this.#warnings,
      facts: Object.fromEntries(this.#facts),
      index: this.#index.toJSON(),
      treatyIndex: this.#treatyIndex.toJSON(),
    };
  }

  #remember(article: Article, facts: Facts): void {
    this.#articles.set(article.id, article);
    this.#facts.set(article.id, facts);
    this.#byContent.set(facts.content, [...(this.#byContent.get(facts.content) ?? []), article.id]);
    if (article.guildId) this.#guilds.set(article.guildId, (this.#guilds.get(article.guildId) ?? 0) + 1);
  }

  #forget(id: string): Article | undefined {
    const article = this.#articles.get(id);
    if (!article) return undefined;
    const { content } = this.#facts.get(id)!;
    const twins = this.#byContent.get(content)!.filter((other) => other !== id);
    if (twins.length) this.#byContent.set(content, twins);
    else this.#byContent.delete(content);
    if (article.guildId) {
      const left = this.#guilds.get(article.guildId)! - 1;
      if (left > 0) this.#guilds.set(article.guildId, left);
      else this.#guilds.delete(article.guildId);
    }
    this.#articles.delete(id);
    this.#facts.delete(id);
    this.#index.remove(id);
    this.#treatyIndex.remove(id);
    return article;
  }

  /**
   * Applies a change to the corpus. Synchronous, so no answer ever sees half of it. What is
   * derived per server is dropped only for the servers the change touches: one server's uploads
   * cost the others nothing.
   */
  update(change: CorpusChange): void {
    const touched = new Set<string | undefined>();
    for (const id of change.remove ?? []) {
      const old = this.#forget(id);
      if (old) touched.add(old.guildId);
    }
    for (const article of change.put ?? []) {
      const old = this.#forget(article.id);
      if (old) touched.add(old.guildId);
      this.#remember(article, factsOf(article));
      this.#index.put(article);
      this.#treatyIndex.put(article);
      touched.add(article.guildId);
    }
    this.#sorted = undefined;
    // The shared corpus is part of every server's view.
    if (touched.has(undefined)) {
      this.#people.clear();
      this.#events.clear();
    }
    for (const scope of touched) {
      this.#people.delete(scope);
      this.#events.delete(scope);
    }
  }

  /** An article visible in `scope` with the same text as `article`, if there is one. */
  sameText(article: Article, scope: string | undefined): Article | undefined {
    const visible = visibleIn(scope);
    return (this.#byContent.get(contentKey(article)) ?? []).map((id) => this.#articles.get(id)!).find(visible);
  }

  /**
   * The scope whose derived data (people, timeline) a server uses: its own when it added articles,
   * otherwise the shared corpus's, so a thousand servers do not mean a thousand copies.
   */
  #dataScope(scope: string | undefined): string | undefined {
    return scope !== undefined && this.#guilds.has(scope) ? scope : undefined;
  }

  /** The articles, in file-name order. */
  get articles(): Article[] {
    return (this.#sorted ??= [...this.#articles.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }

  get warnings(): readonly string[] {
    return this.#warnings;
  }

  /** Everyone in the shared corpus. */
  get people(): readonly Person[] {
    return this.peopleIn(undefined);
  }

  /** The articles a server sees: the shared corpus and its own. */
  articlesIn(scope: string | undefined): Article[] {
    return this.articles.filter(visibleIn(scope));
  }

  /** The people a server's articles introduce, merged as if those were the only articles. */
  peopleIn(scope: string | undefined): readonly Person[] {
    return this.#peopleIndex(scope).people;
  }

  #peopleIndex(asked: string | undefined): PeopleIndex {
    const scope = this.#dataScope(asked);
    let index = this.#people.get(scope);
    if (!index) {
      index = new PeopleIndex(mergePeople(this.articlesIn(scope).map((article) => ({ article, people: this.#facts.get(article.id)?.people ?? [] }))));
      this.#people.set(scope, index);
    }
    return index;
  }

  article(id: string): Article | undefined {
    return this.#articles.get(id);
  }

  get paragraphCount(): number {
    return this.#index.size;
  }

  #treatyWeight(p: Paragraph): number {
    return this.#facts.get(p.articleId)?.treaty[p.n] ?? 0;
  }

  #aboutTreaty(p: Paragraph): boolean {
    return this.#treatyWeight(p) > 0;
  }

  /** `/search`: the paragraphs that best answer a free-text question. */
  search(raw: string, ask: Ask = {}): SearchAnswer {
    return this.#find('search', raw, ask);
  }

  /** `/treaty`: paragraphs about treaties matching the query; without one, the treaty timeline. */
  treaty(raw = '', ask: Ask = {}): SearchAnswer | TimelineAnswer {
    const { query } = cleanQuery(raw);
    if (query) return this.#find('treaty', raw, ask);
    const scope = this.#dataScope(ask.scope);
    let all = this.#events.get(scope);
    if (!all) this.#events.set(scope, (all = timeline(this.articlesIn(scope), (p) => this.#aboutTreaty(p))));
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
    const { person, alternatives } = this.#peopleIndex(ask.scope).resolve(query);
    const names = alternatives.map((p) => p.name);
    if (!person) {
      return {
        ...base,
        notice: `No one called “${query}” appears in the ${plural(this.articlesIn(ask.scope).length, 'article')}.`,
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
        const article = this.#articles.get(ref.articleId)!;
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
  sources(ask: Ask = {}): SourcesAnswer {
    const articles = this.articlesIn(ask.scope);
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
  quote(articleRef: string, n: number, ask: Ask = {}): QuoteAnswer | NoticeAnswer {
    const base = { command: 'quote', query: `${articleRef} ¶${n}`, heading: 'Quote' };
    const article = this.findArticle(articleRef, ask.scope);
    if (!article) {
      const names = this.suggestArticles(articleRef, ask.scope, 3).map((a) => a.title);
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
  findArticle(ref: string, scope?: string): Article | undefined {
    const visible = visibleIn(scope);
    const exact = this.#articles.get(ref);
    if (exact && visible(exact)) return exact;
    return this.suggestArticles(ref, scope, 1)[0];
  }

  /** Articles whose title or id contains the typed words, for autocomplete; all when nothing is typed. */
  suggestArticles(typed: string, scope?: string, limit = 25): Article[] {
    const words = fold(cleanQuery(typed).query).split(' ').filter(Boolean);
    return this.articlesIn(scope)
      .filter((a) => words.every((w) => fold(`${a.title} ${a.id}`).includes(w)))
      .slice(0, limit);
  }

  /** Names of people for autocomplete: those whose name contains what was typed, best first. */
  suggestPeople(typed: string, scope?: string, limit = 25): string[] {
    const { query } = cleanQuery(typed);
    const people = this.peopleIn(scope);
    if (!query) return people.slice(0, limit).map((p) => p.name);
    // Names containing what was typed, those starting with it first; then, for a typo, the person it means.
    const q = fold(query);
    const containing = people.filter((p) => fold(p.name).includes(q)).sort((a, b) => Number(fold(b.name).startsWith(q)) - Number(fold(a.name).startsWith(q)));
    const { person, alternatives } = containing.length ? { person: undefined, alternatives: [] } : this.#peopleIndex(scope).resolve(query);
    return [...new Set([...containing, ...(person ? [person, ...alternatives] : [])].map((p) => p.name))].slice(0, limit);
  }

  /**
   * Suggestions while typing a /search: what was typed, then names of people, places and titles
   * from the corpus that contain it, the most used first.
   */
  suggestSearches(typed: string, scope?: string, limit = 25): string[] {
    const { query } = cleanQuery(typed);
    const q = fold(query);
    const counts = new Map<string, number>();
    const count = (phrase: string, weight = 1) => {
      if (fold(phrase).includes(q)) counts.set(phrase, (counts.get(phrase) ?? 0) + weight);
    };
    for (const article of this.articlesIn(scope)) {
      count(article.title);
      for (const phrase of this.#facts.get(article.id)?.phrases ?? []) count(phrase);
    }
    for (const person of this.peopleIn(scope)) count(person.name, person.mentions.length);
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
    // Checking every candidate's server costs time on large corpora: only when some server has its own articles.
    const visible = visibleIn(ask.scope);
    const inScope = this.#guilds.size > 0 ? (p: Paragraph) => visible(this.#articles.get(p.articleId)!) : undefined;
    const question = asked(query);
    const kind = question?.kind;
    if (question?.noun && kind !== 'person' && concepts.length > 1) concepts = concepts.filter((c) => fold(c.text) !== question.noun);
    const hits = treaty ? this.#treatyIndex.search(concepts, { accept: inScope, weight: (p) => 1 + 0.5 * this.#treatyWeight(p), kind }) : this.#index.search(concepts, { accept: inScope, kind });
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

function isTreatyWord(word: string): boolean {
  return treatyWeight(word) > 0;
}

function toExcerpt(hit: Hit): Excerpt {
  // The words that answer are shown in bold only where the paragraph has most of the question.
  const answers = hit.coverage >= CONFIDENT_MATCH ? hit.answers : undefined;
  return makeExcerpt(hit.article, hit.paragraph, Math.round(hit.score * 1000) / 1000, new Set(hit.terms), { best: hit.best, answers });
}

