// Finding the people an article talks about, by the way news writing introduces them:
//   a title or role before the name   "Russian Deputy Foreign Minister Grigory Karasin"
//   an apposition after it            "Cho Han-bum, an analyst at the Korea Institute …"
//   a role set off before it          "his North Korean counterpart, Lee In Kyu, began"
//   a speech verb                     "… , Jane Doe said."
// then following later mentions by one part of the name ("Karasin said", "Cho said"), within the
// article that introduced them. There is no list of people, only of words that name roles.
import { fold, editDistance, isStopword, words, type Word } from './text.js';
import type { Article, Person } from './types.js';

const ROLE_NOUNS = new Set(
  (
    'president minister official analyst expert leader secretary ambassador envoy spokesman spokeswoman ' +
    'spokesperson chairman chairwoman chair director general admiral colonel commander premier chancellor ' +
    'king queen prince princess emperor senator congressman congresswoman representative governor mayor judge ' +
    'justice professor researcher scholar fellow economist historian diplomat counterpart correspondent reporter ' +
    'editor writer author columnist journalist founder chief head adviser advisor aide negotiator lawmaker ' +
    'legislator politician officer lieutenant captain sergeant dean bishop pope cardinal pastor doctor ceo ' +
    'executive manager candidate nominee delegate attorney lawyer prosecutor sheriff coach scientist engineer ' +
    'physician teacher commissioner superintendent councilman councilwoman speaker strategist specialist ' +
    'researcher observer commentator dictator ruler monarch vice-president policeman patrolman detective ' +
    'treasurer clerk auditor comptroller inspector consul minister-counselor attache principal curator ' +
    'archbishop rabbi imam priest sheikh ayatollah marshal brigadier major activist organizer organiser'
  ).split(' '),
);
const TITLES = new Set('mr mrs ms miss dr prof gen col lt sgt capt gov sen rep rev sir lord lady dame'.split(' '));
/** Lower-case words that can stand inside a role phrase before its head ("former ranking … official"). */
const MODIFIERS = new Set(
  (
    'former ranking senior junior deputy vice acting chief top government foreign defense defence state prime ' +
    'first assistant associate executive managing national security military trade finance economic political ' +
    'party opposition presidential then longtime veteran special interim supreme regional local city county ' +
    'federal provincial news research policy'
  ).split(' '),
);
// Words that head the names of places and organisations, never of people.
const NOT_NAMES = new Set(
  (
    'north south east west northern southern eastern western central upper lower new saint ' +
    'institute university college school times post news journal herald tribune gazette press agency ' +
    'council committee commission ministry department office bureau party union association federation ' +
    'company corporation corp inc bank group center centre foundation court house senate congress ' +
    'parliament assembly republic kingdom states nations army navy force forces church hospital ' +
    'county city jury club society league team hotel airlines corps ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april june july ' +
    'august september october november december'
  ).split(' '),
);
const SPEECH_AFTER = /^\s*,?\s*(said|says|told|added|wrote)\b/;
const SPEECH_BEFORE = /\b(said|says|according to|told)\s*$/i;

function isRoleWord(w: Word): boolean {
  return ROLE_NOUNS.has(w.norm) || TITLES.has(w.norm);
}

function isCapitalised(w: Word): boolean {
  return /^\p{Lu}/u.test(w.raw);
}

/** "U. S.", "UN": stands for a name even when its letters spell a small word. */
function isAbbreviation(w: Word): boolean {
  return /^(\p{Lu}\.?\s?){2,}$/u.test(w.raw);
}

function isPossessive(w: Word): boolean {
  return /['’]s$/.test(w.raw);
}

/** A name word: "Karasin", "Jong-un", "In", an initial; not an acronym like "KINU" or "U. S.". */
function isNameWord(w: Word): boolean {
  return /^\p{Lu}(\p{Ll}|['’-]\p{L}|$)/u.test(w.raw) && !isAbbreviation(w) && !NOT_NAMES.has(w.norm);
}

/** Words of one name or title run are separated by spaces only, or by the dot of "Dr. " or "J. ". */
function joinsRun(text: string, a: Word, b: Word): boolean {
  const gap = text.slice(a.end, b.start);
  return /^\s+$/.test(gap) || ((TITLES.has(a.norm) || /^\p{Lu}$/u.test(a.raw)) && /^\.\s+$/.test(gap));
}

interface Found {
  name: string;
  role?: string;
}

/**
 * The role phrase ending at word `head`: the head and, before it, capitalised words and role
 * modifiers, back to the first word that is neither (or to punctuation).
 */
function rolePhrase(text: string, ws: Word[], head: number): string {
  let start = head;
  while (start > 0) {
    const prev = ws[start - 1]!;
    if (!/^\s+$/.test(text.slice(prev.end, ws[start]!.start))) break;
    if (!(isCapitalised(prev) || MODIFIERS.has(prev.norm) || ROLE_NOUNS.has(prev.norm))) break;
    if (isStopword(prev.norm) && !isAbbreviation(prev)) break;
    start--;
  }
  return text.slice(ws[start]!.start, ws[head]!.end);
}

/** The apposition after a comma at `from`: up to the next comma or sentence end, brackets kept whole. */
function appositionAt(text: string, from: number): string {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth <= 0 && (/[,;:!?"“”—–]/.test(c) || text.startsWith('--', i))) return text.slice(from, i).trim();
    else if (depth <= 0 && c === '.' && !/(^|\s)\p{Lu}$/u.test(text.slice(from, i)) && /^(\s|$)/.test(text.slice(i + 1))) {
      return text.slice(from, i).trim();
    }
  }
  return text.slice(from).trim();
}

/** An apposition describes a person when its head noun (before any "at", "of" …) is a role. */
function describesPerson(phrase: string): boolean {
  const ws = words(phrase);
  if (ws.length === 0 || ws.length > 16) return false;
  const first = ws[0]!;
  const opensNounPhrase = /^(a|an|the|another|one|his|her|their|its)$/.test(first.norm) || isCapitalised(first) || MODIFIERS.has(first.norm) || ROLE_NOUNS.has(first.norm);
  if (!opensNounPhrase) return false;
  const prep = ws.findIndex((w, i) => i > 0 && /^(at|of|for|in|with|from|on|to|and)$/.test(w.norm));
  const head = ws[(prep > 0 ? prep : ws.length) - 1]!;
  return ROLE_NOUNS.has(head.norm);
}

/** People introduced in one paragraph, given its words. */
function findInParagraph(text: string, ws: Word[]): Found[] {
  const found: Found[] = [];
  let i = 0;
  while (i < ws.length) {
    if (!isCapitalised(ws[i]!)) {
      i++;
      continue;
    }
    // A run of capitalised words joined by spaces only; a possessive ends it.
    let end = i + 1;
    while (end < ws.length && !isPossessive(ws[end - 1]!) && isCapitalised(ws[end]!) && joinsRun(text, ws[end - 1]!, ws[end]!)) end++;
    const run = ws.slice(i, end);
    const lastRole = run.findLastIndex(isRoleWord);
    let nameStart = lastRole + 1;
    while (nameStart < run.length && isStopword(run[nameStart]!.norm)) nameStart++;
    const name = run.slice(nameStart);
    const person = name.length > 0 && name.length <= 4 && name.every(isNameWord) && describe(text, ws, i, end, lastRole >= 0 ? i + lastRole : -1, nameStart > 0);
    if (person) found.push({ name: text.slice(name[0]!.start, name.at(-1)!.end).replace(/['’]s$/, ''), ...person });
    i = end;
  }
  return found;
}

/**
 * Why the words `ws[from..to)` (a name, possibly after a title at `titleAt`) are a person, and
 * their role; undefined when nothing says so.
 */
function describe(text: string, ws: Word[], from: number, to: number, titleAt: number, hasTitle: boolean): { role?: string } | undefined {
  // Only the words just before the name matter; a short window keeps this linear.
  const before = text.slice(Math.max(0, ws[from]!.start - 40), ws[from]!.start);
  const after = text.slice(ws[to - 1]!.end);
  const prev = ws[from - 1];
  const nameLength = to - from;
  // "Senator Fulbright of Arkansas, chairman of …": after these, a capitalised word is a place.
  if (!hasTitle && /\b(of|in|at|from|to|near|into|for)\s+$/i.test(before) && !SPEECH_BEFORE.test(before)) return undefined;
  // "Russian Deputy Foreign Minister Grigory Karasin"; a courtesy title ("Dr.") says only that
  // this is a person, so an apposition after the name may still give the role.
  const titled = hasTitle && titleAt >= 0;
  if (titled && !TITLES.has(ws[titleAt]!.norm)) return { role: rolePhrase(text, ws, titleAt) };
  // "… government official Zbigniew Brzezinski": a lower-case role just before the name.
  if (prev && ROLE_NOUNS.has(prev.norm) && /^\s+$/.test(text.slice(prev.end, ws[from]!.start))) {
    return { role: rolePhrase(text, ws, from - 1) };
  }
  // "Chung Eun-sook, a Russia expert at …"
  const comma = /^,\s+/.exec(after);
  if (comma) {
    const phrase = appositionAt(after, comma[0].length);
    if (describesPerson(phrase)) return { role: phrase };
  }
  // "his North Korean counterpart, Lee In Kyu, began"
  if (prev && ROLE_NOUNS.has(prev.norm) && /^\s*,\s*$/.test(text.slice(prev.end, ws[from]!.start)) && /^\s*[,.]/.test(after)) {
    return { role: rolePhrase(text, ws, from - 1) };
  }
  // "… in the Washington Post Brzezinski said" is a newspaper, not a person: names take no article.
  // A name that speaks starts a sentence or clause ("… ,” Jane Doe said"), unlike "the think tank
  // Sejong Institute, said" or "in the Washington Post Brzezinski said".
  const opensClause = /(^|[.,;:!?"“”(—–-])\s*$/.test(before) || SPEECH_BEFORE.test(before);
  if (titled || (nameLength >= 2 && opensClause && (SPEECH_AFTER.test(after) || SPEECH_BEFORE.test(before)))) return {};
  return undefined;
}

/** A name as compared: folded, letters only ("Kim Jong-un" → "kimjongun"). */
function nameKey(name: string): string {
  return fold(name).replace(/[^\p{L}\p{N}]/gu, '');
}

function nameParts(name: string): string[] {
  return words(name).map((w) => w.norm.replace(/-/g, ''));
}

/** Paragraphs (by number) that mention `name`, in full or, when unambiguous, by its first or last part. */
function mentionsIn(paragraphs: Array<{ key: string; nameWords: Set<string> }>, name: string, ambiguous: ReadonlySet<string>): number[] {
  const key = nameKey(name);
  const parts = nameParts(name);
  const short = [parts[0]!, parts.at(-1)!].filter((p) => p.length >= 3 && !ambiguous.has(p));
  return paragraphs.flatMap((p, i) => (p.key.includes(key) || short.some((s) => p.nameWords.has(s)) ? [i + 1] : []));
}

/** A person as one article introduces them; plain data, so it can be cached with the article. */
export interface Introduction {
  name: string;
  role?: string;
  /** Paragraph number where the role is given. */
  roleAt?: number;
  /** Paragraph numbers that mention them. */
  mentions: number[];
}

/** What one article says about people, and the names and places it uses, for suggestions. */
export interface ArticleFacts {
  people: Introduction[];
  /** Capitalised phrases of two to four words ("North Korea", "Vostochny Cosmodrome"), once each. */
  phrases: string[];
}

/** The people one article introduces (in order of first appearance), and its key phrases. */
export function articleFacts(article: Article): ArticleFacts {
  const introduced = new Map<string, Introduction>();
  const phrases = new Set<string>();
  const add = (name: string, role: string | undefined, at?: number) => {
    const key = nameKey(name);
    const known = introduced.get(key);
    if (!known) introduced.set(key, { name, mentions: [], ...(role && { role }), ...(role && at && { roleAt: at }) });
    else if (!known.role && role) Object.assign(known, { role, ...(at && { roleAt: at }) });
  };
  if (article.author) add(article.author, `author of “${article.title}”${article.source ? ` (${article.source})` : ''}`);
  const scanned = article.paragraphs.map((p) => {
    const ws = words(p.text);
    for (const f of findInParagraph(p.text, ws)) add(f.name, f.role, p.n);
    for (const phrase of capitalisedPhrases(p.text, ws)) phrases.add(phrase);
    return { key: nameKey(p.text), nameWords: new Set(ws.filter(isNameWord).map((w) => w.norm.replace(/-/g, ''))) };
  });
  // A part shared by two people of the article ("Kim") cannot stand for either.
  const partCounts = new Map<string, number>();
  for (const { name } of introduced.values()) for (const part of new Set(nameParts(name))) partCounts.set(part, (partCounts.get(part) ?? 0) + 1);
  const ambiguous = new Set([...partCounts].filter(([, n]) => n > 1).map(([p]) => p));
  for (const person of introduced.values()) person.mentions = mentionsIn(scanned, person.name, ambiguous);
  return { people: [...introduced.values()], phrases: [...phrases] };
}

/** Runs of two to four capitalised words, not opening with a small word ("The", "But"). */
function capitalisedPhrases(text: string, ws: Word[]): string[] {
  const out: string[] = [];
  let run: Word[] = [];
  const flush = () => {
    while (run.length && isStopword(run[0]!.norm)) run.shift();
    if (run.length >= 2 && run.length <= 4) out.push(text.slice(run[0]!.start, run.at(-1)!.end).replace(/['’]s$/, ''));
    run = [];
  };
  for (const w of ws) {
    const prev = run.at(-1);
    if (isCapitalised(w) && (!prev || (!isPossessive(prev) && joinsRun(text, prev, w)))) run.push(w);
    else {
      flush();
      if (isCapitalised(w)) run.push(w);
    }
  }
  flush();
  return out;
}

/** Everyone the corpus introduces, one entry per full name, merged across articles in corpus order. */
export function mergePeople(articles: ReadonlyArray<{ article: Article; people: readonly Introduction[] }>): Person[] {
  const byKey = new Map<string, Person>();
  for (const { article, people } of articles) {
    for (const f of people) {
      const key = nameKey(f.name);
      const person = byKey.get(key) ?? { name: f.name, articles: [], mentions: [] };
      if (!person.role && f.role) {
        person.role = f.role;
        if (f.roleAt) person.roleAt = { articleId: article.id, n: f.roleAt };
      }
      person.articles.push(article.id);
      person.mentions.push(...f.mentions.map((n) => ({ articleId: article.id, n })));
      byKey.set(key, person);
    }
  }
  return [...byKey.values()];
}

export function findPeople(articles: readonly Article[]): Person[] {
  return mergePeople(articles.map((article) => ({ article, people: articleFacts(article).people })));
}

/** A name as it is compared: folded whole, and its parts. */
interface NameForms {
  key: string;
  parts: string[];
}

interface Named {
  person: Person;
  name: NameForms;
}

function nameForms(name: string): NameForms {
  return { key: nameKey(name), parts: nameParts(name) };
}

/** How many typing mistakes a name part of this length may have. */
function tolerance(typed: string): number {
  return typed.length >= 8 ? 2 : typed.length >= 4 ? 1 : 0;
}

/** Whether `typed` is `name` mistyped. Edit distance is the costly part, needless when the lengths alone rule a typo out. */
function near(typed: string, name: string): boolean {
  return Math.abs(typed.length - name.length) <= tolerance(typed) && editDistance(typed, name) <= tolerance(typed);
}

/**
 * How well a typed name matches a person's: 0 for not at all, higher is better. Exact beats
 * misspelt, the whole name beats one part of it, and several right parts beat one.
 */
function matchScore(query: NameForms, name: NameForms): number {
  const { key: q, parts: qParts } = query;
  if (!q) return 0;
  if (q === name.key) return 100;
  const partScores = qParts.map((qp): number => (name.parts.includes(qp) ? 1 : name.parts.some((p) => near(qp, p)) ? 0.7 : 0));
  const allParts = qParts.length > 0 && partScores.every((s) => s > 0);
  if (allParts && partScores.every((s) => s === 1)) return 80 + Math.min(15, 5 * (qParts.length - 1));
  if (near(q, name.key)) return 78 - 4 * editDistance(q, name.key);
  if (allParts) return 50 + 30 * (partScores.reduce((a, b) => a + b, 0) / qParts.length);
  return 0;
}

export interface PersonMatch {
  person?: Person;
  /** Others the name could mean (same surname), or the closest names when nothing matched. */
  alternatives: Person[];
}

/**
 * People indexed by their names' parts, so a typed name is compared with the few people it can
 * mean rather than with everyone; only a name nobody has (a typo) is compared with all.
 */
export class PeopleIndex {
  /** Each person with their name's forms, computed once: a typo is compared with every name. */
  readonly #forms: Named[];
  readonly #byPart = new Map<string, Named[]>();

  constructor(readonly people: readonly Person[]) {
    this.#forms = people.map((person) => ({ person, name: nameForms(person.name) }));
    for (const named of this.#forms) {
      for (const part of new Set([named.name.key, ...named.name.parts])) {
        const list = this.#byPart.get(part);
        if (list) list.push(named);
        else this.#byPart.set(part, [named]);
      }
    }
  }

  /**
   * The person a typed name means. Among equally good matches (two people called Lee), the one
   * the corpus says more about wins: described with a role, then mentioned in more paragraphs.
   */
  resolve(query: string): PersonMatch {
    const typed = nameForms(query);
    const exact = new Set([typed.key, ...typed.parts].flatMap((part) => this.#byPart.get(part) ?? []));
    const prominence = (p: Person) => (p.role ? 1 : 0) * 1000 + p.mentions.length;
    const scored = [...(exact.size ? exact : this.#forms)]
      .map(({ person, name }) => ({ person, score: matchScore(typed, name) }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || prominence(b.person) - prominence(a.person));
    if (scored.length > 0) {
      const [best, ...rest] = scored;
      return { person: best!.person, alternatives: rest.filter((s) => s.score >= 50).slice(0, 5).map((s) => s.person) };
    }
    const q = typed.key;
    const distance = (name: NameForms) => Math.min(...[name.key, ...name.parts].map((p) => (Math.abs(p.length - q.length) > 3 ? 99 : editDistance(q, p))));
    const closest = this.#forms
      .map(({ person, name }) => ({ person, d: distance(name) }))
      .filter((c) => c.d < 99)
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((c) => c.person);
    return { alternatives: closest };
  }
}

export function resolvePerson(query: string, people: readonly Person[]): PersonMatch {
  return new PeopleIndex(people).resolve(query);
}
