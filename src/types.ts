// The data Footnote works with, from the article on disk to the answer a command gives.

/** One article of the corpus, as read from a file of one of the formats in `src/formats/`. */
export interface Article {
  /** The file name without its extension: stable, unique within a corpus folder. */
  id: string;
  title: string;
  /** The publication, e.g. "The Korea Times". */
  source?: string;
  author?: string;
  /** ISO date (`YYYY-MM-DD`, or `YYYY-MM`, `YYYY`) as printed in the article; never guessed. */
  date?: string;
  url?: string;
  language?: string;
  /** The Discord server that added it with /add; absent for the shared corpus. */
  guildId?: string;
  /** Path of the file it was read from. */
  file: string;
  paragraphs: Paragraph[];
}

/** A paragraph as a reader would count it; page chrome is not a paragraph. */
export interface Paragraph {
  articleId: string;
  /** 1-based position in the article, captions included, in reading order; footnotes come after the body. */
  n: number;
  /**
   * Verbatim text; a paragraph hard-wrapped over several lines is joined with spaces (and a word
   * hyphenated across a line end, in a PDF, is joined).
   */
  text: string;
  kind: 'body' | 'caption' | 'footnote';
  /** The page it starts on, in a document that has pages (a PDF). */
  page?: number;
  /** A footnote's mark as printed ("3", "*"); footnotes only. */
  label?: string;
}

/** A person found in the corpus, with the paragraphs that mention them. */
export interface Person {
  /** Full name as written in the corpus. */
  name: string;
  /** How the articles describe them ("Russian Deputy Foreign Minister"); absent when they don't. */
  role?: string;
  /** Where the role was read, to cite it. */
  roleAt?: ParagraphRef;
  /** Ids of the articles they appear in, in corpus order. */
  articles: string[];
  /** Paragraphs mentioning them (by full name or, after an introduction, by one of its parts). */
  mentions: ParagraphRef[];
}

export interface ParagraphRef {
  articleId: string;
  n: number;
}

/** A quoted paragraph in an answer: the whole paragraph, and the part of it to show. */
export interface Excerpt {
  article: Article;
  paragraph: Paragraph;
  score: number;
  /** Verbatim sentences of the paragraph that match, with "…" where text was left out. */
  text: string;
  /** `[start, end)` ranges of `text` to show in bold: the words that matched the query. */
  highlights: Array<[number, number]>;
}

/** A dated event read from the corpus, for the treaty timeline. */
export interface TimelineEvent {
  /** Sortable: `1961`, `1997-06-16`. */
  date: string;
  /** As a reader would say it: "1961", "16 June 1997". */
  label: string;
  excerpt: Excerpt;
}

/** What a command answers: the same value is rendered for Discord, the terminal and JSON. */
export interface Answer {
  command: string;
  query: string;
  /** One line naming what was asked. */
  heading: string;
  /** How many paragraphs matched, of which `excerpts` are the best. */
  total: number;
  excerpts: Excerpt[];
  /** `/who`: the person found. */
  person?: Person;
  /** Other names the query could mean, or the closest names when nothing matched. */
  alternatives?: string[];
  /** `/treaty` without a query: the timeline, in date order. */
  events?: TimelineEvent[];
  /** `/sources`. */
  articles?: Article[];
  /** `/help`: one line per command. */
  lines?: string[];
  /** A short message for the reader: nothing found, query cut, and so on. */
  notice?: string;
  /** Which page of the excerpts this is (0-based), of how many. */
  page?: number;
  pages?: number;
  /** `/quote`: the paragraphs around the quoted one. */
  context?: { before?: Excerpt; after?: Excerpt };
  /** An action the user must confirm before it is carried out (removing an article). */
  confirm?: { id: string; label: string };
}
