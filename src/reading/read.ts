// One way in for every document: the corpus loader, the live watcher, /add, `npm run add` and
// the import of old server folders all read through the reader processes of pool.ts.
import type { Overrides } from '../article.js';
import { EXTENSIONS, formatOf, type ArticleFormat, type Source } from '../formats/index.js';
import { sharedReaders, type Read, type Waiting } from './pool.js';

export type { Read, Waiting };

export interface ReadOptions {
  /** The format to read it in; by default the one its file name says. */
  format?: ArticleFormat | undefined;
  /** Whose document it is: a server's id, or '' for the corpus folder. Each waits in its own queue. */
  queue?: string | undefined;
  /** What the uploader typed over what the file says: applied before the article is analysed. */
  overrides?: Overrides | undefined;
  /** Told once, when the document has to wait for a reader. */
  waiting?: ((where: Waiting) => void) | undefined;
}

/** Reads `source` in a reader process: the article and its facts, or the problem completing a sentence about the file. */
export async function readDocument(source: Source, { format = formatOf(source.file), queue = '', overrides = {}, waiting }: ReadOptions = {}): Promise<Read> {
  if (!format) return { ok: false, problem: `is not one of the formats I read (${EXTENSIONS.join(', ')})` };
  return sharedReaders().read({ source, format: format.name, overrides }, queue, waiting);
}
