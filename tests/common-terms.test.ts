// Common terms (in more than a thousand paragraphs) are searched through their champion lists,
// not their full postings: these tests check that the answers stay right when they are, when the
// index is persisted and loaded, and when articles come and go while it runs.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../src/article.js';
import { Engine } from '../src/engine.js';
import type { Answer, Article } from '../src/types.js';
import { excerptsOf } from './answers.js';

const FILLER = ['amber', 'basalt', 'cedar', 'delta', 'ember', 'fjord', 'granite', 'heron', 'iris', 'juniper', 'kelp', 'lagoon', 'marsh', 'nettle', 'osprey'];

/** Paragraph `i` of a generated article: every one mentions the harbour, each in other words. */
function paragraph(article: number, i: number): string {
  const a = FILLER[(article * 7 + i) % FILLER.length]!;
  const b = FILLER[(article + i * 3) % FILLER.length]!;
  return `Boat ${article}-${i} came into the harbour past the ${a} rocks while the crew counted ${b} crates on deck.`;
}

function article(id: string, paragraphs: string[]): Article {
  return parseArticle(`${id}.md`, `---\ntitle: Harbour log ${id}\n---\n${paragraphs.join('\n\n')}\n`);
}

/** `count` articles of 100 generated paragraphs each. */
function logs(count: number): Article[] {
  return Array.from({ length: count }, (_, k) => article(`log-${k}`, Array.from({ length: 100 }, (_, i) => paragraph(k, i))));
}

const where = (answer: Answer) => excerptsOf(answer).map((e) => `${e.article.id}:${e.paragraph.n}`);

// Long, and saying "harbour" once: never among that term's best 200, so not in its list.
const LIGHTHOUSE_AND_HARBOUR =
  'The lighthouse keeper walked along the long stone pier for most of the grey morning, checking every rope, every ' +
  'lantern and every bollard, and then he climbed back up to look over the harbour once the fog had finally lifted.';
const LIGHTHOUSE_ALONE = 'The lighthouse keeper painted the lighthouse door blue, then painted the lighthouse railings to match it.';

let engine: Engine;
beforeAll(() => {
  const extra = article('notes', [LIGHTHOUSE_AND_HARBOUR, LIGHTHOUSE_ALONE, 'Harbour, harbour, harbour: all the harbour talk.']);
  engine = new Engine({ dir: '.', articles: [...logs(12), extra], warnings: [] });
});

function persisted(e: Engine): { champions: Array<[string, unknown[]]>; mini: { index: Array<[string, unknown]> } } {
  return e.toSnapshot().index as never;
}

describe('a term in more than a thousand paragraphs', () => {
  it('is answered from its list, best paragraph first', () => {
    expect(engine.paragraphCount).toBe(1203);
    const answer = engine.search('harbour');
    expect(where(answer)[0]).toBe('notes:3');
    expect(answer.excerpts.every((e) => /harbour/i.test(e.text))).toBe(true);
  });

  it('still counts for a paragraph that is not in its list, next to a rare word', () => {
    for (const query of ['lighthouse harbour', 'harbour lighthouse']) {
      const answer = engine.search(query);
      expect(where(answer).slice(0, 2).sort(), query).toEqual(['notes:1', 'notes:2']);
      const outside = answer.excerpts.find((e) => e.paragraph.text === LIGHTHOUSE_AND_HARBOUR)!;
      expect(outside.highlights.map(([s, e]) => outside.text.slice(s, e)), query).toEqual(expect.arrayContaining(['lighthouse', 'harbour']));
    }
  });

  it('is left out of the persisted MiniSearch index, and loading gives the same answers', () => {
    const snapshot = engine.toSnapshot();
    const saved = persisted(engine);
    expect(saved.champions.map(([term]) => term)).toContain('harbour');
    expect(saved.champions.find(([term]) => term === 'harbour')![1]).toHaveLength(200);
    expect(saved.mini.index.some(([term]) => term === 'harbour')).toBe(false);
    expect(saved.mini.index.some(([term]) => term === 'lighthous')).toBe(true);
    const loaded = Engine.fromSnapshot(JSON.parse(JSON.stringify(snapshot)));
    for (const query of ['harbour', 'lighthouse harbour', 'harbour crates', 'basalt harbour', 'boat 3-7']) {
      expect(where(loaded.search(query)), query).toEqual(where(engine.search(query)));
    }
  });

  it('keeps its list current as articles are added and removed, in a loaded index too', () => {
    const loaded = Engine.fromSnapshot(JSON.parse(JSON.stringify(engine.toSnapshot())));
    const storm = article('storm', ['Harbour! Harbour! The harbour, the harbour, the harbour!']);
    loaded.update({ put: [storm] });
    expect(where(loaded.search('harbour'))[0]).toBe('storm:1');
    loaded.update({ remove: ['storm', 'notes'] });
    const after = where(loaded.search('harbour'));
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((w) => w.startsWith('storm:') || w.startsWith('notes:'))).toBe(false);
  });
});

describe('a term that becomes common while the bot runs', () => {
  it('gets its list then', () => {
    const growing = new Engine({ dir: '.', articles: logs(9), warnings: [] });
    expect(persisted(growing).champions).toEqual([]);
    growing.update({ put: logs(11).slice(9) });
    const list = persisted(growing).champions.find(([term]) => term === 'harbour')?.[1] as Array<[string, number]> | undefined;
    expect(list).toHaveLength(200);
    // Listed once each, though the term became common in the middle of an article.
    expect(new Set(list!.map(([id]) => id)).size).toBe(200);
    expect(growing.search('harbour').excerpts.length).toBeGreaterThan(0);
  });
});
