// What a format's reader is: the file's bytes, and what is known of them, in; an Article out.
// Every reader is registered once, in `index.ts`, for the corpus loader, the live watcher, /add
// and `npm run add` alike.
import type { Article } from '../types.js';

/** A file to read, and what is known of it. */
export interface Source {
  /** Its name or path: the article's id comes from it, and messages name it. */
  file: string;
  bytes: Uint8Array;
  /** Where it was fetched from, when it was: kept for the citation. */
  url?: string | undefined;
  /** The encoding the web server said the text is in, when it said. */
  charset?: string | undefined;
}

export interface ArticleFormat {
  /** What a member calls it ("PDF", "Word document"), for messages. */
  name: string;
  /** File name endings, lower-case, with the dot. */
  extensions: readonly string[];
  /** The HTTP content types of a link that is in this format, lower-case, without parameters. */
  contentTypes: readonly string[];
  /** Whether the bytes are in this format whatever the name or content type says, when that can be told. */
  sniff?(bytes: Uint8Array): boolean;
  /**
   * Reads the article. Refusals are ArticleErrors whose problem completes a sentence naming the
   * file ("… has no text to quote"); it never throws anything else for bad input.
   */
  read(source: Source): Promise<Article>;
}
