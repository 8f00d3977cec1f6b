// The people of a corpus: who each article introduces (introductions.ts reads one paragraph),
// the later mentions of them by one part of the name ("Karasin said", "Mr. Doe"), within the
// article that introduced them, and one person per name across articles.
import { introductionsIn, isNameWord } from './introductions.js';
import { isNameSuffix } from './roles.js';
import { fold, editDistance, isStopword, words, type Word } from './text.js';
import type { Article, Person } from './types.js';

function isCapitalised(w: Word): boolean {
  // Most words are ASCII, and a regular expression per word showed in profiles.
  const c = w.raw.charCodeAt(0);
  return c < 128 ? c >= 65 && c <= 90 : /^\p{Lu}/u.test(w.raw);
}

function isPossessive(w: Word): boolean {
  return /['’]s$/.test(w.raw);
}

/** Words of a phrase are separated by spaces only, or by the stop of "Dr. ", "Gov. " or "J. ". */
function joinsRun(text: string, a: Word, b: Word): boolean {
  const gap = text.slice(a.end, b.start);
  return /^\s+$/.test(gap) || (/^\p{Lu}\p{Ll}{0,4}$/u.test(a.raw) && /^\.\s+$/.test(gap));
}

/** A name as compared: folded, letters only ("Kim Jong-un" → "kimjongun"). */
function nameKey(name: string): string {
  return fold(name).replace(/[^\p{L}\p{N}]/gu, '');
}

function nameParts(name: string): string[] {
  return words(name).map((w) => w.norm.replace(/-/g, ''));
}

/** The parts a later mention may use: the first and the last, leaving out "Jr." and initials. */
function shortForms(name: string): string[] {
  const parts = words(name).filter((w) => !isNameSuffix(w) && w.raw.length > 1).map((w) => w.norm.replace(/-/g, ''));
  return parts.length > 1 ? [...new Set([parts[0]!, parts.at(-1)!])] : [];
}

/** Paragraphs (by number) that mention `name`, in full or, when unambiguous, by its first or last part. */
function mentionsIn(paragraphs: Array<{ key: string; nameWords: Set<string> }>, name: string, ambiguous: ReadonlySet<string>): number[] {
  const key = nameKey(name);
  const short = shortForms(name).filter((p) => p.length >= 3 && !ambiguous.has(p));
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
  /** The article's author, from its byline or front matter. */
  author?: true;
}

/** What one article says about people, and the names and places it uses, for suggestions. */
export interface ArticleFacts {
  people: Introduction[];
  /** Capitalised phrases of two to four words ("North Korea", "Vostochny Cosmodrome"), once each. */
  phrases: string[];
}

/** Whether `short`'s parts appear in `full`'s, in order ("Simpkins" in "Lloyd L. Simpkins", "Joseph Harvey" in "Joseph E. Harvey Jr."). */
function isShorterForm(short: string[], full: string[]): boolean {
  if (short.length >= full.length) return false;
  let at = 0;
  for (const part of full) if (part === short[at]) at++;
  return at === short.length && (short.length > 1 ? short[0] === full[0] : full.includes(short[0]!));
}

/**
 * "Mr. Simpkins" after "Lloyd L. Simpkins", "Joseph Harvey" beside "Joseph E. Harvey Jr.": a
 * shorter form of one fuller name of the same article is that person, its role theirs if they
 * have none. A short form that could be two people stays apart, and without a role it is dropped.
 */
function foldShortForms(introduced: Map<string, Introduction>): void {
  const all = [...introduced].map(([key, intro]) => ({ key, intro, parts: nameParts(intro.name) }));
  for (const short of all) {
    const fuller = all.filter((f) => f !== short && introduced.has(f.key) && isShorterForm(short.parts, f.parts));
    if (fuller.length === 1) {
      const full = fuller[0]!.intro;
      if (!full.role && short.intro.role) Object.assign(full, { role: short.intro.role, ...(short.intro.roleAt && { roleAt: short.intro.roleAt }) });
      introduced.delete(short.key);
    } else if (fuller.length > 1 && !short.intro.role) introduced.delete(short.key);
  }
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
    return introduced.get(key)!;
  };
  if (article.author) add(article.author, `author of “${article.title}”${article.source ? ` (${article.source})` : ''}`).author = true;
  const scanned = article.paragraphs.map((p) => {
    const ws = words(p.text);
    for (const f of introductionsIn(p.text, ws)) add(f.name, f.role, p.n);
    for (const phrase of capitalisedPhrases(p.text, ws)) phrases.add(phrase);
    return { key: nameKey(p.text), nameWords: new Set(ws.filter(isNameWord).map((w) => w.norm.replace(/-/g, ''))) };
  });
  foldShortForms(introduced);
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

/** The key two spellings of one name share: first and last part ("Joseph E. Harvey Jr." → "joseph harvey"). */
function looseKey(name: string): string | undefined {
  const parts = words(name).filter((w) => !isNameSuffix(w) && w.raw.length > 1);
  return parts.length > 1 ? `${parts[0]!.norm} ${parts.at(-1)!.norm}` : undefined;
}

/**
 * Everyone the corpus introduces, one entry per name, merged across articles in corpus order,
 * with each article's role. The same name with and without a middle initial is one person when
 * only one fuller spelling exists ("John Doe" and "John A. Doe", but not with "John B. Doe").
 */
export function mergePeople(articles: ReadonlyArray<{ article: Article; people: readonly Introduction[] }>): Person[] {
  const named = articles.flatMap(({ article, people }) => people.map((f) => ({ article, f, key: nameKey(f.name), loose: looseKey(f.name) })));
  const spellings = new Map<string, Set<string>>();
  for (const { key, loose } of named) if (loose) spellings.set(loose, (spellings.get(loose) ?? new Set()).add(key));
  // Per loose key, the one spelling the others fold into: the longest, when only one is longer than the plain name.
  const canonical = new Map<string, string>();
  for (const [loose, keys] of spellings) {
    const fuller = [...keys].filter((k) => k !== nameKey(loose));
    if (fuller.length === 1) canonical.set(loose, fuller[0]!);
  }
  const byKey = new Map<string, Person>();
  for (const { article, f, key: own, loose } of named) {
    const key = (loose && canonical.get(loose)) ?? own;
    const person = byKey.get(key) ?? { name: f.name, articles: [], mentions: [] };
    if (own === key) person.name = f.name;
    if (f.role) {
      const at = f.roleAt ? { articleId: article.id, n: f.roleAt } : undefined;
      if (!person.role) Object.assign(person, { role: f.role, ...(at && { roleAt: at }) });
      (person.roles ??= []).push({ articleId: article.id, role: f.role, ...(at && { n: at.n }) });
    }
    if (f.author) (person.wrote ??= []).push(article.id);
    if (!person.articles.includes(article.id)) person.articles.push(article.id);
    person.mentions.push(...f.mentions.map((n) => ({ articleId: article.id, n })));
    byKey.set(key, person);
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

/** The words of a role or of a typed role, as compared: folded, small words left out ("the", "of"). */
function roleWords(text: string): string[] {
  return words(text).map((w) => w.norm).filter((w) => !isStopword(w));
}

/** Roles are looked up by their words' first letters: "japan" finds "japanese", "defence" finds "defense". */
const ROLE_PREFIX = 4;

/**
 * Whether a typed word means a role's word: the same, one the start of the other ("Japan's" and
 * "Japanese", "Russia" and "Russian"), or a spelling apart ("defence", "defense").
 */
function sameRoleWord(typed: string, word: string): boolean {
  if (typed === word) return true;
  if (Math.min(typed.length, word.length) >= ROLE_PREFIX && (word.startsWith(typed) || typed.startsWith(word))) return true;
  return typed.length >= 6 && near(typed, word);
}

/** One word's name or one word's role is no name: a surname alone never outranks a full name with it. */
const LONE_PART_SCORE = 79;

/**
 * People indexed by their names' parts, so a typed name is compared with the few people it can
 * mean rather than with everyone; only a name nobody has (a typo) is compared with all. Roles are
 * indexed too, so "/who the Russian defense minister" finds the person the articles call that.
 */
export class PeopleIndex {
  /** Each person with their name's forms, computed once: a typo is compared with every name. */
  readonly #forms: Named[];
  readonly #byPart = new Map<string, Named[]>();
  // Built on the first role asked for: most questions are names, and start-up should not wait.
  #byRoleWord?: Map<string, Person[]>;

  constructor(readonly people: readonly Person[]) {
    this.#forms = people.map((person) => ({ person, name: nameForms(person.name) }));
    for (const named of this.#forms) for (const part of new Set([named.name.key, ...named.name.parts])) addTo(this.#byPart, part, named);
  }

  /**
   * The person a typed name means, or failing a good name match, the person a typed role
   * describes. Among equally good matches (two people called Lee), the one the corpus says more
   * about wins: described with a role, then mentioned in more paragraphs.
   */
  resolve(query: string): PersonMatch {
    const typed = nameForms(query);
    const exact = new Set([typed.key, ...typed.parts].flatMap((part) => this.#byPart.get(part) ?? []));
    const scored = [...(exact.size ? exact : this.#forms)]
      .map(({ person, name }) => ({ person, score: name.parts.length > 1 ? matchScore(typed, name) : Math.min(LONE_PART_SCORE, matchScore(typed, name)) }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || prominence(b.person) - prominence(a.person));
    const byRole = scored[0] && scored[0].score >= 80 ? [] : this.#byRole(query);
    if (byRole.length > 0) return { person: byRole[0], alternatives: [...byRole.slice(1), ...scored.map((s) => s.person)].slice(0, 5) };
    if (scored.length > 0) {
      const [best, ...rest] = scored;
      // "Did you mean": close matches, then others who share a part of the name ("Tim Larson" for "Sydney Larson").
      const sharing = [...exact].map((n) => n.person).filter((p) => !scored.some((s) => s.person === p)).sort((a, b) => prominence(b) - prominence(a));
      return { person: best!.person, alternatives: [...rest.filter((s) => s.score >= 50).map((s) => s.person), ...sharing].slice(0, 5) };
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

  /** The person of exactly this name (as names are compared), if there is one. */
  named(name: string): Person | undefined {
    const key = nameKey(name);
    return this.#byPart.get(key)?.find((n) => n.name.key === key)?.person;
  }

  /** People one of whose roles has every word typed (two words at least), the closest role first. */
  #byRole(query: string): Person[] {
    const typed = roleWords(query);
    if (typed.length < 2) return [];
    if (!this.#byRoleWord) {
      this.#byRoleWord = new Map();
      for (const person of this.people) for (const { role } of person.roles ?? []) for (const w of roleWords(role)) addTo(this.#byRoleWord, w.slice(0, ROLE_PREFIX), person);
    }
    const byRoleWord = this.#byRoleWord;
    const candidates = new Set(typed.flatMap((w) => byRoleWord.get(w.slice(0, ROLE_PREFIX)) ?? []));
    const fit = (p: Person) =>
      Math.min(...(p.roles ?? []).map(({ role }) => {
        const ws = roleWords(role);
        return typed.every((t) => ws.some((w) => sameRoleWord(t, w))) ? ws.length - typed.length : Infinity;
      }));
    return [...candidates]
      .map((person) => ({ person, extra: fit(person) }))
      .filter((c) => c.extra < Infinity)
      .sort((a, b) => a.extra - b.extra || prominence(b.person) - prominence(a.person))
      .map((c) => c.person);
  }
}

/** Adds `value` to the list under `key`, once if it was just added. */
function addTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list.at(-1) !== value) list.push(value);
}

/** How much the corpus says about a person: a role first, then the paragraphs naming them. */
function prominence(p: Person): number {
  return (p.role ? 1 : 0) * 1000 + p.mentions.length;
}

/** One person from two shelves' entries for the same name: the first's role first, both's articles. */
function joined(a: Person, b: Person): Person {
  const role = a.role ? a : b;
  const roles = [...(a.roles ?? []), ...(b.roles ?? [])];
  const wrote = [...(a.wrote ?? []), ...(b.wrote ?? [])];
  return {
    name: a.name,
    ...(role.role && { role: role.role }),
    ...(role.roleAt && { roleAt: role.roleAt }),
    ...(roles.length && { roles }),
    ...(wrote.length && { wrote }),
    articles: [...a.articles, ...b.articles],
    mentions: [...a.mentions, ...b.mentions],
  };
}

/**
 * Everyone two shelves introduce (the shared corpus's and a server's), as one list: a name both
 * have is one person with both's articles. Made when asked, so the shared corpus's people are
 * never copied per server.
 */
export function unitePeople(first: PeopleIndex, second: PeopleIndex): Person[] {
  const twins = new Map<Person, Person>();
  const alone = second.people.filter((p) => {
    const twin = first.named(p.name);
    if (twin) twins.set(twin, joined(twin, p));
    return !twin;
  });
  return [...(twins.size ? first.people.map((p) => twins.get(p) ?? p) : first.people), ...alone];
}

/**
 * The person a typed name or role means among several shelves' people: each shelf's candidates,
 * joined with their namesakes on the others, compared as if they were one index's.
 */
export function resolveAcross(query: string, indexes: readonly PeopleIndex[]): PersonMatch {
  if (indexes.length === 1) return indexes[0]!.resolve(query);
  const [first, second] = indexes as [PeopleIndex, PeopleIndex];
  const candidates = new Map<string, Person>();
  for (const { person, alternatives } of indexes.map((ix) => ix.resolve(query))) {
    for (const p of person ? [person, ...alternatives] : alternatives) {
      const key = nameKey(p.name);
      if (candidates.has(key)) continue;
      const [a, b] = [first.named(p.name), second.named(p.name)];
      candidates.set(key, a && b ? joined(a, b) : p);
    }
  }
  return new PeopleIndex([...candidates.values()]).resolve(query);
}

export function resolvePerson(query: string, people: readonly Person[]): PersonMatch {
  return new PeopleIndex(people).resolve(query);
}
