// Relative dates (`findRelativeDates`), the treaty timeline built from them, and what /treaty
// counts as being about a treaty, on the seed articles and on small articles of our own.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../src/article.js';
import { loadCorpus } from '../src/corpus.js';
import { findRelativeDates } from '../src/dates.js';
import { Engine } from '../src/engine.js';
import type { Article } from '../src/types.js';
import { asKind } from './answers.js';

const seeds = await loadCorpus(join(import.meta.dirname, '..', 'corpus'));
const article = (id: string, body: string, date?: string): Article =>
  parseArticle(`${id}.md`, `---\ntitle: ${id}\n${date ? `date: ${date}\n` : ''}---\n${body}\n`);
const engineOf = (...articles: Article[]) => new Engine({ dir: '.', articles, warnings: [] });

describe('findRelativeDates', () => {
  // 20 June 1997 was a Friday.
  it.each([
    ['Three days ago the talks ended.', 'Three days ago', '1997-06-17'],
    ['The pact was signed two weeks ago.', 'two weeks ago', '1997-06-06'],
    ['It was ratified on Monday.', 'on Monday', '1997-06-16'],
    ['They met last Friday.', 'last Friday', '1997-06-13'],
    ['They will meet next Tuesday.', 'next Tuesday', '1997-06-24'],
    ['It lapsed last month.', 'last month', '1997-05'],
    ['It expired earlier this year.', 'earlier this year', '1997'],
    ['It was renewed last year.', 'last year', '1996'],
    ['Yesterday the envoy left.', 'Yesterday', '1997-06-19'],
    ['The alliance was formed ten years ago.', 'ten years ago', '1987'],
  ])('resolves "%s" against an article of 20 June 1997', (text, words, iso) => {
    expect(findRelativeDates(text, '1997-06-20')).toEqual([{ iso, index: text.indexOf(words), length: words.length, words }]);
  });

  it('resolves nothing without the article’s date, and only what its precision allows', () => {
    expect(findRelativeDates('Three days ago, last month and on Monday.', undefined)).toEqual([]);
    expect(findRelativeDates('Three days ago, last month, earlier this year.', '1997').map((r) => r.iso)).toEqual(['1997']);
    expect(findRelativeDates('Three days ago and last month.', '1997-06').map((r) => r.iso)).toEqual(['1997-05']);
  });
});

describe('the treaty timeline', () => {
  it('places "three days ago" in the RFE/RL article of 20 June 1997 on 17 June 1997, quoting the words', () => {
    const events = asKind(new Engine(seeds).treaty(), 'timeline').events;
    const relative = events.find((e) => e.date === '1997-06-17');
    expect(relative?.label).toBe('17 June 1997 (“Three days ago”)');
    const [from, to] = relative!.excerpt.highlights[0]!;
    expect(relative!.excerpt.text.slice(from, to)).toBe('Three days ago');
  });

  it('never guesses a date for an article without one', () => {
    const events = asKind(engineOf(article('undated', 'The treaty was signed three days ago, on Monday, the ministers said.')).treaty(), 'timeline').events;
    expect(events).toEqual([]);
  });

  it('covers signings, ratifications, abrogations, expiries, declarations, memoranda, summits and visits', () => {
    const a = article(
      'story',
      [
        'The two states signed a friendship treaty on 3 March 1990.',
        'Parliament ratified it on 4 May 1990, and it was abrogated in 1996.',
        'Their memorandum of understanding expired last month.',
        'A joint declaration followed the summit on Monday.',
        'The foreign minister’s visit two weeks ago prepared the talks.',
      ].join('\n\n'),
      '2024-06-20',
    );
    const engine = engineOf(a);
    const labels = [0, 1].flatMap((page) => asKind(engine.treaty('', { page }), 'timeline').events).map((e) => e.label);
    expect(labels).toEqual(['3 March 1990', '4 May 1990', '1996', 'May 2024 (“last month”)', '6 June 2024 (“two weeks ago”)', '17 June 2024 (“on Monday”)']);
  });
});

describe('/treaty on declarations and memoranda', () => {
  const engine = engineOf(
    article('one', 'The two governments issued a joint declaration on fishing rights.', '2024-01-02'),
    article('two', 'A memorandum of understanding on trade was initialled in Geneva.', '2024-01-03'),
    article('three', 'The minister’s visit to the harbour drew a crowd.', '2024-01-04'),
  );

  it('finds paragraphs about a declaration or a memorandum', () => {
    expect(asKind(engine.treaty('declaration'), 'search').excerpts[0]?.article.id).toBe('one');
    expect(asKind(engine.treaty('memorandum'), 'search').excerpts[0]?.article.id).toBe('two');
  });

  it('takes a visit for part of a treaty’s story only in an article about a treaty', () => {
    expect(asKind(engine.treaty('visit'), 'search').excerpts).toEqual([]);
  });
});
