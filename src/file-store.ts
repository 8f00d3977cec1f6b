// The file store: each server's articles as `.md` files (front matter, then the paragraphs as
// read) in DATA_DIR/guilds/<server id>/, written atomically (temporary file, then rename) so a
// crash never leaves half an article. Whatever format an article came in, it is stored as text
// that reads back as the same article, pages and footnotes included (see `toMarkdown`).
import { existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { toMarkdown } from './article.js';
import { readArticleFile } from './corpus.js';
import type { Engine } from './engine.js';
import { removeTemporaryFiles, writeAtomically } from './files.js';
import { SNOWFLAKE, writeProblem, type AddResult, type ArticleStore } from './store.js';
import { fold } from './text.js';
import type { Article } from './types.js';

/** A file name reduced to a safe slug: no folders, no dots, nothing but a-z, 0-9 and dashes. */
export function slugOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  // Cut before the dashes are trimmed, so a cut never leaves one at the end.
  return fold(base).replace(/[^a-z0-9]+/g, '-').slice(0, 50).replace(/^-+|-+$/g, '') || 'article';
}

/** The names of stored articles: a slug, possibly with a `-2` suffix; never a dot or a slash. */
const STORED_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** An article as one server's: its id prefixed with the server's, and marked with it. */
function owned(article: Article, guildId: string, slug: string, file: string): Article {
  const id = `${guildId}-${slug}`;
  return { ...article, id, guildId, file, paragraphs: article.paragraphs.map((p) => ({ ...p, articleId: id })) };
}

export class FileStore implements ArticleStore {
  /** @param dataDir holds `guilds/<server id>/`; @param engine is kept in step with what is stored. */
  constructor(
    readonly dataDir: string,
    readonly engine: Engine,
  ) {}

  #folder(guildId: string): string {
    if (!SNOWFLAKE.test(guildId)) throw new Error(`file-store: not a server id: ${JSON.stringify(guildId)}`);
    return join(this.dataDir, 'guilds', guildId);
  }

  async #read(guildId: string): Promise<{ articles: Article[]; warnings: string[] }> {
    const folder = this.#folder(guildId);
    const articles: Article[] = [];
    const warnings: string[] = [];
    let names: string[] = [];
    try {
      names = readdirSync(folder).filter((n) => n.endsWith('.md') && !n.startsWith('.'));
    } catch {
      return { articles, warnings };
    }
    for (const name of names) {
      try {
        articles.push(owned(await readArticleFile(folder, name), guildId, name.slice(0, -3), join(folder, name)));
      } catch (err) {
        warnings.push(`skipped ${join(folder, name)}: ${(err as Error).message.replace(/^article: .*?\.md: /, '')}`);
      }
    }
    return { articles, warnings };
  }

  /** Temporary files left by writes that failed are removed on the way. */
  async open(): Promise<string[]> {
    let guilds: string[] = [];
    try {
      guilds = readdirSync(join(this.dataDir, 'guilds')).filter((g) => SNOWFLAKE.test(g));
    } catch {
      // no server has added anything yet
    }
    const articles: Article[] = [];
    const warnings: string[] = [];
    for (const guildId of guilds) {
      removeTemporaryFiles(this.#folder(guildId));
      const read = await this.#read(guildId);
      articles.push(...read.articles);
      warnings.push(...read.warnings);
    }
    this.engine.update({ remove: this.engine.articles.filter((a) => a.guildId).map((a) => a.id), put: articles });
    return warnings;
  }

  async list(guildId: string): Promise<Article[]> {
    this.#folder(guildId);
    return this.engine.articles.filter((a) => a.guildId === guildId);
  }

  async add(guildId: string, article: Article): Promise<AddResult> {
    const folder = this.#folder(guildId);
    const twin = this.engine.sameText(article, guildId);
    if (twin) return { ok: false, reason: `This text is already here, as “${twin.title}”.` };
    const slug = slugOf(article.file);
    let name = `${slug}.md`;
    for (let i = 2; existsSync(join(folder, name)); i++) name = `${slug}-${i}.md`;
    try {
      mkdirSync(folder, { recursive: true });
      writeAtomically(join(folder, name), toMarkdown(article));
    } catch (err) {
      return { ok: false, reason: writeProblem(err) };
    }
    const stored = owned(article, guildId, name.slice(0, -3), join(folder, name));
    this.engine.update({ put: [stored] });
    return { ok: true, article: stored };
  }

  async remove(guildId: string, articleId: string): Promise<Article | undefined> {
    const prefix = `${guildId}-`;
    const article = this.engine.article(articleId);
    if (!articleId.startsWith(prefix) || article?.guildId !== guildId) return undefined;
    const slug = articleId.slice(prefix.length);
    if (!STORED_SLUG.test(slug)) return undefined;
    try {
      unlinkSync(join(this.#folder(guildId), `${slug}.md`));
    } catch {
      return undefined;
    }
    this.engine.update({ remove: [articleId] });
    return article;
  }
}
