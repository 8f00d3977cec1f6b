// The engine: one loaded corpus and what can be asked of it. Every adapter (the Discord bot, the
// terminal CLI) asks the same questions here and renders the same `Answer`.
import type { Corpus } from './corpus.js';
import { makeExcerpt } from './excerpt.js';
import { ParagraphIndex, type Hit } from './paragraph-index.js';
import { introductions, mergePeople, resolvePerson, type Introduction } from './people.js';
import { indexTerms, queryConcepts } from './text.js';
import { timeline } from './timeline.js';
import { treatyWeight } from './treaty.js';
import type { Answer, Article, Excerpt, Paragraph, Person, TimelineEvent } from './types.js';

/** Excerpts shown in one answer: enough to compare, few enough to read during a discussion. */
export const MAX_EXCERPTS = 5;
/** Longer queries are cut: nobody types more, and it bounds the work per query. */
export const MAX_QUERY_LENGTH = 300;

/** Removes control and invisible characters and extra space; cuts to `MAX_QUERY_LENGTH`. */
export function cleanQuery(raw: string): { query: string; cut: boolean } {
  const query = raw
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (query.length <= MAX_QUERY_LENGTH) return { query, cut: false };
  const cut = query.slice(0, MAX_QUERY_LENGTH);
  return { query: cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : undefined), cut: true };
}

const CUT_NOTICE = `Your question was long, so only its first ${MAX_QUERY_LENGTH} characters were used.`;

/** Everything the engine computes from a corpus, as plain data: what the index cache stores. */
export interface Snapshot {
  articles: Article[];
  warnings: string[];
  /** People introduced by each article, by article id. */
  introductions: Record<string, Introduction[]>;
  /** MiniSearch's own serialisation of the paragraph index. */
  index: object;
}

/** A change to the corpus: articles added or changed, ids of articles deleted. */
export interface CorpusChange {
  put?: Article[];
  remove?: string[];
}

export class Engine {
  readonly #articles = new Map<string, Article>();
  readonly #introductions = new Map<string, Introduction[]>();
  readonly #index: ParagraphIndex;
  #warnings: string[];
  // Derived from the articles; rebuilt on first use after a change.
  #sorted?: Article[];
  #people?: Person[];
  #events?: TimelineEvent[];

  constructor(corpus: Corpus, snapshot?: Snapshot) {
    this.#warnings = [...corpus.warnings];
    for (const article of corpus.articles) {
      this.#articles.set(article.id, article);
      this.#introductions.set(article.id, snapshot?.introductions[article.id] ?? introductions(article));
    }
    this.#index = new ParagraphIndex(corpus.articles, snapshot?.index);
  }

  static fromSnapshot(dir: string, snapshot: Snapshot): Engine {
    return new Engine({ dir, articles: snapshot.articles, warnings: snapshot.warnings }, snapshot);
  }

  toSnapshot(): Snapshot {
    return {
      articles: this.articles,
      warnings: this.#warnings,
      introductions: Object.fromEntries(this.#introductions),
      index: this.#index.toJSON(),
    };
  }

  /** Applies a change to the corpus. Synchronous, so no answer ever sees half of it. */
  update(change: CorpusChange, warnings?: string[]): void {
    for (const id of change.remove ?? []) {
      this.#articles.delete(id);
      this.#introductions.delete(id);
      this.#index.remove(id);
    }
    for (const article of change.put ?? []) {
      this.#articles.set(article.id, article);
      this.#introductions.set(article.id, introductions(article));
      this.#index.put(article);
    }
    if (warnings) this.#warnings = warnings;
    this.#sorted = this.#people = this.#events = undefined;
  }

  /** The articles, in file-name order. */
  get articles(): Article[] {
    return (this.#sorted ??= [...this.#articles.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }

  get warnings(): readonly string[] {
    return this.#warnings;
  }

  get people(): readonly Person[] {
    return (this.#people ??= mergePeople(this.articles.map((article) => ({ article, people: this.#introductions.get(article.id) ?? [] }))));
  }

  get paragraphCount(): number {
    return this.#index.size;
  }

  /** `/search`: the paragraphs that best answer a free-text question. */
  search(raw: string): Answer {
    return this.#find('search', raw, 'Search');
  }

  /** `/treaty`: paragraphs about treaties matching the query; without one, the treaty timeline. */
  treaty(raw = ''): Answer {
    const { query } = cleanQuery(raw);
    if (query) return this.#find('treaty', raw, 'Treaties', isAboutTreaty, (p) => 1 + 0.5 * paragraphTreatyWeight(p));
    const events = (this.#events ??= timeline(this.articles, isAboutTreaty));
    return {
      command: 'treaty',
      query,
      heading: 'Treaty timeline',
      total: events.length,
      excerpts: events.map((e) => e.excerpt),
      events,
      ...(events.length === 0 && { notice: 'No dated events about treaties were found in the articles.' }),
    };
  }

  /** `/who`: a person card, with the paragraphs that mention them. */
  who(raw: string): Answer {
    const { query, cut } = cleanQuery(raw);
    const base = { command: 'who', query, heading: `Who is “${query}”?`, total: 0, excerpts: [] };
    if (!/[\p{L}]/u.test(query)) return { ...base, heading: 'Who is…?', notice: 'Type a name, e.g. /who Karasin.' };
    const { person, alternatives } = resolvePerson(query, this.people);
    const names = alternatives.map((p) => p.name);
    if (!person) {
      return {
        ...base,
        notice: `No one called “${query}” appears in the ${this.articles.length} articles.`,
        ...(names.length && { alternatives: names }),
      };
    }
    const wanted = new Set(indexTerms(person.name));
    const excerpts = person.mentions
      .map((ref) => {
        const article = this.#articles.get(ref.articleId)!;
        const paragraph = article.paragraphs[ref.n - 1]!;
        const introduces = person.roleAt?.articleId === ref.articleId && person.roleAt.n === ref.n;
        return makeExcerpt(article, paragraph, (introduces ? 100 : 0) + mentionCount(paragraph, person.name), wanted);
      })
      .sort((a, b) => b.score - a.score);
    return {
      ...base,
      heading: person.name,
      total: excerpts.length,
      excerpts: excerpts.slice(0, MAX_EXCERPTS),
      person,
      ...(names.length && { alternatives: names }),
      ...(cut && { notice: CUT_NOTICE }),
    };
  }

  /** `/sources`: the articles indexed. */
  sources(): Answer {
    return {
      command: 'sources',
      query: '',
      heading: 'Sources',
      total: this.articles.length,
      excerpts: [],
      articles: [...this.articles],
      ...(this.articles.length === 0 && { notice: 'No articles are indexed yet.' }),
    };
  }

  /** Names of people for autocomplete: those whose name contains what was typed, best first. */
  suggestPeople(typed: string, limit = 25): string[] {
    const { query } = cleanQuery(typed);
    if (!query) return this.people.slice(0, limit).map((p) => p.name);
    const { person, alternatives } = resolvePerson(query, this.people);
    const q = query.toLowerCase();
    const containing = this.people.filter((p) => p.name.toLowerCase().includes(q));
    return [...new Set([...(person ? [person] : []), ...containing, ...alternatives].map((p) => p.name))].slice(0, limit);
  }

  #find(command: string, raw: string, label: string, accept?: (p: Paragraph) => boolean, weight?: (p: Paragraph) => number): Answer {
    const { query, cut } = cleanQuery(raw);
    const base = { command, query, heading: `${label}: “${query}”`, total: 0, excerpts: [] };
    if (!query) return { ...base, heading: label, notice: `Type a few words to look for, e.g. /${command} ${command === 'treaty' ? '1961' : 'talks on June 16'}.` };
    let concepts = queryConcepts(query);
    // In /treaty every paragraph is about a treaty: "pact" or "treaty" in the query then says
    // nothing more, and would favour paragraphs using that very word over the one that answers.
    if (accept) concepts = concepts.filter((c) => !isTreatyWord(c.text)).length ? concepts.filter((c) => !isTreatyWord(c.text)) : concepts;
    if (concepts.length === 0) {
      return { ...base, notice: `“${query}” has no words to look for: try names, places or other key words.` };
    }
    const hits = this.#index.search(concepts, accept, weight);
    const notice = hits.length === 0
      ? `No paragraph ${accept ? 'about a treaty ' : ''}matches “${query}”.${accept ? ' Try /search for all paragraphs.' : ''}`
      : cut ? CUT_NOTICE : undefined;
    return { ...base, total: hits.length, excerpts: hits.slice(0, MAX_EXCERPTS).map(toExcerpt), ...(notice && { notice }) };
  }
}

// Asked of the same paragraphs on every /treaty query: remember the answer with the paragraph.
const treatyWeights = new WeakMap<Paragraph, number>();

function paragraphTreatyWeight(p: Paragraph): number {
  let w = treatyWeights.get(p);
  if (w === undefined) treatyWeights.set(p, (w = treatyWeight(p.text)));
  return w;
}

function isTreatyWord(word: string): boolean {
  return treatyWeight(word) > 0;
}

function isAboutTreaty(p: Paragraph): boolean {
  return paragraphTreatyWeight(p) > 0;
}

function toExcerpt(hit: Hit): Excerpt {
  return makeExcerpt(hit.article, hit.paragraph, Math.round(hit.score * 1000) / 1000, new Set(hit.terms));
}

function mentionCount(paragraph: Paragraph, name: string): number {
  const parts = new Set(indexTerms(name));
  return indexTerms(paragraph.text).filter((t) => parts.has(t)).length;
}
