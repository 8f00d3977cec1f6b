// What a word can tell about a person: whether it names what a person is ("minister", "dealer",
// "goalkeeper"), read from WordNet's nouns for people rather than from a list of our own, and
// whether its shape is that of a title abbreviated before a name ("Gov.", "Det. Sgt.").
import type { Word } from './text.js';
import { wordnetFile } from './wordnet.js';

// WordNet files every noun sense under one of 45 lexicographer files; number 18, noun.person,
// holds the nouns for people: occupations, ranks, relations, kinds of people. Its lower-case
// lemmas are those nouns; its capitalised ones are individuals ("Lee", "Einstein", "John"), and
// say which words are also names.
const NOUN_PERSON_FILE = '18';

interface PersonLexicon {
  nouns: ReadonlySet<string>;
  /** Of those, the ones whose sense for a person is their first, or one seen in WordNet's tagged texts. */
  usual: ReadonlySet<string>;
  /** Folded one-word names of individuals. */
  names: ReadonlySet<string>;
  /** Folded capitalised nouns for kinds of people: "american", "democrat", "belgian". */
  kinds: ReadonlySet<string>;
  /** Every lower-case noun of WordNet, of any kind. */
  common: ReadonlySet<string>;
}
let lexicon: PersonLexicon | undefined;

function loadLexicon(): PersonLexicon {
  const data = wordnetFile('data.noun');
  const nouns = new Set<string>();
  const names = new Set<string>();
  const kinds = new Set<string>();
  const common = new Set<string>();
  // A synset line: offset, lexicographer file, "n", word count (hex), then "word lex_id" pairs.
  // An individual's synset points to its class with "@i" (instance of).
  const synset = /^\d{8} (\d\d) n [0-9a-f]{2} ((?:\S+ [0-9a-f] )+)(.*)$/gm;
  for (const m of data.matchAll(synset)) {
    const fields = m[2]!.split(' ');
    if (m[1] !== NOUN_PERSON_FILE) {
      for (let i = 0; i < fields.length - 1; i += 2) if (/^[a-z]+$/.test(fields[i]!)) common.add(fields[i]!);
      continue;
    }
    const individual = m[3]!.includes(' @i ');
    for (let i = 0; i < fields.length - 1; i += 2) {
      const lemma = fields[i]!.replace(/\(\w+\)$/, '');
      if (!/[A-Z]/.test(lemma)) {
        nouns.add(lemma.replace(/_/g, ' '));
        if (/^[a-z]+$/.test(lemma)) common.add(lemma);
      }
      else if (individual && /^[A-Z][a-z]+$/.test(lemma)) names.add(lemma.toLowerCase());
      // Nationals, inhabitants, members, by the ending English gives them ("Belgian", "Texan", "Democrat", "Catholic").
      else if (/^[A-Z][a-z]+(an|ese|ite|ic|crat|ist)$/.test(lemma)) kinds.add(lemma.toLowerCase());
    }
  }
  // index.sense: "lemma%1:18:…:: offset sense_number tag_count" for every noun sense of a person.
  const usual = new Set<string>();
  for (const m of wordnetFile('index.sense').matchAll(/^([^%\n]+)%1:18:\S+ \d{8} (\d+) (\d+)$/gm)) {
    if (m[2] === '1' || m[3] !== '0') usual.add(m[1]!.replace(/_/g, ' '));
  }
  return { nouns, names, kinds, usual, common };
}

/** Whether a folded word (or phrase) is a noun for a person, in the singular: one person's role. */
export function isPersonNoun(norm: string): boolean {
  const { nouns } = (lexicon ??= loadLexicon());
  // WordNet writes "vice president" where a paper may write "Vice-President".
  return nouns.has(norm) || (norm.includes('-') && nouns.has(norm.replace(/-/g, ' ')));
}

/** Whether a folded word is an English common noun ("archives", "crime"), which a lone surname after a title is not. */
export function isCommonNoun(norm: string): boolean {
  return (lexicon ??= loadLexicon()).common.has(norm);
}

/**
 * Whether a folded word is a title before a name: a noun for a person in its usual sense. "Jack"
 * and "John" are nouns for people too, but rarely so: before a surname they are given names.
 */
export function isTitleNoun(norm: string): boolean {
  const { usual } = (lexicon ??= loadLexicon());
  return isPersonNoun(norm) && (usual.has(norm) || usual.has(norm.replace(/-/g, ' ')));
}

/**
 * Whether a folded word names a kind of people ("Russian", "Democrat"; with `plural`, only
 * "Democrats", "Mississippians"). A kind alone is no one's name, though "Norman" can be part of one.
 */
export function isKindOfPeople(norm: string, plural = false): boolean {
  const { kinds } = (lexicon ??= loadLexicon());
  return (!plural && kinds.has(norm)) || (norm.endsWith('s') && kinds.has(norm.slice(0, -1)));
}

/** Whether a folded word is also the name of someone WordNet knows ("john", "king", "walker"). */
export function isAlsoAName(norm: string): boolean {
  return (lexicon ??= loadLexicon()).names.has(norm);
}

// Forms of address that say someone is a person and nothing about what they do. A closed class
// of English, like its articles: not a list of this corpus's words.
const COURTESY = new Set(['mr', 'mrs', 'ms', 'miss', 'mme', 'mmes', 'mlle', 'messrs', 'dr']);

export function isCourtesyTitle(w: Word): boolean {
  return COURTESY.has(w.norm);
}

/**
 * The shape of a title abbreviated before a name: a capitalised word of two to five letters
 * closed by a full stop, then a capitalised word ("Gov. Jane", "Det. Sgt.", "Asst. Dist. Atty.").
 * A single letter with a stop is an initial instead ("J. Harold Price").
 */
export function isAbbreviatedTitle(text: string, w: Word, next: Word | undefined): boolean {
  return (
    next !== undefined &&
    /^\p{Lu}\p{Ll}{1,4}$/u.test(w.raw) &&
    text[w.end] === '.' &&
    /^\.\s+$/.test(text.slice(w.end, next.start)) &&
    /^\p{Lu}/u.test(next.raw)
  );
}

/** "Jr.", "Sr.", "III", "3rd": what may follow a name and is part of it. */
export function isNameSuffix(w: Word): boolean {
  return /^(jr|sr|ii|iii|iv|vi{1,3}|ix|\d+(st|nd|rd|th))$/.test(w.norm);
}
