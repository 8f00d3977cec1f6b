// How news writing introduces people (`introductionsIn`), on sentences written for these tests in
// the patterns newspapers use, and people across a corpus of small articles of our own.
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../src/article.js';
import { Engine } from '../src/engine.js';
import { introductionsIn } from '../src/introductions.js';
import { findPeople, resolvePerson } from '../src/people.js';
import { toTerminal } from '../src/render/terminal.js';
import type { Article } from '../src/types.js';

const article = (id: string, body: string, front = `title: ${id}`): Article => parseArticle(`${id}.md`, `---\n${front}\n---\n${body}\n`);

describe('introductionsIn', () => {
  it.each([
    ['Gov. Jane Roe said the budget would pass.', 'Jane Roe', 'Gov.'],
    ['Lt. Gov. Mark Poe opened the session on Monday.', 'Mark Poe', 'Lt. Gov.'],
    ['Det. Sgt. Ann Carver led the search of the house.', 'Ann Carver', 'Det. Sgt.'],
    ['Asst. Dist. Atty. Paul Vance questioned the witness.', 'Paul Vance', 'Asst. Dist. Atty.'],
    ['Secretary of the Treasury John Doe said rates would rise.', 'John Doe', 'Secretary of the Treasury'],
    ['The late Secretary of State John Foster Dulles was quoted.', 'John Foster Dulles', 'late Secretary of State'],
    ['Police Commissioner Maria Lopez announced the arrests.', 'Maria Lopez', 'Police Commissioner'],
    ['Goalkeeper Tomas Rydberg saved two penalties.', 'Tomas Rydberg', 'Goalkeeper'],
    ['The court heard from defence lawyer Jane Roe on Tuesday.', 'Jane Roe', 'defence lawyer'],
    ['Shipping clerk Dale Ortiz said the crates were late.', 'Dale Ortiz', 'Shipping clerk'],
    ['Senate Majority Leader Carl Brandt said the vote would be close.', 'Carl Brandt', 'Senate Majority Leader'],
    ['The newly elected Ohio Sen. Mark Tower will speak.', 'Mark Tower', 'elected Ohio Sen.'],
    ['County Rep. B. D. Pelham will offer a resolution.', 'B. D. Pelham', 'County Rep.'],
    ['The plan of Vice-President L. B. Carter was approved.', 'L. B. Carter', 'Vice-President'],
  ])('reads a title before the name: %s', (text, name, role) => {
    expect(introductionsIn(text)).toEqual([{ name, role }]);
  });

  it.each([
    ['John Doe, 45, a retired teacher, said the road was unsafe.', 'John Doe', 'a retired teacher'],
    ['Jane Roe, chief defense counsel, objected to the question.', 'Jane Roe', 'chief defense counsel'],
    ['John Doe of Springfield, a partner in the firm, declined to comment.', 'John Doe', 'a partner in the firm'],
    ['Ruth Okonjo, the union’s president, said: “We will not sign.”', 'Ruth Okonjo', 'the union’s president'],
    ['Ray Pike, 23, of 410 Mill Rd., a city bus driver, was hurt.', 'Ray Pike', 'a city bus driver'],
    ['Nora Quist, 61, theatrical agent and singer, died on Friday.', 'Nora Quist', 'theatrical agent and singer'],
    ['The mayor sent for Joe Dey, the executive secretary of the league.', 'Joe Dey', 'the executive secretary of the league'],
    ['Dom Serra, a union organiser who is a cousin of the mayor, testified.', 'Dom Serra', 'a union organiser'],
  ])('reads the apposition after the name, past an age or a place: %s', (text, name, role) => {
    expect(introductionsIn(text)).toEqual([{ name, role }]);
  });

  it.each([
    ['The union’s president, Carla Mendes, said the strike would go on.', 'Carla Mendes', 'The union’s president'],
    ['The jury foreman, Mrs. Edna Rowe, read the verdict.', 'Edna Rowe', 'The jury foreman'],
    ['He paid the money to a known smuggler, Ivo Brenner, 50, last spring.', 'Ivo Brenner', 'smuggler'],
  ])('reads "the ROLE, Name": %s', (text, name, role) => {
    const [found] = introductionsIn(text);
    expect(found?.name).toBe(name);
    expect(found?.role).toContain(role);
  });

  it.each([
    ['The board appointed Helen Marsh as treasurer of the club.', 'Helen Marsh', 'treasurer of the club'],
    ['The council named Walter Hale as its new auditor.', 'Walter Hale', 'its new auditor'],
    ['The governor appointed Ada Lin, his press aide, as Secretary of State.', 'Ada Lin', 'Secretary of State'],
  ])('reads "appointed / named Name as ROLE": %s', (text, name, role) => {
    expect(introductionsIn(text)).toEqual([{ name, role }]);
  });

  it.each([
    ['A. Robert Vance, a banker, testified on Monday.', 'A. Robert Vance'],
    ['J. Harold Price, the bank’s cashier, said it would close.', 'J. Harold Price'],
    ['John Doe Jr., the mayor’s son, was elected.', 'John Doe Jr.'],
    ['Henry Ford III, the company’s chairman, spoke.', 'Henry Ford III'],
    ['Sen. Ann Lowe (D-Ohio) voted against the bill.', 'Ann Lowe'],
    ['Rep. Tom Birch, R-Essex, voted for the bill.', 'Tom Birch'],
  ])('keeps initials and suffixes in the name, and party tags out of it: %s', (text, name) => {
    expect(introductionsIn(text)[0]?.name).toBe(name);
  });

  it('takes no organisation, place, month or list of names for a person', () => {
    const text =
      'The Baltimore and Ohio Railroad said on Monday it would cut pay. In Washington, officials said the plan would fail. ' +
      'Two other cases were heard. The National Archives opened in St. Petersburg, a city of canals.';
    expect(introductionsIn(text)).toEqual([]);
  });

  it('does not read a sentence-ending surname as a title: "… Winthrop G. Brown. Heavy fighting …"', () => {
    expect(introductionsIn('The note was handed to U.S. Ambassador Winthrop G. Brown. Heavy fighting followed.')).toEqual([
      { name: 'Winthrop G. Brown', role: 'U.S. Ambassador' },
    ]);
  });

  it('finds nobody in text of other scripts, and does not fail on it', () => {
    expect(introductionsIn('Путин встретился с Ким Чен Ыном во Владивостоке.')).toEqual([]);
    expect(introductionsIn('김정은 위원장은 블라디보스토크에서 푸틴 대통령을 만났다.')).toEqual([]);
  });

  it('reads a name in another script by the English around it', () => {
    expect(introductionsIn('Ambassador Иван Петров said the talks had gone well.')).toEqual([{ name: 'Иван Петров', role: 'Ambassador' }]);
  });

  it('takes a name with an age after a preposition for a person, without a role', () => {
    expect(introductionsIn('They looked into the affairs of Ben Stone, 47, who collected big fees.')).toEqual([{ name: 'Ben Stone' }]);
  });

  it('takes no list of names, and no square, for an apposition', () => {
    expect(introductionsIn('The winners were Charles Potter, Ronnie Moore, and Robert Bailey of Woodrow Wilson.')).toEqual([]);
    expect(introductionsIn('Crowds filled Lafayette Square, opposite the White House.')).toEqual([]);
  });
});

describe('findPeople across mentions and articles', () => {
  it('gives later "Mr. Doe" and "Doe" mentions to the full name, with the role a later sentence gives', () => {
    const people = findPeople([
      article('harbour', 'Oscar Lind said the tide was high on Monday.\n\nMr. Lind is the harbour master of the port.\n\n“We waited,” Lind said.'),
    ]);
    expect(people.map((p) => [p.name, p.role])).toEqual([['Oscar Lind', 'the harbour master of the port']]);
    expect(people[0]!.mentions.map((m) => m.n)).toEqual([1, 2, 3]);
  });

  it('is one person with each article’s role for the same name with and without a middle initial', () => {
    const people = findPeople([
      article('one', 'Mayor John A. Doe opened the bridge on Monday.'),
      article('two', 'John Doe, the former mayor, said the bridge was late.'),
    ]);
    const doe = people.filter((p) => p.name.includes('Doe'));
    expect(doe.map((p) => p.name)).toEqual(['John A. Doe']);
    expect(doe[0]!.roles).toEqual([
      { articleId: 'one', role: 'Mayor', n: 1 },
      { articleId: 'two', role: 'the former mayor', n: 1 },
    ]);
  });

  it('shows the other articles’ roles on the card', () => {
    const engine = new Engine({
      dir: '.',
      articles: [article('one', 'Mayor John A. Doe opened the bridge on Monday.'), article('two', 'John Doe, the former mayor, said the bridge was late.')],
      warnings: [],
    });
    const card = toTerminal(engine.who('John Doe'));
    expect(card).toContain('Mayor\nAlso: the former mayor');
  });

  it('keeps two spellings apart when two fuller ones could be meant', () => {
    const people = findPeople([
      article('one', 'Judge John A. Doe ruled on Monday.'),
      article('two', 'Judge John B. Doe ruled on Tuesday.'),
      article('three', 'John Doe, a farmer, said it had rained.'),
    ]);
    expect(people.map((p) => p.name).sort()).toEqual(['John A. Doe', 'John B. Doe', 'John Doe']);
  });

  it('makes the author of a byline a person, whose card cites the article', () => {
    const a = parseArticle('river.md', 'River talks resume after long pause\n\nBy Maria Okafor\n\nTalks on the river treaty resumed in the capital on Monday after a pause of two years.\n');
    const engine = new Engine({ dir: '.', articles: [a], warnings: [] });
    const answer = engine.who('Okafor');
    expect(answer.person?.name).toBe('Maria Okafor');
    expect(answer.person?.wrote).toEqual(['river']);
    expect(answer.excerpts[0]?.paragraph).toMatchObject({ articleId: 'river', n: 1 });
  });
});

describe('resolvePerson among several people with one surname, and by role', () => {
  const people = findPeople([
    article('one', 'Tim Larson, a junior at Wilson High School, led the team.\n\nLarson said they had worked hard.'),
    article('two', 'Sydney Larson, a staff representative for the union, said the strike would go on.'),
    article('three', 'The strike was over, Larson said.'),
    article('four', 'Russian Defence Minister Pavel Orlov met Japanese Foreign Minister Ken Sato on Monday.'),
  ]);

  it('gives the card to the best match of what was typed and offers the others', () => {
    const { person, alternatives } = resolvePerson('Sydney Larson', people);
    expect(person?.name).toBe('Sydney Larson');
    expect(alternatives.map((p) => p.name)).toContain('Tim Larson');
  });

  it('never lets a surname-only person outrank a full name', () => {
    const { person, alternatives } = resolvePerson('Larson', people);
    expect(person?.name).toMatch(/^(Tim|Sydney) Larson$/);
    expect(alternatives.map((p) => p.name)).toEqual(expect.arrayContaining(['Tim Larson', 'Sydney Larson'].filter((n) => n !== person?.name)));
  });

  it.each([
    ['the Russian defense minister', 'Pavel Orlov'],
    ['Japan’s foreign minister', 'Ken Sato'],
    ['russia defence minister', 'Pavel Orlov'],
  ])('finds the person the articles give a role: "%s"', (typed, name) => {
    expect(resolvePerson(typed, people).person?.name).toBe(name);
  });
});
