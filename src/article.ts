// From blocks of text to the paragraphs a reader would count, for every format: a text file's
// blocks (after its front matter), a PDF's rebuilt paragraphs, a Word file's paragraphs. Page
// chrome that comes along when an article is copied from a website (navigation, the repeated
// headline, the byline, a caption printed twice) is recognised by its shape, not by a list of strings.
import matter from 'gray-matter';
import { dateInLine, parseDate } from './dates.js';
import { tag } from './tagger.js';
import { isVerbLemma } from './wordnet.js';
import { fold } from './text.js';
import type { Article, Paragraph } from './types.js';

/** The article id of a file: its name without folder or extension, stable within a folder. */
export function articleIdOf(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/(.)\.[^.]*$/, '$1');
}

export class ArticleError extends Error {
  constructor(
    file: string,
    /** What is wrong, completing a sentence that names the file ("… has no text to quote"). */
    readonly problem: string,
  ) {
    super(`article: ${file}: ${problem}`);
    this.name = 'ArticleError';
  }
}

/**
 * What an article says about itself: from front matter, or a document's own metadata. The date
 * is as written, and read with `parseDate`, so a date that is not real is dropped.
 */
export type ArticleMeta = Partial<Pick<Article, 'title' | 'source' | 'author' | 'date' | 'url' | 'language'>>;

/** What an uploader said about an article, over what the file says (checked by the library before it is read). */
export interface Overrides {
  title?: string | undefined;
  source?: string | undefined;
  date?: string | undefined;
  url?: string | undefined;
}

const META_KEYS = ['title', 'source', 'author', 'date', 'url', 'language'] as const satisfies readonly (keyof ArticleMeta)[];

/**
 * Paragraphs an article may have: a reading is tens to hundreds; a book chapter a few thousand.
 * More is a file built to make the index and the people finder work for minutes.
 */
export const MAX_PARAGRAPHS = 5000;

/**
 * A block of text as a format's reader found it, before the rules below decide what is a
 * paragraph: a PDF's rebuilt paragraph, a Word paragraph, a block of a text file.
 */
export interface Block {
  text: string;
  /** The page it starts on, for formats that have pages. */
  page?: number;
  /** A footnote's mark as printed ("3", "*"): the block is that footnote, kept apart from the body. */
  footnote?: string;
}

// YAML's JavaScript and CoffeeScript "languages" (`---js`) evaluate the front matter as code:
// never for a file someone uploaded.
const refuseCode = () => {
  throw new Error('front matter must be YAML');
};
const MATTER_OPTIONS = { language: 'yaml', engines: { js: refuseCode, javascript: refuseCode, coffee: refuseCode, coffeescript: refuseCode, cson: refuseCode } };

/** A YAML value as text: a date YAML read as a Date is written back as the ISO date it was. */
function metaValue(file: string, key: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().replace(/T00:00:00\.000Z$/, '');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value).trim() || undefined;
  throw new ArticleError(file, `front matter ${key} must be text, not a list or a mapping`);
}

/**
 * Lines of `key: value` whose values YAML cannot read as written ("title: Russia: Moscow …",
 * a colon in an unquoted title, as people type them by hand): the value is the rest of the line.
 */
function plainPairs(block: string): Record<string, string> | undefined {
  const pairs: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
    if (!m) return undefined;
    pairs[m[1]!] = m[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  return pairs;
}

/** Splits YAML front matter (read by gray-matter) from the body; both optional. */
function splitFrontMatter(file: string, content: string): { meta: ArticleMeta; body: string } {
  const text = content.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  if (!/^---[ \t]*\n/.test(text)) return { meta: {}, body: text };
  const end = text.search(/\n---[ \t]*(\n|$)/);
  if (end < 0) throw new ArticleError(file, 'front matter opened with "---" is never closed');
  let data: Record<string, unknown>;
  let body: string;
  try {
    ({ data, content: body } = matter(text, MATTER_OPTIONS));
  } catch (err) {
    const pairs = plainPairs(text.slice(text.indexOf('\n') + 1, end));
    if (!pairs) throw new ArticleError(file, `front matter is not "key: value" lines of YAML (${(err as Error).message.split('\n')[0]})`);
    ({ data, body } = { data: pairs, body: text.slice(end).replace(/^\n---[ \t]*/, '') });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ArticleError(file, 'front matter is not "key: value" lines of YAML');
  const meta: ArticleMeta = {};
  for (const [key, value] of Object.entries(data)) {
    const name = key.toLowerCase() as keyof ArticleMeta;
    if (!(META_KEYS as readonly string[]).includes(name)) continue;
    const text = metaValue(file, name, value);
    if (text) meta[name] = text;
  }
  return { meta, body };
}

/**
 * The article as a `.md` file that reads back as the same article: YAML front matter written by
 * gray-matter (so a title with a colon, a quote or a backslash is escaped), the paragraphs, a
 * `<!-- page N -->` line where a page starts, and footnotes as Markdown footnotes at the end.
 */
export function toMarkdown(article: Article): string {
  // An article named by its first paragraph has no headline: written as the title, that
  // paragraph would be taken for the headline and dropped when the file is read back.
  const named = article.paragraphs.some((p) => fold(p.text) === fold(article.title));
  const meta = Object.fromEntries(META_KEYS.flatMap((k) => (article[k] && !(k === 'title' && named) ? [[k, article[k].replace(/\s+/g, ' ').trim()]] : [])));
  let page: number | undefined;
  const blocks: string[] = [];
  for (const p of article.paragraphs) {
    if (p.page !== undefined && p.page !== page) blocks.push(`<!-- page ${(page = p.page)} -->`);
    blocks.push(p.kind === 'footnote' ? `[^${p.label ?? p.n}]: ${p.text}` : p.text);
  }
  const body = `${blocks.join('\n\n')}\n`;
  return Object.keys(meta).length ? matter.stringify(body, meta) : body;
}

const PAGE_MARK = /^<!--\s*page\s+(\d{1,5})\s*-->$/i;
const FOOTNOTE = /^\[\^([^\]\s]{1,10})\]:\s+(\S.*)$/s;

/** The blocks of a text file: its paragraphs, with the page each starts on and its footnotes. */
function textBlocks(body: string): Block[] {
  let page: number | undefined;
  const out: Block[] = [];
  for (const text of blocks(body)) {
    const mark = PAGE_MARK.exec(text);
    if (mark) {
      page = Number(mark[1]);
      continue;
    }
    const note = FOOTNOTE.exec(text);
    out.push({ text: note ? note[2]! : text, ...(page !== undefined && { page }), ...(note && { footnote: note[1]! }) });
  }
  return out;
}

const SENTENCE_END = /[.!?…"”’)\]]$/;

/**
 * Whether a line is prose: it ends a sentence or holds the end of one, it leads into more
 * ("… the committee are:", "… in His wonderful peace,"), it breaks off mid-phrase ("… The"), or
 * a comma runs on in lower case ("It is, if anything, worse"), which no headline, menu or link does.
 */
function isProse(line: string): boolean {
  if (SENTENCE_END.test(line) || /\p{Ll}{2}[.!?]["”’]?\s+["“]?\p{Lu}/u.test(line)) return true;
  return wordCount(line) >= 4 && (/([:,;]|--|[—–])$/.test(line) || /\s(the|a|an|and|or|of|to)$/i.test(line) || /,\s+\p{Ll}/u.test(line));
}

/** Lines that are not sentences: menus, section labels, the publication's name, related headlines. */
function isListLine(line: string): boolean {
  return wordCount(line) <= LIST_LINE_WORDS && !isProse(line);
}

/** Longer than this, a line without a full stop is a paragraph that lost it, not a headline or a link. */
const LIST_LINE_WORDS = 15;

/**
 * Blocks of text: separated by blank lines; a block whose every line ends a sentence is a run
 * of one-line paragraphs, a block none of whose lines does is a list of lines (a menu, related
 * headlines), otherwise it is one hard-wrapped paragraph.
 */
function blocks(body: string): string[] {
  return body
    .split(/\n[ \t]*\n/)
    .map((b) => b.split('\n').map((l) => l.trim()).filter(Boolean))
    .filter((lines) => lines.length > 0)
    .flatMap((lines) => (lines.every((l) => SENTENCE_END.test(l)) || (lines.length > 1 && !lines.some((l) => SENTENCE_END.test(l))) ? lines : [lines.join(' ')]))
    .map((b) => b.replace(/[ \t]+/g, ' ').replace(/^#+\s+/, ''));
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** "Home | World | Europe", "World › Europe", "Home > Research > Commentary": links between separators. */
function isNavigation(text: string): boolean {
  const segments = text.split(/\s+[|›»>/•·]\s+/);
  const breadcrumb = /\s[›»>]\s/.test(text);
  return (segments.length >= 3 || (breadcrumb && segments.length >= 2)) && segments.every((s) => wordCount(s) <= 4 && !SENTENCE_END.test(s));
}

/** "© 2024 The Daily Planet. All rights reserved.": the footer, by its symbol, year and formula. */
function isCopyright(text: string): boolean {
  return wordCount(text) <= 40 && /(©|\(c\))\s*\d{4}|\bcopyright\s*(©|\(c\))?\s*\d{4}|\ball rights reserved\b/i.test(text);
}

/**
 * "Sign up for our newsletter to get …", "Follow us on …": one sentence in which the publisher
 * ("our", "us") tells the reader what to do, opening with a verb that has no subject before it
 * ("Police say …" has one). Not a question, not "Let us …", not quoted.
 */
function isCallToAction(text: string): boolean {
  if (wordCount(text) > 20 || /["“”?]/.test(text) || !/\b(our|us)\b/i.test(text) || /^let\b/i.test(text) || /[.!?]\s+\S/.test(text)) return false;
  const [first, second] = tag(text);
  if (!first || (second && ['VERB', 'AUX'].includes(second.pos))) return false;
  return first.pos === 'VERB' || isVerbLemma(text.slice(first.start, first.end).toLowerCase());
}

// "By Jane Doe", "- By Jung Min-ho mj6c2@…", "Commentary by Helen Ashby, Senior Fellow"; a photo's credit is no byline.
const BYLINE = /^[-–—•*\s]*(?:(\p{L}+)\s+)?[Bb][Yy]\s+(\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3})(?=[\s,;|]|$)/u;
const CREDITED = /^(photo|photograph|photos|image|images|picture|pictures|graphic|illustration|video)$/i;
// "Min-ji Park in Seoul": a correspondent's byline, under the headline.
const FROM_BYLINE = /^(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’.-]+){1,3})\s+in\s+\p{Lu}[\p{L}]+(?:\s+\p{Lu}[\p{L}]+)?$/u;
// "Anna Kowalczyk": a name alone on its line, under the headline.
const NAME_LINE = /^\p{Lu}\p{Ll}+(?:[-'’]\p{L}+)?(?:\s+\p{Lu}\p{Ll}+(?:[-'’]\p{L}+)?){1,2}$/u;

/** The author a byline names; `underHeadline` admits the shapes only a byline there has. */
function bylineAuthor(text: string, underHeadline = false): string | undefined {
  if (wordCount(text) > 12) return undefined;
  const by = BYLINE.exec(text);
  if (by && !(by[1] && CREDITED.test(by[1]))) return by[2];
  if (!underHeadline) return undefined;
  return FROM_BYLINE.exec(text)?.[1] ?? (NAME_LINE.test(text) ? text : undefined);
}

/**
 * "Published June 20, 2024", "Wed 13 Sep 2023 08.41 BST", "June 20, 1997 | By …": a line that
 * gives the date (and perhaps the byline) and no sentence. The date, read from it; undefined otherwise.
 */
function dateLine(text: string): string | undefined {
  if (wordCount(text) > 14 || SENTENCE_END.test(text)) return undefined;
  const date = text.split(/\s+\|\s+/).map((part) => (wordCount(part) <= 8 ? dateInLine(part) : undefined)).find(Boolean);
  return date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined;
}

// A photo credit opening a caption: "?? Reuters-Yonhap ??", "© AP", "Photo: …", "(Photo by …)".
const CREDIT = /^(?:[?©]{1,2}\s*[\p{L}\p{N} .&/-]{2,40}?\s*[?©]{1,2}|\(?(?:photo(?:graph)?|image|picture|credit)s?\s*(?:by|:)[^)]*\)?|\(?(?:©|\(c\))\s*[\p{L} .&/-]+\)?)\s*/iu;
// What captions say and articles don't: who is left or right in the picture.
const CAPTION_SPEAK = /,\s*(?:left|right|center|centre)\s*,|\((?:left|right|center|centre)\)|\bfrom left\b|\bpictured\b/i;

function isCaption(text: string): boolean {
  return CREDIT.test(text) || (CAPTION_SPEAK.test(text) && wordCount(text) <= 60);
}

/** The words a caption shares with its duplicate, whatever credit is printed before it. */
function captionKey(text: string): string {
  return fold(text.replace(CREDIT, '')).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Without front matter the title is the first line that reads like a headline: a few words and
 * no sentence, not a menu, a byline, a date or a credit.
 */
function guessTitle(candidates: string[]): string | undefined {
  return candidates.find(
    (b) => wordCount(b) >= 4 && wordCount(b) <= 25 && !SENTENCE_END.test(b) && !bylineAuthor(b, true) && !isNavigation(b) && !dateLine(b) && !isCopyright(b) && !CREDIT.test(b),
  );
}

// "Prague, 20 June 1997 (RFE/RL) - …", "SEOUL, Sept. 13, 2023 (Yonhap) -- …": a dateline opening
// the first paragraph, with the date and, in brackets, the agency that filed it.
const DATELINE = /^\p{Lu}[\p{L} .'-]{1,40},\s+([^()\n-]{6,30}?)\s*(?:\(([^()]{2,30})\)\s*)?(?:--|[-–—])/u;

/** Reads a `.md` or `.txt` article: front matter, then its blocks of text. */
export function parseArticle(file: string, content: string): Article {
  const { meta, body } = splitFrontMatter(file, content);
  return articleOf(file, meta, textBlocks(body));
}

/**
 * The article a reader's blocks make: the headline, byline and page chrome left out by the
 * rules above, captions marked, footnotes numbered after the body so that ¶ numbers count the
 * body's paragraphs. Every format's reader ends here.
 */
export function articleOf(file: string, meta: ArticleMeta, found: readonly Block[]): Article {
  if (found.length > MAX_PARAGRAPHS) throw new ArticleError(file, `has more than ${MAX_PARAGRAPHS.toLocaleString('en')} paragraphs; I read articles of at most ${MAX_PARAGRAPHS.toLocaleString('en')}`);
  const id = articleIdOf(file);
  const notes = found.filter((b) => b.footnote !== undefined);
  const body = found.filter((b) => b.footnote === undefined);
  const all = body.map((b) => b.text);
  const headline = meta.title ?? guessTitle(all);
  // With no headline the article is named by its first line, which stays a paragraph of it.
  const title = headline ?? all[0];
  if (!title) throw new ArticleError(file, 'has no text');

  let author = meta.author;
  let printedDate: string | undefined;
  const paragraphs: Paragraph[] = [];
  // A paragraph is compared with those before it by equality, a lookup; only a caption (a few
  // per article) is compared with each of them by inclusion.
  const seen = new Set<string>();
  let underHeadline = false;
  for (const { text, page } of body) {
    if (headline !== undefined && fold(text) === fold(headline)) {
      underHeadline = paragraphs.length === 0;
      continue;
    }
    // Under the headline and before the first paragraph: bylines, dates, labels, share links.
    const header = underHeadline && paragraphs.length === 0;
    // "(END)", "[Advertisement]": a marker in brackets.
    if (isNavigation(text) || isCopyright(text) || (/^[([][^()[\]]*[)\]]$/.test(text) && wordCount(text) <= 3)) continue;
    const date = dateLine(text);
    if (date) printedDate ??= date;
    const byline = text.split(/\s+\|\s+/).map((part) => bylineAuthor(part, header)).find(Boolean);
    if (byline) author ??= byline;
    if (date || byline) continue;
    const caption = isCaption(text);
    // What is not a sentence is no paragraph: a list's lines, a credit alone; under the headline, a standfirst too.
    if ((!caption && !isProse(text) && (header || isListLine(text))) || (caption && !text.replace(CREDIT, '').trim())) continue;
    if (!caption && isCallToAction(text)) continue;
    // A caption is often printed twice, once with the photo credit and once without.
    const kind = caption ? 'caption' : 'body';
    const key = kind === 'caption' ? captionKey(text) : fold(text);
    if (seen.has(key) || (kind === 'caption' && [...seen].some((s) => s.includes(key) || key.includes(s)))) continue;
    seen.add(key);
    paragraphs.push({ articleId: id, n: paragraphs.length + 1, text, kind, ...(page !== undefined && { page }) });
  }
  if (paragraphs.length === 0) throw new ArticleError(file, 'has no paragraphs (only headings or short lines)');
  for (const { text, page, footnote } of notes) {
    paragraphs.push({ articleId: id, n: paragraphs.length + 1, text, kind: 'footnote', label: footnote!, ...(page !== undefined && { page }) });
  }

  const dateline = DATELINE.exec(paragraphs[0]!.text);
  const date = (meta.date && parseDate(meta.date)) ?? printedDate ?? (dateline?.[1] ? dateInLine(dateline[1]) : undefined);
  const source = meta.source ?? dateline?.[2]?.trim();
  return {
    id,
    title,
    file,
    paragraphs,
    ...(source && { source }),
    ...(author && { author }),
    ...(date && { date }),
    ...(meta.url && { url: meta.url }),
    ...(meta.language && { language: meta.language }),
  };
}

/** The article with what the uploader typed in place of what the file says (checked by the library's `overridesProblem`). */
export function withOverrides(article: Article, { title, source, date, url }: Overrides): Article {
  return {
    ...article,
    ...(title && { title }),
    ...(source && { source }),
    ...(date && { date: parseDate(date)! }),
    ...(url && { url }),
  };
}
