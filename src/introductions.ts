// How news writing introduces a person, read from one paragraph. A name is a run of capitalised
// words (with initials, "Jr.", "III"); what says it is a person, and gives the role, is one of:
//   a title before it            "Russian Deputy Foreign Minister Grigory Karasin", "Det. Sgt. Ann Poe",
//                                "Secretary of the Treasury John Doe"
//   a lower-case role before it  "farm machinery dealer Bob Houtz", "defence lawyer Jane Roe"
//   an apposition after it       "John Doe, 45, a retired teacher,", "Jane Roe, chief defense counsel,"
//   an apposition before it      "the jury foreman, Mrs. Olive Heideman,", "his counterpart, Lee In Kyu,"
//   an appointment               "appointed John Doe as Secretary of State"
//   a copula                     "Mr. Doe is the union's president"
//   a courtesy title, speech or an age   "Mr. Doe", "…,” Jane Doe said", "Jane Doe, 45,"
// A role is a noun for a person (WordNet's, see roles.ts) at the head of its phrase, or a title by
// its shape; there is no list of roles or of people.
import { sentences } from './text.js';
import { isAbbreviatedTitle, isAlsoAName, isCommonNoun, isCourtesyTitle, isKindOfPeople, isNameSuffix, isPersonNoun, isTitleNoun } from './roles.js';
import { tag, type TaggedToken } from './tagger.js';
import { isStopword, words, type Word } from './text.js';
import { isAdjectiveLemma } from './wordnet.js';

/** A person one paragraph names: the name as written (no title), and the role it gives, if any. */
export interface Found {
  name: string;
  role?: string;
}

// Words that head the names of places, organisations and dates, never of people: the common
// nouns English builds those names with, not names from any corpus.
const NOT_NAMES = new Set(
  (
    'north south east west northern southern eastern western central upper lower new saint ' +
    'institute university college school times post news journal herald tribune gazette press agency ' +
    'council committee commission ministry department office bureau party union association federation ' +
    'company corporation corp inc co ltd llc plc bank group center centre foundation court house senate congress ' +
    'parliament assembly republic kingdom states nations army navy force forces church hospital ' +
    'county city jury club society league team hotel airlines corps street avenue road square plaza ' +
    'river island islands station airport building ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april june july ' +
    'august september october november december jan feb mar apr jun jul aug sep sept oct nov dec ' +
    // and numbers, which open sentences capitalised: "Two other cases …"
    'one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand'
  ).split(' '),
);
const DETERMINERS = new Set('a an the another one his her their its our my your this that'.split(' '));
// A person's relation to someone: "his counterpart, Lee In Kyu".
const PERSONAL_POSSESSIVES = new Set('his her their'.split(' '));
// What may open a role's complement ("president of …"), and a relative clause ("… who is …").
const PREPOSITIONS = new Set('at of for in with from on'.split(' '));
const RELATIVES = new Set('who whom whose which that'.split(' '));
// What ends the head of a noun phrase: prepositions, conjunctions, relative words.
const PHRASE_BREAK = new Set([...PREPOSITIONS, ...RELATIVES, ...'to and or by as since until'.split(' ')]);
// A finite verb of this closed class makes a phrase a clause, not an apposition ("officials said …").
const AUXILIARIES = new Set('is are was were am said says has have had will would could should can may might must do does did'.split(' '));
const SPEECH_AFTER = /^\s*,?\s*(said|says|told|added|wrote|asked|replied|declared|announced|testified|explained|predicted|noted|warned)\b/;
const SPEECH_BEFORE = /\b(said|says|according to|told|asked)\s*$/i;
const APPOINTED = /\b(appointed|named|elected|confirmed|nominated|chose|chosen|selected|designated|made)\s+$/;
const COPULA = /^\s+(?:is|was|has been|had been|became|becomes|will be|remains|served as|serves as)\s+/;

function isCapitalised(w: Word): boolean {
  // Most words are ASCII, and a regular expression per word showed in profiles.
  const c = w.raw.charCodeAt(0);
  return c < 128 ? c >= 65 && c <= 90 : /^\p{Lu}/u.test(w.raw);
}

function isPossessive(w: Word): boolean {
  return /['’]s$/.test(w.raw);
}

/** "U. S.", "UN", "KINU": stands for a name, but is no part of a person's. */
function isAcronym(w: Word): boolean {
  return /^(\p{Lu}\.?\s?){2,}$/u.test(w.raw);
}

/** A name word: "Karasin", "Jong-un", "O'Brien", "McCormick"; not an acronym or a word for a place or body. */
export function isNameWord(w: Word): boolean {
  if (!isCapitalised(w) || isPartyTag(w)) return false;
  return /^\p{Lu}(\p{Ll}|['’-]\p{L}|$)/u.test(w.raw) && !isAcronym(w) && !NOT_NAMES.has(w.norm) && !isKindOfPeople(w.norm, true);
}

/** "J." in "J. Harold Price", or "A. R." in "A. R. Schwartz" (read as one word, like "U. S."). */
function isInitial(text: string, w: Word): boolean {
  return (/^\p{Lu}$/u.test(w.raw) && text[w.end] === '.') || /^(\p{Lu}\.\s?){2,3}$/u.test(w.raw);
}

/** "D-Ohio", "R-Bergen": a party and a state, after a name and not part of it. */
function isPartyTag(w: Word): boolean {
  return /^\p{Lu}\.?-\p{Lu}/u.test(w.raw);
}

/** What a run of capitalised words may start with that is a title, not a name. */
function isTitleWord(text: string, w: Word, next: Word | undefined): boolean {
  return isTitleNoun(w.norm) || isCourtesyTitle(w) || isAbbreviatedTitle(text, w, next);
}

/**
 * Words of one run are separated by spaces, or by the stop of an initial or of a title
 * abbreviated before the name, which `titleMayEnd` says can be there (see capitalisedRuns).
 */
function joinsRun(text: string, a: Word, b: Word, titleMayEnd: boolean): boolean {
  const gap = text.slice(a.end, b.start);
  if (/^\s+$/.test(gap)) return true;
  return /^\.\s+$/.test(gap) && (isInitial(text, a) || (titleMayEnd && (isCourtesyTitle(a) || isAbbreviatedTitle(text, a, b))));
}

/** The paragraph being read, with parts of speech tagged sentence by sentence when a rule asks. */
class Reading {
  readonly ws: Word[];
  #sentences?: Array<[number, number]>;
  readonly #tagged = new Map<number, TaggedToken[]>();

  constructor(
    readonly text: string,
    ws?: Word[],
  ) {
    this.ws = ws ?? words(text);
  }

  /** The part of speech of word `i` in its sentence. */
  pos(i: number): string | undefined {
    const w = this.ws[i]!;
    this.#sentences ??= sentences(this.text);
    const s = this.#sentences.findIndex(([from, to]) => w.start >= from && w.start < to);
    if (s < 0) return undefined;
    let tokens = this.#tagged.get(s);
    if (!tokens) {
      const [from, to] = this.#sentences[s]!;
      tokens = tag(this.text.slice(from, to)).map((t) => ({ ...t, start: t.start + from, end: t.end + from }));
      this.#tagged.set(s, tokens);
    }
    return tokens.find((t) => t.start <= w.start && w.start < t.end)?.pos;
  }

  /** Whether only white space separates words `i` and `i + 1`. */
  spaced(i: number): boolean {
    const a = this.ws[i];
    const b = this.ws[i + 1];
    return a !== undefined && b !== undefined && /^\s+$/.test(this.text.slice(a.end, b.start));
  }

  /** Text from the start of word `from` to the end of word `to` (inclusive), with an abbreviation's stop. */
  span(from: number, to: number): string {
    const end = this.ws[to]!.end;
    const stop = this.text[end] === '.' && /^\p{Lu}\p{Ll}{0,4}$/u.test(this.ws[to]!.raw) ? 1 : 0;
    return this.text.slice(this.ws[from]!.start, end + stop);
  }
}

/** A capitalised run split into its title (`title` to `name - 1`, when there is one) and the name. */
interface Run {
  /** First word of the run (after small words such as "The"). */
  start: number;
  /** First word of the name. */
  name: number;
  /** One past the name's last word. */
  end: number;
  /** Whether the title is only a form of address or an abbreviation ("Mr.", "Capt."). */
  weakTitle: boolean;
  /** Whether it is only a form of address ("Mrs.", "Dr."), which is no role. */
  courtesyOnly?: boolean;
}

/** Counts the name's words that are not initials or suffixes: "Joseph E. Harvey Jr." has two. */
function nameWordCount(r: Reading, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!isInitial(r.text, r.ws[i]!) && !isNameSuffix(r.ws[i]!)) n++;
  return n;
}

/** Whether words `[from, to)` are a name: name words and initials, a suffix only last, one to four words. */
function isName(r: Reading, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const w = r.ws[i]!;
    const ok = isInitial(r.text, w) || (i > from && i === to - 1 && isNameSuffix(w)) || (isNameWord(w) && (i === to - 1 || !isAbbreviatedTitle(r.text, w, r.ws[i + 1])));
    if (!ok) return false;
  }
  const n = nameWordCount(r, from, to);
  // A small word opens no name ("On other matters", "This"), though one may stand inside it ("Lee In Kyu").
  return n >= 1 && n <= 4 && !isInitial(r.text, r.ws[to - 1]!) && (isInitial(r.text, r.ws[from]!) || !isStopword(r.ws[from]!.norm)) && !(to - from === 1 && isKindOfPeople(r.ws[from]!.norm));
}

/**
 * Whether a name can hold word `i`: a title noun only as the surname of a longer name ("Bob
 * Baker", "Jack Walker") or when it is also someone's name, so that "Senate Republican Leader
 * Dirksen" is Dirksen, titled "Senate Republican Leader".
 */
function fitsName(r: Reading, i: number, from: number, to: number): boolean {
  const w = r.ws[i]!;
  return !isTitleNoun(w.norm) || isAlsoAName(w.norm) || (i === to - 1 && i > from);
}

/**
 * Splits the run `[start, end)` into title and name: the title ends at the last title word
 * after which a name follows. "Secretary of the Treasury John Doe": a title joined by "of" keeps
 * its object, the name is the last two words.
 */
function splitRun(r: Reading, start: number, end: number, connector: number): Run | undefined {
  if (connector >= 0) {
    // The title's object is its first word and any common nouns or adjectives after it that are
    // no one's name: "of State John Foster Dulles", "of Foreign Affairs Jane Doe".
    let name = connector + (r.ws[connector + 1]!.norm === 'the' ? 3 : 2);
    const objectWord = (w: Word) => !isAlsoAName(w.norm) && (isCommonNoun(w.norm) || r.pos(name) === 'ADJ');
    while (name < end - 1 && objectWord(r.ws[name]!)) name++;
    if (isName(r, name, end)) return { start, name, end, weakTitle: false };
    // "Senator Smith of Arkansas": no name after the "of", so it was never part of a title.
    return splitRun(r, start, connector, -1);
  }
  const nameFrom = (k: number) => isName(r, k, end) && r.ws.slice(k, end).every((_, i) => fitsName(r, k + i, k, end));
  for (let k = end - 2; k >= start; k--) {
    if (!isTitleWord(r.text, r.ws[k]!, r.ws[k + 1]) || !nameFrom(k + 1)) continue;
    const titleWords = r.ws.slice(start, k + 1);
    const weakTitle = titleWords.every((w, i) => isCourtesyTitle(w) || isAbbreviatedTitle(r.text, w, r.ws[start + i + 1]) || !isTitleNoun(w.norm));
    return { start, name: k + 1, end, weakTitle, courtesyOnly: titleWords.filter((w, i) => isTitleWord(r.text, w, r.ws[start + i + 1])).every(isCourtesyTitle) };
  }
  // No title: the longest tail that is a name ("Monday Jane Doe" → "Jane Doe").
  for (let k = start; k < end; k++) if (nameFrom(k)) return { start: k, name: k, end, weakTitle: false };
  return undefined;
}

/** The capitalised runs of a paragraph: `[start, end)` and, for "Secretary of the …", where "of" is. */
function capitalisedRuns(r: Reading): Array<{ start: number; end: number; connector: number }> {
  const { ws, text } = r;
  const runs: Array<{ start: number; end: number; connector: number }> = [];
  let i = 0;
  while (i < ws.length) {
    if (!isCapitalised(ws[i]!)) {
      i++;
      continue;
    }
    let start = i;
    let end = i + 1;
    let connector = -1;
    let inTitle = true;
    for (;;) {
      const last = ws[end - 1]!;
      const next = ws[end];
      if (!next || isPossessive(last)) break;
      inTitle &&= isStopword(last.norm) || isTitleWord(text, last, next);
      // Past a name word, a stop ends the sentence unless a name follows: "Texas Sen. John Tower",
      // but "Winthrop G. Brown. Heavy fighting".
      const nameFollows = (isNameWord(next) || isInitial(text, next)) && ws[end + 1] !== undefined && isNameWord(ws[end + 1]!) && r.spaced(end);
      if (isCapitalised(next) && !isPartyTag(next) && joinsRun(text, last, next, inTitle || nameFollows)) {
        end++;
        continue;
      }
      // "Secretary of the Treasury": "of" (and "the") inside a title that a noun for a person heads.
      const after = next.norm === 'of' ? (ws[end + 1]?.norm === 'the' ? end + 2 : end + 1) : -1;
      if (connector < 0 && after > 0 && isTitleNoun(last.norm) && isCapitalised(last) && ws[after] && isCapitalised(ws[after]!) && r.spaced(end - 1) && r.spaced(end) && (after === end + 1 || r.spaced(end + 1))) {
        connector = end;
        end = after + 1;
        continue;
      }
      break;
    }
    while (start < end - 1 && isStopword(ws[start]!.norm) && !isInitial(text, ws[start]!) && !isAcronym(ws[start]!)) start++;
    runs.push({ start, end, connector });
    i = end;
  }
  return runs;
}

const NOUN_PHRASE = new Set(['ADJ', 'NOUN', 'PROPN']);
/** Word `i` modifies a noun after it, as the tagger reads it; a gerund does too ("shipping clerk", "acting mayor"). */
function modifiesNoun(r: Reading, i: number): boolean {
  const pos = r.pos(i) ?? '';
  return NOUN_PHRASE.has(pos) || (pos === 'VERB' && r.ws[i]!.norm.endsWith('ing'));
}

/** Word `i` is a lower-case adjective before a title ("former", "late"): WordNet's, without tagging. */
function modifiesTitle(r: Reading, i: number): boolean {
  return !isCapitalised(r.ws[i]!) && isAdjectiveLemma(r.ws[i]!.norm);
}

/**
 * Where a phrase ending at word `head` starts, read back: words that `modifies` accepts ("farm
 * machinery dealer", "German scientist"), a possessive ("Japan's"), and with `determiner` the
 * article or possessive pronoun that opens it.
 */
function phraseBefore(r: Reading, head: number, modifies: (r: Reading, i: number) => boolean, determiner: boolean): number {
  let start = head;
  while (start > 0 && r.spaced(start - 1) && head - start < 6) {
    const prev = r.ws[start - 1]!;
    if (isPossessive(prev) || (determiner && DETERMINERS.has(prev.norm))) {
      start--;
      if (!isPossessive(prev)) break;
      continue;
    }
    if (isStopword(prev.norm) || !modifies(r, start - 1)) break;
    start--;
  }
  return start;
}

/** The head of a described role: the last noun for a person, in its usual sense, before a preposition or conjunction. */
function roleHead(ws: Word[]): number {
  let head = -1;
  for (let i = 0; i < ws.length; i++) {
    if (i > 0 && PHRASE_BREAK.has(ws[i]!.norm)) break;
    if (isTitleNoun(ws[i]!.norm) || (i > 0 && isPersonNoun(`${ws[i - 1]!.norm} ${ws[i]!.norm}`))) head = i;
  }
  return head;
}

/** The apposition starting at `from`: up to the next comma or sentence end, brackets kept whole. */
function appositionAt(text: string, from: number): string {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth <= 0 && (/[,;:!?"“”—–]/.test(c) || text.startsWith('--', i))) return text.slice(from, i).trim();
    else if (depth <= 0 && c === '.' && !/(^|\s)\p{Lu}\p{Ll}{0,3}$/u.test(text.slice(from, i)) && /^(\s|$)/.test(text.slice(i + 1))) {
      return text.slice(from, i).trim();
    }
  }
  return text.slice(from).trim();
}

/**
 * The role an apposition gives, when it describes a person: it opens a noun phrase (a determiner,
 * a possessive or a modifier, not a verb or a conjunction), holds no auxiliary or speech verb,
 * and its head is a noun for a person. A long one is cut where its head's phrase ends.
 */
function describedRole(whole: string): string | undefined {
  // "a teamster union slugger who is a buddy of …": the relative clause tells more, the role ends before it.
  const all = words(whole);
  const relative = all.findIndex((w, i) => i > 0 && RELATIVES.has(w.norm));
  const phrase = relative > 0 ? whole.slice(0, all[relative]!.start).trim() : whole;
  const ws = relative > 0 ? all.slice(0, relative) : all;
  if (ws.length === 0 || ws.length > 20) return undefined;
  const first = ws[0]!;
  if (isStopword(first.norm) && !DETERMINERS.has(first.norm)) return undefined;
  // "Calif.", "Ohio": one capitalised word after a name is a place.
  if (ws.length === 1 && isCapitalised(first)) return undefined;
  // "Edith Green, Rep. Al Ullman, Labor Commissioner Norman Nilsen": a list of titled people, not an apposition.
  const titledName = (i: number) =>
    isCapitalised(ws[i]!) &&
    isTitleWord(phrase, ws[i]!, ws[i + 1]) &&
    isNameWord(ws[i + 1]!) &&
    !isPossessive(ws[i + 1]!) &&
    (isCourtesyTitle(ws[i]!) || isAbbreviatedTitle(phrase, ws[i]!, ws[i + 1]) || (ws[i + 2] !== undefined && isNameWord(ws[i + 2]!)));
  if (ws.some((_, i) => i + 1 < ws.length && titledName(i))) return undefined;
  // "…, seemed an able administrator": a verb opens a clause, not an apposition.
  if (!isCapitalised(first) && !DETERMINERS.has(first.norm) && ['VERB', 'AUX'].includes(tag(phrase)[0]?.pos ?? '')) return undefined;
  const head = roleHead(ws);
  if (head < 0 || ws.some((w) => AUXILIARIES.has(w.norm))) return undefined;
  if (ws.length <= 12) return phrase;
  // Past twelve words the apposition has become a clause: keep the head and a complement it opens ("… of the society").
  if (!PREPOSITIONS.has(ws[head + 1]?.norm ?? '')) return phrase.slice(0, ws[head]!.end);
  const end = ws.findIndex((w, i) => i > head + 1 && (PHRASE_BREAK.has(w.norm) || i > head + 6));
  return end < 0 ? phrase : phrase.slice(0, ws[end - 1]!.end);
}

// Between a name and its apposition: "(D-Ohio)", "(D., First Baltimore)", ", R-Essex", ", 45",
// ", of 7026 Stewart Av.", " of Springfield".
const BRACKETED = /^\s*\([^()]{1,40}\)/;
const AGE = /^,\s*\d{1,3}(?=,)/;
const PARTY_TAG = /^,\s*\p{Lu}\.?-\p{Lu}[\p{L}.]*(?=,)/u;
const OF_PLACE = /^,?\s+of\s+(?:[^,;:().]|\.(?=\S)){2,40}?(?=,)/;

/** What follows a name: whether an age is given, and the apposition after the asides, if any. */
function afterName(after: string): { age: boolean; apposition?: string } {
  let rest = after;
  let age = false;
  for (let changed = true; changed; ) {
    changed = false;
    for (const aside of [BRACKETED, AGE, PARTY_TAG, OF_PLACE]) {
      const m = aside.exec(rest);
      if (m) {
        if (aside === AGE) age = true;
        rest = rest.slice(m[0].length);
        changed = true;
      }
    }
  }
  const comma = /^,\s+/.exec(rest);
  return { age, ...(comma && { apposition: appositionAt(rest, comma[0].length) }) };
}

/** "the jury foreman, Mrs. Olive Heideman,": the phrase set off by a comma just before the run. */
function appositionBefore(r: Reading, start: number, after: string): string | undefined {
  const prev = start - 1;
  if (prev < 0 || !/^\s*,\s*$/.test(r.text.slice(r.ws[prev]!.end, r.ws[start]!.start))) return undefined;
  // The name closes the apposition; "his sons, John and James" is a list.
  if (!/^\s*([,.;:)]|$)/.test(after) && !SPEECH_AFTER.test(after)) return undefined;
  const personal = r.ws.slice(Math.max(0, prev - 6), prev).some((w) => PERSONAL_POSSESSIVES.has(w.norm));
  // The role before a name is in lower case ("the jury foreman, …"); "Charles Potter, Ronnie Moore" is a list.
  if (isCapitalised(r.ws[prev]!) || (!personal && !isTitleNoun(r.ws[prev]!.norm))) return undefined;
  const from = phraseBefore(r, prev, modifiesNoun, true);
  const opener = r.ws[from]!;
  if (from === prev && !DETERMINERS.has(opener.norm)) return undefined;
  const relational = PERSONAL_POSSESSIVES.has(opener.norm);
  return isTitleNoun(r.ws[prev]!.norm) || relational ? r.span(from, prev) : undefined;
}

/** "appointed Lloyd L. Simpkins, his assistant, as Secretary of State": the role after "as". */
function appointedAs(r: Reading, before: string, after: string): string | undefined {
  if (!APPOINTED.test(before)) return undefined;
  const m = /^(?:,[^,.;]{1,60},)?\s+as\s+/.exec(after);
  if (!m) return undefined;
  const phrase = appositionAt(after, m[0].length);
  const ws = words(phrase);
  return ws.length > 0 && ws.length <= 10 && roleHead(ws) >= 0 ? phrase : undefined;
}

/** "Mr. Doe is the union's president": a role given by a copula after the name. */
function copulaRole(after: string): string | undefined {
  const m = COPULA.exec(after);
  if (!m) return undefined;
  const phrase = appositionAt(after, m[0].length);
  const first = words(phrase)[0];
  if (!first || !(DETERMINERS.has(first.norm) || isPossessive(first))) return undefined;
  return describedRole(phrase);
}

/** Whether the tagger reads most of a name's words as proper nouns (or as a script it does not know). */
function taggedAsName(r: Reading, from: number, to: number): boolean {
  let proper = 0;
  for (let i = from; i < to; i++) if (['PROPN', 'X'].includes(r.pos(i) ?? '')) proper++;
  return proper * 2 >= to - from;
}

/** The person named by `run`, when something says it is one. */
function personOf(r: Reading, run: Run, runStart: number): Found | undefined {
  const { text, ws } = r;
  const nameStart = ws[run.name]!;
  const last = ws[run.end - 1]!;
  const suffixStop = isNameSuffix(last) && text[last.end] === '.' ? 1 : 0;
  const name = text.slice(nameStart.start, last.end + suffixStop).replace(/['’]s$/, '');
  const before = text.slice(Math.max(0, ws[runStart]!.start - 60), ws[runStart]!.start);
  const after = text.slice(last.end + suffixStop);
  const titled = run.name > run.start;
  const nameLength = nameWordCount(r, run.name, run.end);
  const { age, apposition } = afterName(after);
  const described = apposition === undefined ? undefined : describedRole(apposition);
  // "Senator Smith of Arkansas": after these, an untitled capitalised word is a place, unless an
  // apposition or an age says who it is ("sent for Joe Dey, the executive secretary of …",
  // "the affairs of Ben Stein, 47,").
  const opensWithDeterminer = DETERMINERS.has(words(described ?? '')[0]?.norm ?? '');
  if (!titled && /\b(of|in|at|from|to|near|into|for)\s+$/i.test(before) && !SPEECH_BEFORE.test(before) && !((opensWithDeterminer || age) && nameLength >= 2)) return undefined;
  // "the Korea Institute for National Unification": the rest of a name that is not a person's.
  if (/\p{Lu}[\p{L}.'’-]*\s+(of|for)\s+(the\s+)?$/u.test(before)) return undefined;

  const strongTitle = titled && !run.weakTitle;
  let titleStart = run.start;
  // A sentence's first word is capitalised whatever it is: "Yesterday Gov. Jane Roe said".
  if (titled && titleStart === runStart && /(^|[.!?]["”’)]?\s+)$/.test(before) && !['PROPN', 'NOUN', 'ADJ'].includes(r.pos(titleStart) ?? '')) titleStart++;
  const title = titled && titleStart < run.name && !run.courtesyOnly ? r.span(phraseBefore(r, titleStart, modifiesTitle, false), run.name - 1) : undefined;
  const prev = runStart - 1;
  const lowerRole = prev >= 0 && r.spaced(prev) && !isCapitalised(ws[prev]!) && isTitleNoun(ws[prev]!.norm) ? r.span(phraseBefore(r, prev, modifiesNoun, true), prev) : undefined;
  // A single word set off by commas needs a determiner to be an apposition: "Atlanta, officials said".
  const appositive = described && (nameLength >= 2 || titled || opensWithDeterminer || age) ? described : undefined;
  const roles = [
    strongTitle ? title : undefined,
    appointedAs(r, before, after),
    lowerRole,
    appositive,
    appositionBefore(r, runStart, after),
    nameLength >= 2 || titled ? copulaRole(after) : undefined,
    title,
  ];
  const role = roles.find((x) => x !== undefined);
  // One word after a title alone: "President Kennedy", "Mr. Nixon", but not "Juvenile Delinquency",
  // "National Archives" (common nouns) or "St. Petersburg" (an abbreviation that is no form of address).
  if (titled && run.end - run.name === 1 && roles.every((x) => x === undefined || x === title)) {
    const courtesy = ws.slice(run.start, run.name).some(isCourtesyTitle);
    if (!courtesy && (run.weakTitle || isCommonNoun(ws[run.name]!.norm) || !taggedAsName(r, run.name, run.end))) return undefined;
  }
  if (role !== undefined) return { name, role };
  // A name that speaks starts a sentence or clause ("… ,” Jane Doe said"), unlike "the think tank
  // Sejong Institute, said" or "in the Washington Post Brzezinski said".
  const opensClause = /(^|[.,;:!?"“”(—–-])\s*$/.test(before) || SPEECH_BEFORE.test(before);
  const speaks = opensClause && (SPEECH_AFTER.test(after) || SPEECH_BEFORE.test(before));
  if (titled || (nameLength >= 2 && (age || speaks) && taggedAsName(r, run.name, run.end))) return { name };
  return undefined;
}

/** The people a paragraph introduces or names with a title, in order; `ws` are its words when already read. */
export function introductionsIn(text: string, ws?: Word[]): Found[] {
  const r = new Reading(text, ws);
  const found: Found[] = [];
  for (const { start, end, connector } of capitalisedRuns(r)) {
    const run = splitRun(r, start, end, connector);
    if (!run) continue;
    // "Jack Walker" or "King Hussein"? A one-word title that is also a name is the name's first
    // word when something else gives the role: "his attorney, Jack Walker,".
    const untitled = run.name === run.start + 1 && isAlsoAName(r.ws[run.start]!.norm) && isName(r, run.start, run.end) ? personOf(r, { ...run, name: run.start, weakTitle: false }, run.start) : undefined;
    const person = untitled?.role !== undefined ? untitled : personOf(r, run, run.name > run.start ? run.start : run.name);
    if (person) found.push(person);
  }
  return found;
}
