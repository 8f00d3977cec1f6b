// A shelf: one set of articles with everything computed from them — the paragraph index, the
// index of the paragraphs about treaties, each article's people, phrases and treaty paragraphs,
// and what is derived from those on first use (the people index, the timeline). The shared
// corpus is one shelf; each Discord server's own articles are another, loaded on demand. A
// server's view (src/engine.ts) reads the shared shelf and its own together, so nothing of the
// shared corpus is ever copied per server and no server's shelf holds another's articles.
import { createHash } from 'node:crypto';
import { drain, ParagraphIndex } from './paragraph-index.js';
import { articleFacts, mergePeople, PeopleIndex, type ArticleFacts } from './people.js';
import { fold } from './text.js';
import { timeline } from './timeline.js';
import { treatyEventWeight, treatyWeight } from './treaty.js';
import type { Article, Paragraph, TimelineEvent } from './types.js';

/** What the engine reads from one article beyond its words: people, phrases, treaty paragraphs. */
export interface Facts extends ArticleFacts {
  /** Paragraph number → treaty weight, for the paragraphs about a treaty only. */
  treaty: Record<number, number>;
  /** A hash of the article's text as a reader compares it, to find the same text added twice. */
  content: string;
}

/** The same text, whatever its case, quotes, spacing or front matter, hashes the same. */
export function contentKey(article: Article): string {
  const hash = createHash('sha256');
  for (const p of article.paragraphs) hash.update(fold(p.text).replace(/\s+/g, ' ').trim()).update('\n');
  return hash.digest('hex');
}

/** What the engine reads from an article beyond its words; a reader process computes it beside the article. */
export function factsOf(article: Article): Facts {
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

/** Everything a shelf computes from its articles, as plain data: what a cache or a database stores. */
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

/** A change to a shelf: articles added or changed, ids of articles deleted. */
export interface CorpusChange {
  put?: Article[];
  /** The facts of articles in `put`, by id, where a reader process computed them already. */
  facts?: Readonly<Record<string, Facts>>;
  remove?: string[];
}

export class Shelf {
  readonly #articles = new Map<string, Article>();
  readonly #facts = new Map<string, Facts>();
  readonly index: ParagraphIndex;
  // A few thousand paragraphs in a hundred thousand are about treaties: searching them alone is
  // much faster than searching all and filtering.
  readonly treatyIndex: ParagraphIndex;
  readonly warnings: string[];
  /** Article ids by content hash, so a duplicate is found in one lookup at any size. */
  readonly #byContent = new Map<string, string[]>();
  // Derived from the articles; rebuilt on first use after a change.
  #sorted?: Article[];
  #people?: PeopleIndex;
  #events?: TimelineEvent[];

  constructor(
    articles: readonly Article[],
    { warnings = [], snapshot, facts = snapshot?.facts }: { warnings?: readonly string[]; snapshot?: Omit<Snapshot, 'articles' | 'warnings'> | undefined; facts?: Readonly<Record<string, Facts>> | undefined } = {},
  ) {
    this.warnings = [...warnings];
    for (const article of articles) this.#remember(article, facts?.[article.id] ?? factsOf(article));
    this.index = new ParagraphIndex(articles, { persisted: snapshot?.index });
    this.treatyIndex = new ParagraphIndex(articles, { persisted: snapshot?.treatyIndex, include: (p) => this.treatyWeight(p) > 0 });
  }

  static fromSnapshot(snapshot: Snapshot): Shelf {
    return new Shelf(snapshot.articles, { warnings: snapshot.warnings, snapshot });
  }

  toSnapshot(): Snapshot {
    return {
      articles: this.articles,
      warnings: this.warnings,
      facts: Object.fromEntries(this.#facts),
      index: this.index.toJSON(),
      treatyIndex: this.treatyIndex.toJSON(),
    };
  }

  #remember(article: Article, facts: Facts): void {
    this.#articles.set(article.id, article);
    this.#facts.set(article.id, facts);
    this.#byContent.set(facts.content, [...(this.#byContent.get(facts.content) ?? []), article.id]);
  }

  #forget(id: string): boolean {
    if (!this.#articles.has(id)) return false;
    const { content } = this.#facts.get(id)!;
    const twins = this.#byContent.get(content)!.filter((other) => other !== id);
    if (twins.length) this.#byContent.set(content, twins);
    else this.#byContent.delete(content);
    this.#articles.delete(id);
    this.#facts.delete(id);
    this.index.remove(id);
    this.treatyIndex.remove(id);
    return true;
  }

  /** Applies a change. Synchronous, so no answer ever sees half of it. */
  update(change: CorpusChange): void {
    drain(this.#applying(change));
  }

  /**
   * Applies a change a batch of paragraphs at a time, the event loop free between batches, so a
   * long article does not hold up every server's questions: for a shelf no question reads until
   * the change is done (a server's, changed apart from the one in use).
   */
  async updateGradually(change: CorpusChange): Promise<void> {
    for (const steps = this.#applying(change); !steps.next().done; ) await new Promise((resolve) => setImmediate(resolve));
  }

  *#applying(change: CorpusChange): Generator<void> {
    for (const id of change.remove ?? []) this.#forget(id);
    for (const article of change.put ?? []) {
      this.#forget(article.id);
      this.#remember(article, change.facts?.[article.id] ?? factsOf(article));
      yield* this.index.putting(article);
      yield* this.treatyIndex.putting(article);
    }
    this.#sorted = undefined;
    this.#people = undefined;
    this.#events = undefined;
  }

  /** The article on this shelf with the same text as `article`, if there is one. */
  sameText(article: Article): Article | undefined {
    const id = this.#byContent.get(contentKey(article))?.[0];
    return id === undefined ? undefined : this.#articles.get(id);
  }

  /** The articles, in id order (the file names', for a corpus folder). */
  get articles(): Article[] {
    return (this.#sorted ??= [...this.#articles.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }

  article(id: string): Article | undefined {
    return this.#articles.get(id);
  }

  facts(articleId: string): Facts | undefined {
    return this.#facts.get(articleId);
  }

  /** The people these articles introduce, merged across them. */
  get people(): PeopleIndex {
    return (this.#people ??= new PeopleIndex(mergePeople(this.articles.map((article) => ({ article, people: this.#facts.get(article.id)?.people ?? [] })))));
  }

  /** The dated events of the paragraphs about treaties, in date order. */
  get events(): TimelineEvent[] {
    return (this.#events ??= timeline(this.articles, (p) => this.treatyWeight(p) > 0));
  }

  treatyWeight(p: Paragraph): number {
    return this.#facts.get(p.articleId)?.treaty[p.n] ?? 0;
  }

  get paragraphCount(): number {
    return this.index.size;
  }
}
