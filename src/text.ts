// Text normalisation and tokenisation, shared by the index, the ranking, the excerpt highlighter
// and the people finder, so that a word matches the same way everywhere.
import { stemmer } from 'stemmer';

/** Folds what people type interchangeably: case, accents, curly quotes, dashes, odd spaces. */
export function fold(text: string): string {
  // Most text is plain ASCII (backtick aside), which needs none of the Unicode work below.
  if (/^[\x20-\x5f\x61-\x7e]*$/.test(text)) return text.includes('  ') ? text.toLowerCase().replace(/ {2,}/g, ' ') : text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[‘’‚‛′`´]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/[\s\u200b-\u200d\u2060\ufeff]+/gu, ' ')
    .toLowerCase();
}

/** A word of the source text, with where it sits, so matches can be highlighted in place. */
export interface Word {
  /** The word as written. */
  raw: string;
  /** Folded, without possessive 's and without inner dots of abbreviations ("U.S." → "us"). */
  norm: string;
  start: number;
  end: number;
}

// Abbreviations with dots, with or without spaces ("U.S.", "U. S.", "U.N."), are one word;
// otherwise words are letters and digits joined by inner hyphens or apostrophes. A letter may
// carry combining accents ("Karasi\u0301n", as decomposed text writes "Karasín").
const WORD = /(?:\p{L}\p{M}*\.\s?){2,}|[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’-][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;

export function words(text: string): Word[] {
  const out: Word[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    const raw = m[0].trimEnd();
    // Plain ASCII words are by far the most common and need none of fold's Unicode work.
    let norm = /[^\p{ASCII}]/u.test(raw) ? fold(raw) : raw.toLowerCase();
    if (norm.includes("'")) norm = norm.replace(/'s$/, '').replace(/'/g, '');
    if (norm.includes('.')) norm = norm.replace(/[.\s]/g, '');
    if (norm) out.push({ raw, norm, start: m.index, end: m.index + raw.length });
  }
  return out;
}

// A full stop after these is not the end of a sentence.
const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof gen col lt sgt capt gov sen rep rev st jr sr inc co corp ltd no vs etc jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '),
);

/** `[start, end)` of each sentence of `text`. */
export function sentences(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?…]+["”’)\]]*\s+/g)) {
    const end = m.index + m[0].trimEnd().length;
    // The word before the stop: only the last few characters are read, as reading from the
    // sentence's start each time made long paragraphs quadratic.
    const before = /([\p{L}]+)[.!?…]*["”’)\]]*$/u.exec(text.slice(Math.max(start, end - 24), end))?.[1] ?? '';
    const after = text.slice(m.index + m[0].length);
    const isAbbreviation = m[0].startsWith('.') && (before.length === 1 || ABBREVIATIONS.has(before.toLowerCase()));
    if (isAbbreviation || /^[\p{Ll}]/u.test(after)) continue;
    out.push([start, end]);
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push([start, text.trimEnd().length]);
  return out;
}

// Words that carry no meaning for retrieval, including the filler of typed questions
// ("what did … say about …"). Kept short: over-eager lists drop real query words.
const STOPWORDS = new Set(
  (
    'a an the and or but nor of to in on at by for with from into onto upon as is are was were be been being ' +
    'am do does did doing have has had having it its it\'s this that these those there here then than so such ' +
    'not no yes i me my we our you your he him his she her they them their what which who whom whose when where ' +
    'why how all any both each few more most other some can could will would shall should may might must ' +
    'about above after again against also just only own same too very if while because until during before ' +
    'between through over under out up down off once further tell please anything something article articles ' +
    'say says said mention mentions mentioned know find show give us'
  ).split(' '),
);

export function isStopword(norm: string): boolean {
  return STOPWORDS.has(norm);
}

// Stemming is the costliest step of indexing and a corpus repeats its words: remember them.
const stems = new Map<string, string>();

/** The index form of a folded word: Porter stem, except for numbers and short words. */
export function stem(norm: string): string {
  let s = stems.get(norm);
  if (s === undefined) {
    s = norm.length <= 3 || /\d/.test(norm) ? norm : stemmer(norm);
    if (stems.size < 500_000) stems.set(norm, s);
  }
  return s;
}

/**
 * Index terms of a word: its stem, and for a hyphenated word its parts as well as the joined
 * whole, so "high-stakes", "high stakes" and "highstakes" all meet.
 */
export function wordTerms(norm: string): string[] {
  if (!norm.includes('-')) return [stem(norm)];
  const parts = norm.split('-').filter(Boolean);
  return [stem(parts.join('')), ...parts.filter((p) => !isStopword(p)).map(stem)];
}

/** Two neighbouring words written apart that are often written as one ("Pyong Yang"). */
export function joinedTerm(a: Word, b: Word): string {
  return stem((a.norm + b.norm).replace(/-/g, ''));
}

function isCapitalised(w: Word): boolean {
  return /^\p{Lu}/u.test(w.raw);
}

/** The index terms of one word of a text, as `indexTerms` gives them (none for a stopword). */
export function termsOfWord(w: Word): string[] {
  if (isAcronym(w)) return acronymTerms(w);
  return isStopword(w.norm) ? [] : wordTerms(w.norm);
}

/**
 * Terms for indexing a text. Besides each word's terms, adjacent capitalised words are also
 * indexed joined, which is how names and places get spelt in one word or two.
 */
export function indexTerms(text: string): string[] {
  const ws = words(text);
  const terms: string[] = [];
  ws.forEach((w, i) => {
    terms.push(...termsOfWord(w));
    const next = ws[i + 1];
    if (next && isCapitalised(w) && isCapitalised(next) && /^\s*$/.test(text.slice(w.end, next.start))) {
      terms.push(joinedTerm(w, next));
    }
  });
  return terms;
}

/** "US", "U.S.", "U. S.": capitals standing for a name, even when they spell a small word. */
function isAcronym(w: Word): boolean {
  // Most words fail on their second character; only the rest need the Unicode test.
  const second = w.raw[1] ?? '';
  return second !== second.toLowerCase() || second === '.' ? /^(?:\p{Lu}\.?\s?){2,}$/u.test(w.raw) : false;
}

/**
 * An acronym's term. One that spells a stopword gets a mark of its own ("US" and "U. S." give
 * "us.", while the pronoun is dropped and "used" stems to "us"); others index as words do.
 */
function acronymTerms(w: Word): string[] {
  return isStopword(w.norm) ? [`${w.norm}.`] : wordTerms(w.norm);
}

/** One thing the user asked for: the alternative index terms any of which satisfies it. */
export interface QueryConcept {
  /** The words as typed, for display. */
  text: string;
  terms: string[];
}

/**
 * Splits a query into concepts. Stopwords are dropped unless typed in capitals ("US" is the
 * country), and every pair of neighbouring words is also tried joined ("Pyong Yang").
 */
export function queryConcepts(query: string): QueryConcept[] {
  // A query in capitals throughout, with real words in it, is shouted, not a row of acronyms.
  const shouted = !/\p{Ll}/u.test(query) && /\p{Lu}{4,}/u.test(query);
  const typed = shouted ? query.toLowerCase() : query;
  const ws = words(typed).filter((w) => isAcronym(w) || !isStopword(w.norm));
  const concepts: QueryConcept[] = ws.map((w) => ({ text: w.raw, terms: termsOfWord(w) }));
  ws.forEach((w, i) => {
    const next = ws[i + 1];
    if (!next) return;
    const joined = joinedTerm(w, next);
    concepts[i]!.terms.push(joined);
    concepts[i + 1]!.terms.push(joined);
  });
  return concepts.map((c) => ({ ...c, terms: [...new Set(c.terms)] }));
}

/** Damerau–Levenshtein distance (optimal string alignment), for typo-tolerant name lookup. */
export function editDistance(a: string, b: string): number {
  // Three rows of the table are all it needs (a transposition looks two rows back), kept between
  // calls: a misspelt name is compared with every name in the corpus.
  if (rows[0]!.length <= b.length) rows = rows.map(() => new Uint16Array(2 * (b.length + 1)));
  let [before, previous, current] = rows as [Uint16Array, Uint16Array, Uint16Array];
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2]! + 1);
      current[j] = v;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

let rows = [new Uint16Array(64), new Uint16Array(64), new Uint16Array(64)];
