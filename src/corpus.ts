// Loading a corpus folder: every `.md` and `.txt` file is an article. A file that cannot be read
// or parsed is skipped with a warning naming it, so one bad file never takes the others down.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArticle } from './article.js';
import type { Article } from './types.js';

export class CorpusError extends Error {
  constructor(message: string) {
    super(`corpus: ${message}`);
    this.name = 'CorpusError';
  }
}

export interface Corpus {
  dir: string;
  articles: Article[];
  /** One line per skipped file, naming it and why. */
  warnings: string[];
}

const ARTICLE_FILE = /\.(md|txt)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether a folder entry is an article file (`.md`/`.txt`, not hidden). */
export function isArticleFile(name: string): boolean {
  return ARTICLE_FILE.test(name) && !name.startsWith('.');
}

/** Reads and parses one article file; throws with the reason when it cannot. */
export function readArticle(file: string): Article {
  return parseArticle(file, readText(file));
}

function readText(file: string): string {
  const bytes = readFileSync(file);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Error('is not UTF-8 text');
  }
}

/** The article files of a folder, sorted; a CorpusError naming the folder when it cannot be read. */
export function articleFiles(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) throw new CorpusError(`${dir} is not a folder`);
    return readdirSync(dir).filter(isArticleFile).sort();
  } catch (err) {
    if (err instanceof CorpusError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CorpusError(code === 'ENOENT' ? `folder not found: ${dir}` : `cannot read folder ${dir} (${code ?? String(err)})`);
  }
}

export function loadCorpus(dir: string): Corpus {
  const names = articleFiles(dir);
  const articles: Article[] = [];
  const warnings: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const article = readArticle(file);
      if (articles.some((a) => a.id === article.id)) throw new Error(`another file already has the id ${article.id}`);
      articles.push(article);
    } catch (err) {
      warnings.push(`skipped ${file}: ${(err as Error).message.replace(`article: ${file}: `, '')}`);
    }
  }
  return { dir, articles, warnings };
}
