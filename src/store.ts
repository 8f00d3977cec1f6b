// Where each Discord server's own articles (added with /add) are kept, behind one interface: the
// file store (src/file-store.ts) today, a database tomorrow. A store owns keeping the engine in
// step with what it holds, so no command updates the index by hand, and it scopes everything to
// one server: a server sees, adds and removes only its own articles.
import type { Article } from './types.js';

export type AddResult = { ok: true; article: Article } | { ok: false; reason: string };

export interface ArticleStore {
  /**
   * Loads every server's stored articles into the engine, replacing any it held (a cache may
   * hold them as they were); resolves with a warning for each stored article it had to skip.
   */
  open(): Promise<string[]>;
  /** The articles server `guildId` added, as the engine quotes them. */
  list(guildId: string): Promise<Article[]>;
  /**
   * Stores `article` (as a format's reader read it) for server `guildId` and puts it into the
   * engine, unless that server already sees an article with the same text. The article resolved
   * has the store's id, marked with its server.
   */
  add(guildId: string, article: Article): Promise<AddResult>;
  /** Removes one of a server's articles from the store and the engine; undefined when it has none by that id. */
  remove(guildId: string, articleId: string): Promise<Article | undefined>;
}

/** A Discord id (a server's, a user's): the only thing a store accepts as a server. */
export const SNOWFLAKE = /^\d{17,20}$/;

/** Why a write failed, in words the uploader can act on. */
export function writeProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'The article could not be saved: the bot’s disk is full. Nothing was added; please tell the bot’s operator.';
  return `The article could not be saved (${code ?? 'write error'}). Nothing was added; please try again later.`;
}
