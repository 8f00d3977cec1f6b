import { describe, expect, it } from 'vitest';
import { cite, toCsl } from '../src/cite.js';
import { toDiscord } from '../src/render/discord.js';
import type { Article } from '../src/types.js';

const article = (over: Partial<Article>): Article => ({ id: 'a', title: 'Only a title', file: 'a.md', paragraphs: [], ...over });

describe('toCsl', () => {
  it('gives citeproc only what the front matter says', () => {
    expect(toCsl(article({}))).toEqual({ id: 'a', type: 'article', title: 'Only a title' });
    expect(toCsl(article({ source: 'RFE/RL', date: '1997-06', url: 'https://x.example', author: 'Ann Lee' }))).toEqual({
      id: 'a',
      type: 'article-newspaper',
      title: 'Only a title',
      author: [{ literal: 'Ann Lee' }],
      'container-title': 'RFE/RL',
      issued: { 'date-parts': [[1997, 6]] },
      URL: 'https://x.example',
    });
  });

  it('reads a byline of several names as several authors, and "Family, Given" as one in its parts', () => {
    expect(toCsl(article({ author: 'Ann Lee, Bo Kim and Cy Park' })).author).toEqual([{ literal: 'Ann Lee' }, { literal: 'Bo Kim' }, { literal: 'Cy Park' }]);
    expect(toCsl(article({ author: 'Jung, Min-ho' })).author).toEqual([{ family: 'Jung', given: 'Min-ho' }]);
  });

  it('cites a name without a comma as written, never guessing which part is the family name', () => {
    expect(cite(article({ author: 'Jung Min-ho', source: 'The Korea Times' }), 'apa').reference).toBe('Jung Min-ho. (n.d.). Only a title. The Korea Times.');
    expect(cite(article({ author: 'Jung, Min-ho', source: 'The Korea Times' }), 'apa').reference).toBe('Jung, M. (n.d.). Only a title. The Korea Times.');
  });
});

describe('cite', () => {
  it('uses "n.d." for an article without a date, as APA says', () => {
    expect(cite(article({ source: 'RFE/RL' }), 'apa').reference).toBe('Only a title. (n.d.). RFE/RL.');
  });

  it('cites a month-only date as the style writes it', () => {
    expect(cite(article({ author: 'Lee, Ann', source: 'RFE/RL', date: '1997-06' }), 'chicago').reference).toBe('Lee, Ann. 1997. “Only a Title.” RFE/RL, June 1997.');
  });

  it('shows the reference and the in-text citation in code blocks that copy as they are', () => {
    const answer = cite(article({ title: 'Markdown *stays* as_is', source: 'A' }), 'apa', 3);
    const { description } = toDiscord(answer).embeds[0]!;
    expect(description).toContain('```\nMarkdown *stays* as_is. (n.d.). A.\n```');
    // APA puts a title without an author in quotes and title case in the text: the style's rule, not ours.
    expect(description).toContain('```\n(“Markdown *stays* As_is,” n.d., para. 3)\n```');
  });
});
