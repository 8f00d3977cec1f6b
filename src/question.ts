// What a question asks for, read from its question words, and where a text has such a thing:
// "who" wants a person, "when" / "what year" a date, "how many" / "how much" a number, "where" a
// place. The ranking prefers a paragraph with one near the words it matched; the excerpt shows it
// in bold. Read from the grammar of English questions, never from the words of a corpus.
import { findDates } from './dates.js';
import { nounKind, type NounKind } from './lexicon.js';
import { fold } from './text.js';

export type AnswerKind = 'person' | 'date' | 'number' | 'place';

// WordNet files most nouns by what they are (a "president" is a person, a "year" a time); the
// most general ones sit apart, at the top of its tree, and are named here.
const TOP_NOUNS = new Map<string, AnswerKind>([
  ['person', 'person'], ['people', 'person'], ['individual', 'person'], ['someone', 'person'],
  ['place', 'place'], ['location', 'place'], ['time', 'date'], ['date', 'date'], ['number', 'number'], ['amount', 'number'],
]);
const NOUN_KINDS: Record<NounKind, AnswerKind> = { person: 'person', place: 'place', time: 'date', quantity: 'number' };

/** What a question asks for. */
export interface Asked {
  kind: AnswerKind;
  /**
   * The noun after "what" or "which" that named the kind ("year" in "in what year"), if that is
   * how it was asked: the answer is a year, not the word "year", so the noun is not looked for;
   * except a person's, which is a role written beside the name ("which president").
   */
  noun?: string;
}

/** What kind of thing `query` asks for, when its question words say so. */
export function asked(query: string): Asked | undefined {
  const q = fold(query);
  // "How many" first: "who" is also the relative pronoun of "students who entered…, how many?".
  if (/\bhow (?:many|much|long|old|far|large|big|tall|high|often)\b/.test(q)) return { kind: 'number' };
  if (/\bwhen\b/.test(q)) return { kind: 'date' };
  if (/\bwho(?:m|se)?\b/.test(q)) return { kind: 'person' };
  if (/\bwhere\b/.test(q)) return { kind: 'place' };
  // "What year", "which city", "in what century": the noun after the question word.
  const noun = /\b(?:what|which)\s+(\p{L}+)/u.exec(q)?.[1];
  if (noun === undefined) return undefined;
  const top = TOP_NOUNS.get(noun);
  if (top) return { kind: top, noun };
  const named = nounKind(noun);
  return named && { kind: NOUN_KINDS[named], noun };
}

const NUMBER_WORDS =
  'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty ' +
  'thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions dozen dozens';
const NUMBER = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:\d[\d,.]*\d|\d)(?:\s?%| percent)?(?![\p{L}\p{N}])|\b(?:${NUMBER_WORDS.split(' ').join('|')})\b`, 'giu');
// Years, decades and centuries as well as the dates `findDates` reads.
const PERIOD = /\b(?:1\d{3}|20\d\d)s?\b|\b\d{1,2}(?:st|nd|rd|th) century\b|\b(?:spring|summer|autumn|fall|winter) of\b/gi;
// A run of capitalised words (with initials and inner "of", "de", "van"), as names are written.
const NAME = /\b\p{Lu}[\p{L}'’-]*\.?(?:\s+(?:(?:of|de|da|di|van|von|der|du|la|le|al|bin)\s+)?\p{Lu}[\p{L}'’-]*\.?)+/gu;
const PLACE = /\b(?:in|at|near|from|to|outside|across|throughout|into)\s+(?:the\s+)?(\p{Lu}[\p{L}'’-]*(?:,?\s+\p{Lu}[\p{L}'’-]*)*)/gu;

/** `[start, end)` of the things of `kind` written in `text`. */
export function kindSpans(text: string, kind: AnswerKind): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const add = (start: number, end: number) => spans.push([start, end]);
  if (kind === 'date') {
    for (const d of findDates(text)) add(d.index, d.index + d.length);
    for (const m of text.matchAll(PERIOD)) add(m.index, m.index + m[0].length);
  } else if (kind === 'number') {
    for (const m of text.matchAll(NUMBER)) add(m.index, m.index + m[0].length);
  } else if (kind === 'person') {
    for (const m of text.matchAll(NAME)) add(m.index, m.index + m[0].length);
  } else {
    for (const m of text.matchAll(PLACE)) add(m.index + m[0].length - m[1]!.length, m.index + m[0].length);
  }
  return spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
}
