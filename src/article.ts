// Reading one article file: front matter, then the paragraphs a reader would count. Page chrome
// that comes along when an article is copied from a website (navigation, the repeated headline,
// the byline, a caption printed twice) is recognised by its shape, not by a list of strings.
import { parseDate } from './dates.js';
import { fold } from './text.js';
import type { Article, Paragraph } from './types.js';

export class ArticleError extends Error {
  constructor(file: string, problem: string) {
    super(`article: ${file}: ${problem}`);
    this.name = 'ArticleError';
  }
}

const FRONT_MATTER_KEYS = ['title', 'source', 'author', 'date', 'url', 'language'] as const;
type FrontMatter = Partial<Record<(typeof FRONT_MATTER_KEYS)[number], string>>;

/** Splits `---`-fenced `key: value` front matter from the body; both optional. */
function splitFrontMatter(file: string, content: string): { meta: FrontMatter; body: string } {
  const text = content.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  if (!/^---[ \t]*\n/.test(text)) return { meta: {}, body: text };
  const end = text.search(/\n---[ \t]*(\n|$)/);
  if (end < 0) throw new ArticleError(file, 'front matter opened with "---" is never closed');
  const meta: FrontMatter = {};
  for (const line of text.slice(text.indexOf('\n') + 1, end).split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new ArticleError(file, `front matter line is not "key: value": ${JSON.stringify(line.slice(0, 80))}`);
    const key = m[1]!.toLowerCase() as keyof FrontMatter;
    const value = m[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
    if ((FRONT_MATTER_KEYS as readonly string[]).includes(key) && value) meta[key] = value;
  }
  return { meta, body: text.slice(end).replace(/^\n---[ \t]*/, '') };
}

const SENTENCE_END = /[.!?…"”’)\]]$/;

/** A line of a menu pasted with the article ("Home", "Skip to content"): a few words, no sentence. */
function isMenuLine(line: string): boolean {
  return wordCount(line) <= 4 && !SENTENCE_END.test(line);
}

/**
 * Blocks of text: separated by blank lines; a block whose every line ends a sentence is a run
 * of one-line paragraphs, a block of menu lines stays a list of lines, otherwise it is one
 * hard-wrapped paragraph.
 */
function blocks(body: string): string[] {
  return body
    .split(/\n[ \t]*\n/)
    .map((b) => b.split('\n').map((l) => l.trim()).filter(Boolean))
    .filter((lines) => lines.length > 0)
    .flatMap((lines) => (lines.every((l) => SENTENCE_END.test(l)) || lines.every(isMenuLine) ? lines : [lines.join(' ')]))
    .map((b) => b.replace(/[ \t]+/g, ' ').replace(/^#+\s+/, ''));
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Navigation links, section labels, the publication's name: short lines that are not sentences. */
function isChromeLine(text: string): boolean {
  return wordCount(text) < 8 && !SENTENCE_END.test(text);
}

const BYLINE = /^[-–—•*\s]*[Bb][Yy]\s+(\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3})(?=[\s,;|]|$)/u;

function bylineAuthor(text: string): string | undefined {
  if (wordCount(text) > 12) return undefined;
  return BYLINE.exec(text)?.[1];
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

/** Without front matter the title is the first line that reads like a headline. */
function guessTitle(candidates: string[]): string | undefined {
  return candidates.find((b) => wordCount(b) >= 4 && wordCount(b) <= 25 && !SENTENCE_END.test(b) && !bylineAuthor(b));
}

// "Prague, 20 June 1997 (RFE/RL) - …": a dateline opening the first paragraph.
const DATELINE = /^\p{Lu}[\p{L} .'-]{1,40},\s+([^()\n-]{6,30}?)\s*(?:\(|[-–—])/u;

export function parseArticle(file: string, content: string): Article {
  const id = file.replace(/^.*[\\/]/, '').replace(/\.(md|txt)$/i, '');
  const { meta, body } = splitFrontMatter(file, content);
  const all = blocks(body);
  const headline = meta.title ?? guessTitle(all);
  // With no headline the article is named by its first line, which stays a paragraph of it.
  const title = headline ?? all[0];
  if (!title) throw new ArticleError(file, 'has no text');

  let author = meta.author;
  const paragraphs: Paragraph[] = [];
  const seen: string[] = [];
  for (const text of all) {
    if (headline !== undefined && fold(text) === fold(headline)) continue;
    const byline = bylineAuthor(text);
    if (byline) {
      author ??= byline;
      continue;
    }
    if (isChromeLine(text)) continue;
    // A caption is often printed twice, once with the photo credit and once without.
    const kind = isCaption(text) ? 'caption' : 'body';
    const key = kind === 'caption' ? captionKey(text) : fold(text);
    if (seen.some((s) => s === key || (kind === 'caption' && (s.includes(key) || key.includes(s))))) continue;
    seen.push(key);
    paragraphs.push({ articleId: id, n: paragraphs.length + 1, text, kind });
  }
  if (paragraphs.length === 0) throw new ArticleError(file, 'has no paragraphs (only headings or short lines)');

  const dateline = DATELINE.exec(paragraphs[0]!.text)?.[1];
  const date = (meta.date && parseDate(meta.date)) ?? (dateline ? parseDate(dateline) : undefined);
  return {
    id,
    title,
    file,
    paragraphs,
    ...(meta.source && { source: meta.source }),
    ...(author && { author }),
    ...(date && { date }),
    ...(meta.url && { url: meta.url }),
    ...(meta.language && { language: meta.language }),
  };
}
