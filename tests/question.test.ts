// What a question asks for, and what WordNet relates to its words: the two readings of a
// question beyond its words as typed.
import { describe, expect, it } from 'vitest';
import { nounKind, relatedWords } from '../src/lexicon.js';
import { asked, kindSpans } from '../src/question.js';

describe('asked', () => {
  it.each([
    ['Who signed the treaty?', { kind: 'person' }],
    ['To whom did the Virgin Mary appear?', { kind: 'person' }],
    ['When was the treaty abrogated?', { kind: 'date' }],
    ['In what year was the college founded?', { kind: 'date', noun: 'year' }],
    ['Which century saw the first fire?', { kind: 'date', noun: 'century' }],
    ['How many students attend?', { kind: 'number' }],
    ['How much oil does Russia sell?', { kind: 'number' }],
    ['Students who entered the Hall of Fame: how many?', { kind: 'number' }],
    ['Where did Putin and Kim meet?', { kind: 'place' }],
    ['Which city hosts the headquarters?', { kind: 'place', noun: 'city' }],
    ['Which president founded the college?', { kind: 'person', noun: 'president' }],
  ])('reads "%s" as asking for %o', (query, expected) => {
    expect(asked(query)).toEqual(expected);
  });

  it('asks for nothing in particular when the question words do not say', () => {
    for (const query of ['What did Karasin say about the treaty?', 'talks on June 16', 'Why must Pyongyang accept aid?', 'Which hall houses the college?', '', 'what __proto__ is', 'which hasOwnProperty']) {
      expect(asked(query), query).toBeUndefined();
    }
  });
});

describe('kindSpans', () => {
  const spans = (text: string, kind: Parameters<typeof kindSpans>[1]) => kindSpans(text, kind).map(([s, e]) => text.slice(s, e));

  it('finds dates, numbers, names and places as written', () => {
    expect(spans('It was abrogated in 1996, after talks on June 16 and in the 1920s.', 'date')).toEqual(expect.arrayContaining(['1996', 'June 16', '1920s']));
    expect(spans('It held 12,179 students, 20% of them graduates, and ten thousand volumes.', 'number')).toEqual(expect.arrayContaining(['12,179', '20%', 'ten', 'thousand']));
    expect(spans('Prior to the talks Russian Deputy Foreign Minister Grigory Karasin said so.', 'person')).toContain('Russian Deputy Foreign Minister Grigory Karasin');
    expect(spans('Its headquarters are in Rome, and it met at the Vostochny Cosmodrome.', 'place')).toEqual(['Rome', 'Vostochny Cosmodrome']);
  });
});

describe('relatedWords (WordNet 3.1)', () => {
  it('gives the derived forms Porter stems cannot join', () => {
    expect(relatedWords('intervention').derived).toContain('intervene');
    expect(relatedWords('abrogated').derived).toContain('abrogation');
    expect(relatedWords('militarily').derived).toContain('military');
  });

  it('gives the synonyms of a word’s commonest sense only', () => {
    expect(relatedWords('weapons').synonyms).toContain('arm');
    expect(relatedWords('forbid').synonyms).toContain('prohibit');
    // "arm" in its commonest sense is the limb, not the weapon.
    expect(relatedWords('arm').synonyms).not.toContain('weapon');
  });

  it('leaves out the word itself, its lemmas and phrases, and knows nothing of what WordNet lacks', () => {
    const { derived, synonyms } = relatedWords('weapons');
    expect([...derived, ...synonyms]).not.toContain('weapon');
    expect([...derived, ...synonyms].some((w) => w.includes('_') || w.includes(' '))).toBe(false);
    expect(relatedWords('pyongyang')).toEqual({ derived: [], synonyms: [] });
    expect(relatedWords('')).toEqual({ derived: [], synonyms: [] });
  });
});

describe('nounKind', () => {
  it('reads what a noun names from its WordNet file', () => {
    expect(nounKind('year')).toBe('time');
    expect(nounKind('cities')).toBe('place');
    expect(nounKind('president')).toBe('person');
    expect(nounKind('hall')).toBeUndefined();
    expect(nounKind('zzzz')).toBeUndefined();
  });
});
