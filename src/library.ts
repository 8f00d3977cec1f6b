// Each Discord server's own articles, added with /add on top of the shared corpus: plain files in
// DATA_DIR/guilds/<server id>/, written atomically (temporary file, then rename) so a crash never
// leaves half an article. Nothing here trusts the upload: size, type, encoding, name and content
// are checked, and every refusal says why in words the uploader can act on.
import { existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseArticle } from './article.js';
import { readArticle } from './corpus.js';
import { parseDate } from './dates.js';
import { removeTemporaryFiles, writeAtomically } from './files.js';
import { htmlToArticle } from './html.js';
import { fold } from './text.js';
import type { Article } from './types.js';

export const MAX_UPLOAD_BYTES = 1_000_000;
const TYPES = ['.txt', '.md', '.html', '.htm'];
const SNOWFLAKE = /^\d{17,20}$/;

/** A file someone uploaded, with what they said about it. */
export interface Upload {
  fileName: string;
  bytes: Uint8Array;
  title?: string | undefined;
  source?: string | undefined;
  date?: string | undefined;
  url?: string | undefined;
}

function typeOf(fileName: string): string {
  return /\.[^.]*$/.exec(fileName.toLowerCase())?.[0] ?? '';
}

/** What is wrong with a file by its name and size alone, so it can be refused before downloading it. */
export function uploadProblem(fileName: string, size: number): string | undefined {
  if (!TYPES.includes(typeOf(fileName))) return `Only ${TYPES.join(', ')} files can be added; “${fileName}” is not one.`;
  if (size > MAX_UPLOAD_BYTES) return `“${fileName}” is ${Math.ceil(size / 1000)} KB; the limit is ${MAX_UPLOAD_BYTES / 1_000_000} MB.`;
  return undefined;
}

export type AddResult = { ok: true; article: Article } | { ok: false; reason: string };

/** A file name reduced to a safe slug: no folders, no dots, nothing but a-z, 0-9 and dashes. */
export function slugOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  // Cut before the dashes are trimmed, so a cut never leaves one at the end.
  return fold(base).replace(/[^a-z0-9]+/g, '-').slice(0, 50).replace(/^-+|-+$/g, '') || 'article';
}

/** The names of stored articles: a slug, possibly with a `-2` suffix; never a dot or a slash. */
const STORED_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Front matter values are one line each, in double quotes. The article reader strips the outer
 * quotes and keeps everything between them verbatim (it does not unescape), so no escaping here:
 * a title with quotes or backslashes reads back exactly as typed.
 */
function frontMatter(meta: Record<string, string | undefined>): string {
  const lines = Object.entries(meta)
    .filter((e): e is [string, string] => Boolean(e[1]?.trim()))
    .map(([k, v]) => `${k}: "${v.replace(/\s+/g, ' ').trim()}"`);
  return lines.length ? `---\n${lines.join('\n')}\n---\n` : '';
}

/** Why a write failed, in words the uploader can act on. */
function writeProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'The article could not be saved: the bot’s disk is full. Nothing was added; please tell the bot’s operator.';
  return `The article could not be saved (${code ?? 'write error'}). Nothing was added; please try again later.`;
}

export class Library {
  #turn: Promise<unknown> = Promise.resolve();

  constructor(readonly dataDir: string) {}

  /**
   * Runs `task` after every change queued before it, in a turn of the event loop of its own.
   * Parsing and indexing an upload takes tens of milliseconds; thirty arriving together, run
   * back to back, would keep every other server waiting for all of them, one at a time only
   * for one.
   */
  exclusive<T>(task: () => T): Promise<T> {
    const result = this.#turn.then(() => new Promise((resolve) => setImmediate(resolve))).then(task);
    this.#turn = result.catch(() => undefined);
    return result;
  }

  #folder(guildId: string): string {
    if (!SNOWFLAKE.test(guildId)) throw new Error(`library: not a server id: ${JSON.stringify(guildId)}`);
    return join(this.dataDir, 'guilds', guildId);
  }

  /**
   * Every server's articles, each marked with its server; unreadable files are skipped with a
   * warning. Temporary files left by writes that failed are removed on the way.
   */
  load(): { articles: Article[]; warnings: string[] } {
    const articles: Article[] = [];
    const warnings: string[] = [];
    let guilds: string[] = [];
    try {
      guilds = readdirSync(join(this.dataDir, 'guilds')).filter((g) => SNOWFLAKE.test(g));
    } catch {
      return { articles, warnings };
    }
    for (const guildId of guilds) {
      const folder = this.#folder(guildId);
      removeTemporaryFiles(folder);
      for (const name of readdirSync(folder).filter((n) => n.endsWith('.md') && !n.startsWith('.'))) {
        try {
          articles.push(this.#own(readArticle(folder, name), guildId));
        } catch (err) {
          warnings.push(`skipped ${join(folder, name)}: ${(err as Error).message}`);
        }
      }
    }
    return { articles, warnings };
  }

  #own(article: Article, guildId: string): Article {
    return { ...article, id: `${guildId}-${article.id}`, guildId, paragraphs: article.paragraphs.map((p) => ({ ...p, articleId: `${guildId}-${article.id}` })) };
  }

  /**
   * Checks, converts and stores an upload for one server. `sameText` finds an article the server
   * already sees with the same text, by content hash: the check costs the same at any library size.
   */
  add(guildId: string, upload: Upload, sameText: (article: Article) => Article | undefined): AddResult {
    const problem = uploadProblem(upload.fileName, upload.bytes.byteLength);
    if (problem) return { ok: false, reason: problem };
    const type = typeOf(upload.fileName);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(upload.bytes).replace(/^\ufeff/, '');
    } catch {
      return { ok: false, reason: `“${upload.fileName}” is not UTF-8 text.` };
    }
    const date = upload.date ? parseDate(upload.date) : undefined;
    if (upload.date && !date) return { ok: false, reason: `“${upload.date}” is not a date I can read; write it like 1997-06-20.` };
    if (upload.url && !/^https?:\/\/\S+$/i.test(upload.url)) return { ok: false, reason: `“${upload.url}” is not a web address (http:// or https://).` };

    let parsed: Article;
    try {
      if (type === '.md' || type === '.txt') parsed = parseArticle(upload.fileName, text);
      else {
        const page = htmlToArticle(text);
        const pageDate = page.date && parseDate(page.date);
        parsed = parseArticle(upload.fileName, `${frontMatter({ title: page.title, source: page.source, author: page.author, date: pageDate })}${page.paragraphs.join('\n\n')}`);
      }
    } catch {
      return { ok: false, reason: `No article text could be read from “${upload.fileName}”.` };
    }
    // What the uploader typed wins over what the file says. The file stored is the article as
    // read: front matter, then its paragraphs verbatim, without the page chrome. A file without a
    // headline is named by its first paragraph; writing that as the title would make the stored
    // file drop the paragraph when read back, so then no title is written.
    const headline = parsed.title === parsed.paragraphs[0]?.text ? undefined : parsed.title;
    const content = `${frontMatter({
      title: upload.title ?? headline,
      source: upload.source ?? parsed.source,
      author: parsed.author,
      date: date ?? parsed.date,
      url: upload.url ?? parsed.url,
      language: parsed.language,
    })}${parsed.paragraphs.map((p) => p.text).join('\n\n')}\n`;
    const twin = sameText(parseArticle('upload.md', content));
    if (twin) return { ok: false, reason: `This text is already here, as “${twin.title}”.` };

    const folder = this.#folder(guildId);
    const slug = slugOf(upload.fileName);
    let name = `${slug}.md`;
    for (let i = 2; existsSync(join(folder, name)); i++) name = `${slug}-${i}.md`;
    try {
      mkdirSync(folder, { recursive: true });
      writeAtomically(join(folder, name), content);
    } catch (err) {
      return { ok: false, reason: writeProblem(err) };
    }
    return { ok: true, article: this.#own(readArticle(folder, name), guildId) };
  }

  /** Deletes one of a server's articles; false when that server has no such article. */
  remove(guildId: string, articleId: string): boolean {
    const prefix = `${guildId}-`;
    if (!articleId.startsWith(prefix)) return false;
    const slug = articleId.slice(prefix.length);
    if (!STORED_SLUG.test(slug)) return false;
    const name = `${slug}.md`;
    try {
      unlinkSync(join(this.#folder(guildId), name));
      return true;
    } catch {
      return false;
    }
  }
}
