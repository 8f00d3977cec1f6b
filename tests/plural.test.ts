import { describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import { plural } from '../src/plural.js';
import { countLine } from '../src/render/citation.js';

describe('plural', () => {
  it('agrees with its count', () => {
    expect([0, 1, 2].map((n) => plural(n, 'article'))).toEqual(['0 articles', '1 article', '2 articles']);
    expect(plural(1, 'person', 'people')).toBe('1 person');
    expect(plural(3, 'person', 'people')).toBe('3 people');
  });

  it('makes every count a reader sees agree, "the 1 article" among them', () => {
    const engine = new Engine({
      dir: '/nowhere',
      warnings: [],
      articles: [{ id: 'a', title: 'A note', file: 'a.md', paragraphs: [{ articleId: 'a', n: 1, text: 'Nothing about anyone here.', kind: 'body' }] }],
    });
    expect(engine.who('Karasin').notice).toBe('No one called “Karasin” appears in the 1 article.');
    expect(countLine(1, 'matching paragraph')).toBe('1 matching paragraph');
    expect(countLine(1, 'claim')).toBe('1 claim');
  });
});
