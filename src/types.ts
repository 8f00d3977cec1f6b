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
  /** Each article's role for them, in corpus order, where it gives one. */
  roles?: RoleMention[];
  /** Ids of the articles they wrote, by the byline. */
  wrote?: string[];
  /** Ids of the articles they appear in, in corpus order. */
  articles: string[];
  /** Paragraphs mentioning them (by full name or, after an introduction, by one of its parts). */
  mentions: ParagraphRef[];
}

/** A role one article gives a person, and the paragraph it is read from (none for a byline). */
export interface RoleMention {
  articleId: string;
  role: string;
  n?: number;
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

/** What every answer has: what was asked, one line naming it, and a note for the reader. */
interface AnswerBase {
  command: string;
  query: string;
  /** One line naming what was asked. */
  heading: string;
  /** A short message for the reader: nothing found, query cut, and so on. */
  notice?: string;
  /** Other names or titles the query could mean, or the closest ones when nothing matched. */
  alternatives?: string[];
}

/** Which page of a long answer this is (0-based), of how many. */
interface Paged {
  page: number;
  pages: number;
}

/** `/search`, and `/treaty` with a query. `total`: the paragraphs that matched. */
export interface SearchAnswer extends AnswerBase, Paged {
  kind: 'search';
  total: number;
  excerpts: Excerpt[];
}

/** `/who`. `total`: the paragraphs mentioning the person; no person when no one matched. */
export interface PersonAnswer extends AnswerBase, Paged {
  kind: 'person';
  person?: Person;
  total: number;
  excerpts: Excerpt[];
}

/** `/treaty` without a query. `total`: the dated events. */
export interface TimelineAnswer extends AnswerBase, Paged {
  kind: 'timeline';
  total: number;
  events: TimelineEvent[];
}

/** `/quote`: one paragraph in full, with the paragraphs around it. */
export interface QuoteAnswer extends AnswerBase {
  kind: 'quote';
  excerpt: Excerpt;
  before?: Excerpt;
  after?: Excerpt;
}

/** `/sources`. `total`: the articles. */
export interface SourcesAnswer extends AnswerBase {
  kind: 'sources';
  total: number;
  articles: Article[];
}

/** `/add`: the article added, with its first paragraph to check it was read right. */
export interface AddedAnswer extends AnswerBase {
  kind: 'added';
  article: Article;
  first: Excerpt;
  lines: string[];
}

/** `/cite`: an article's reference in one citation style, from its front matter only. */
export interface CitationAnswer extends AnswerBase {
  kind: 'citation';
  article: Article;
  /** The style's name as a reader knows it: "APA 7th edition". */
  style: string;
  /** The reference-list entry. */
  reference: string;
  /** The in-text citation, with the paragraph as locator when one was given. */
  inText: string;
}

/** One claim picked out of a checked message, with the paragraphs that best concern it. */
export interface Claim {
  text: string;
  /** The paragraphs that matched it, of which `excerpts` are the best. */
  total: number;
  excerpts: Excerpt[];
}

/** `/check` and Find sources. `total`: the claims picked out of the message. */
export interface CheckAnswer extends AnswerBase {
  kind: 'check';
  total: number;
  claims: Claim[];
}

/** `/help`: one line per command. */
export interface HelpAnswer extends AnswerBase {
  kind: 'help';
  lines: string[];
}

/** A refusal, a failure, nothing found, or an action the user must confirm before it is done. */
export interface NoticeAnswer extends AnswerBase {
  kind: 'notice';
  notice: string;
  confirm?: { id: string; label: string };
}

/** What a command answers: the same value is rendered for Discord, the terminal and JSON. */
export type Answer =
  | SearchAnswer
  | PersonAnswer
  | TimelineAnswer
  | QuoteAnswer
  | SourcesAnswer
  | AddedAnswer
  | CitationAnswer
  | CheckAnswer
  | HelpAnswer
  | NoticeAnswer;
