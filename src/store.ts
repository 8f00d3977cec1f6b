// Where each Discord server's own articles (added with /add) are kept, behind one interface, so
// the ingestion wing (src/library.ts) and the commands know nothing of the database behind it
// (src/server-store.ts). A store scopes everything to one server: a server sees, adds and removes
// only its own articles, and keeps the server's index in step with what it holds.
import type { Facts, Shelf } from './shelf.js';
import type { Article } from './types.js';

export type AddResult = { ok: true; article: Article } | { ok: false; reason: string };

/** What a question in a server can use of its own articles now. */
export interface OwnArticles {
  shelf: Shelf | undefined;
  /** A line for the answer when they may be out of date, or could not be read at all. */
  note?: string | undefined;
}

export interface ArticleStore {
  /**
   * Server `guildId`'s own articles, indexed, as the store holds them now (a change made by
   * another process sharing the store included); undefined when it has none.
   */
  shelf(guildId: string): Promise<Shelf | undefined>;
  /**
   * Server `guildId`'s own articles for a question: as `shelf` gives them while the database
   * answers, else the index in memory (or none) with a note saying why they may be out of date.
   */
  own(guildId: string): Promise<OwnArticles>;
  /** The articles server `guildId` added, as the engine quotes them. */
  list(guildId: string): Promise<Article[]>;
  /**
   * Stores `article` (as a format's reader read it) for server `guildId` and indexes it, unless
   * that server already sees an article with the same text. The article resolved has the
   * store's id, marked with its server. `facts`, when the reader computed them, are not computed again.
   */
  add(guildId: string, article: Article, facts?: Facts): Promise<AddResult>;
  /** Removes one of a server's articles; undefined when it has none by that id. */
  remove(guildId: string, articleId: string): Promise<Article | undefined>;
}

/** A Discord id (a server's, a user's): the only thing a store accepts as a server. */
export const SNOWFLAKE = /^\d{17,20}$/;

/** Why a write failed, in words the uploader can act on. */
export function writeProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === '53100') return 'The article could not be saved: the bot’s disk is full. Nothing was added; please tell the bot’s operator.';
  return `The article could not be saved (${code ?? 'write error'}). Nothing was added; please try again later.`;
}
