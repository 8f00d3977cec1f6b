// Finding people (`findPeople`) and resolving a typed name (`resolvePerson`), on the seed
// articles and on articles of our own in tests/fixtures/people.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../src/article.js';
import { loadCorpus } from '../src/corpus.js';
import { findPeople, resolvePerson } from '../src/people.js';
import { editDistance } from '../src/text.js';
import type { Person } from '../src/types.js';

const RFERL = 'rferl-1997-russia-north-korea-weaker-basic-treaty';
const KOREA_TIMES = 'korea-times-nk-russia-treaty-concerns-overblown';
const seeds = (await loadCorpus(join(import.meta.dirname, '..', 'corpus'))).articles;
const fixtures = (await loadCorpus(join(import.meta.dirname, 'fixtures', 'people'))).articles;
const people = findPeople(seeds);
const fixturePeople = findPeople(fixtures);

function person(name: string, among: readonly Person[] = people): Person {
  const found = among.find((p) => p.name === name);
  if (!found) throw new Error(`no person "${name}" among ${among.map((p) => p.name).join(', ')}`);
  return found;
}
const refs = (p: Person) => p.mentions.map((m) => `${m.articleId === RFERL ? 'rferl' : m.articleId === KOREA_TIMES ? 'kt' : m.articleId}:${m.n}`);

describe('findPeople on the seed articles', () => {
  it.each([
    ['Grigory Karasin', 'Russian Deputy Foreign Minister'],
    ['Vladimir Putin', 'Russian President'],
    ['Kim Jong-un', 'North Korea’s notorious leader'],
    ['Hyun Seungsoo', 'another analyst at the KINU'],
    ['Cho Han-bum', 'an analyst at the Korea Institute for National Unification (KINU)'],
    ['Chung Eun-sook', 'a Russia expert at the think tank Sejong Institute'],
    ['Igor Rodionov', 'Russian Defense Minister'],
    ['Yukihiko Ikeda', 'Japanese Foreign Minister'],
  ])('gives %s the role the article gives: "%s"', (name, role) => {
    expect(person(name).role).toBe(role);
  });

  it('reads the role set off before a name: Lee In Kyu is the "counterpart"', async () => {
    expect(person('Lee In Kyu').role).toContain('counterpart');
  });

  it('reads a lower-case role before a name: Zbigniew Brzezinski is a "government official"', async () => {
    expect(person('Zbigniew Brzezinski').role).toContain('government official');
  });

  it('cites the paragraph each role was read from', async () => {
    expect(person('Grigory Karasin').roleAt).toEqual({ articleId: RFERL, n: 2 });
    expect(person('Cho Han-bum').roleAt).toEqual({ articleId: KOREA_TIMES, n: 8 });
    expect(person('Kim Jong-un').roleAt).toEqual({ articleId: KOREA_TIMES, n: 4 });
  });

  it('names the author from the front matter, as the author of the article', async () => {
    expect(person('Jung Min-ho').role).toMatch(/^author of “Experts say concerns about new NK-Russia treaty overblown”/);
  });

  it('takes no country, institute, newspaper or newspaper-plus-name for a person', async () => {
    const names = people.map((p) => p.name);
    for (const notAPerson of ['North Korea', 'South Korea', 'Sejong Institute', 'Washington Post', 'Washington Post Brzezinski', 'Korea Times', 'The Korea Times', 'Korea Institute', 'United States', 'Cold War', 'Vostochny Cosmodrome', 'Pyong Yang']) {
      expect(names).not.toContain(notAPerson);
    }
    expect(names.every((n) => !/Korea|Institute|Post|Times|Russia\b/.test(n))).toBe(true);
  });

  it('finds each person once, with their article', async () => {
    const names = people.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(person('Grigory Karasin').articles).toEqual([RFERL]);
    expect(person('Vladimir Putin').articles).toEqual([KOREA_TIMES]);
  });

  it('links later mentions by surname to the person: Karasin in ¶2 and ¶3', async () => {
    expect(refs(person('Grigory Karasin'))).toEqual(['rferl:2', 'rferl:3']);
  });

  it('links "Cho said" and "Putin, they said" to the people introduced earlier', async () => {
    expect(refs(person('Cho Han-bum'))).toEqual(['kt:8', 'kt:9']);
    expect(refs(person('Vladimir Putin'))).toEqual(expect.arrayContaining(['kt:2', 'kt:4', 'kt:5', 'kt:10', 'kt:12']));
  });

  it('links "Kim" alone to Kim Jong-un, including the photo caption', async () => {
    expect(refs(person('Kim Jong-un'))).toEqual(expect.arrayContaining(['kt:4', 'kt:5', 'kt:6', 'kt:10', 'kt:12']));
  });

  it('does not link a surname across articles', async () => {
    for (const p of people) expect(p.mentions.every((m) => p.articles.includes(m.articleId))).toBe(true);
  });
});

describe('resolvePerson on the seed articles', () => {
  it.each([
    ['Karasin', 'Grigory Karasin'],
    ['Karassin', 'Grigory Karasin'],
    ['grigory karasin', 'Grigory Karasin'],
    ['GRIGORY KARASIN', 'Grigory Karasin'],
    ['Karasín', 'Grigory Karasin'],
    ['Lee', 'Lee In Kyu'],
    ['Lee In-kyu', 'Lee In Kyu'],
    ['Hyun Seung-soo', 'Hyun Seungsoo'],
    ['Kim Jong Un', 'Kim Jong-un'],
    ['kim jong-un', 'Kim Jong-un'],
    ['Kim', 'Kim Jong-un'],
    ['Putin', 'Vladimir Putin'],
    ['Brzezinsky', 'Zbigniew Brzezinski'],
    ['Cho', 'Cho Han-bum'],
  ])('resolves "%s" to %s', (typed, name) => {
    expect(resolvePerson(typed, people).person?.name).toBe(name);
  });

  it('resolves "Smith" to nobody and offers the closest names', async () => {
    const { person: found, alternatives } = resolvePerson('Smith', people);
    expect(found).toBeUndefined();
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives.length).toBeLessThanOrEqual(3);
    for (const p of alternatives) expect(people).toContain(p);
  });

  it('resolves nothing from an empty or wordless name', async () => {
    expect(resolvePerson('', people).person).toBeUndefined();
    expect(resolvePerson('?!', people).person).toBeUndefined();
  });
});

describe('findPeople on articles of our own', () => {
  it('finds a person introduced as "Dr. Jane Q. Public, a historian …, said", and later mentions of "Public"', async () => {
    const jane = person('Jane Q. Public', fixturePeople);
    expect(jane.articles).toEqual(['archive-opens']);
    expect(refs(jane)).toEqual(['archive-opens:2', 'archive-opens:3']);
  });

  it('reads a title and a role before a name: Port Commissioner Sarah Lee', async () => {
    const sarah = person('Sarah Lee', fixturePeople);
    expect(sarah.role).toBe('Port Commissioner');
    expect(refs(sarah)).toEqual(['archive-opens:4', 'archive-opens:5']);
  });

  it('finds a person who only speaks ("…," Tom Lee said), with no role', async () => {
    const tom = person('Tom Lee', fixturePeople);
    expect(tom.role).toBeUndefined();
    expect(tom.articles).toEqual(['market-day']);
  });

  it('takes "Senator Smith of Arkansas" for Smith, and not Arkansas for a person', async () => {
    expect(person('Smith', fixturePeople).role).toBe('Senator');
    const names = fixturePeople.map((p) => p.name);
    expect(names.some((n) => n.includes('Arkansas'))).toBe(false);
    expect(resolvePerson('Arkansas', fixturePeople).person).toBeUndefined();
  });

  it.each([
    ['“It was never signed,” Dr. Jane Q. Public, a historian at Example University, said.', 'Jane Q. Public', 'a historian at Example University'],
    ['Mr. John Smith, the mayor of Springfield, said the vote would go ahead.', 'John Smith', 'the mayor of Springfield'],
    ['According to Anna Berg, a researcher at Lund University, the numbers are wrong.', 'Anna Berg', 'a researcher at Lund University'],
    ['The plan was backed by Maria Gonzalez, the city treasurer, who said it would pass.', 'Maria Gonzalez', 'the city treasurer'],
  ])('reads the role from the apposition after a courtesy title or a speech verb: %s', (text, name, role) => {
    const found = findPeople([parseArticle('one.md', `---\ntitle: One\n---\n${text}\n`)]);
    expect(found.map((p) => [p.name, p.role])).toEqual([[name, role]]);
  });

  it('takes no city archive, university or newspaper for a person', async () => {
    const names = fixturePeople.map((p) => p.name);
    expect(names.some((n) => /Example|Gazette|University|Saturday|October/.test(n))).toBe(false);
  });
});

describe('resolvePerson when two people share a surname in different articles', () => {
  it('prefers the one the articles describe, and offers the other', async () => {
    const { person: found, alternatives } = resolvePerson('Lee', fixturePeople);
    expect(found?.name).toBe('Sarah Lee');
    expect(alternatives.map((p) => p.name)).toEqual(['Tom Lee']);
  });

  it('among people described alike, prefers the one mentioned in more paragraphs', async () => {
    const all = findPeople([...seeds, ...fixtures]);
    const { person: found, alternatives } = resolvePerson('Lee', all);
    // Both have a role; Sarah Lee is mentioned in two paragraphs, Lee In Kyu in one.
    expect(found?.name).toBe('Sarah Lee');
    expect(alternatives.map((p) => p.name)).toEqual(expect.arrayContaining(['Lee In Kyu', 'Tom Lee']));
  });

  it('still gives each full name its own person', async () => {
    expect(resolvePerson('Tom Lee', fixturePeople).person?.name).toBe('Tom Lee');
    expect(resolvePerson('sarah lee', fixturePeople).person?.name).toBe('Sarah Lee');
  });
});

describe('editDistance', () => {
  /** The textbook full-table algorithm, to check the three-row one against. */
  function reference(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
    return d[a.length]![b.length]!;
  }

  it('counts a swap of neighbouring letters as one edit', async () => {
    expect(editDistance('karasin', 'karsain')).toBe(1);
    expect(editDistance('karasin', 'karassin')).toBe(1);
    expect(editDistance('', 'lee')).toBe(3);
    expect(editDistance('jones', 'jones')).toBe(0);
  });

  it('agrees with the full-table algorithm', async () => {
    const name = fc.string({ unit: fc.constantFrom(...'abcdeé'), maxLength: 9 });
    fc.assert(fc.property(name, name, (a, b) => editDistance(a, b) === reference(a, b) && editDistance(a, b) === editDistance(b, a)));
  });
});
