// Ranking, excerpts and highlights, through the real engine and index on the seed corpus (and
// on a small corpus of near-ties in tests/fixtures/ranking).
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus.js';
import { Engine, NO_CLOSE_MATCH } from '../src/engine.js';
import { makeExcerpt } from '../src/excerpt.js';
import { citationParts } from '../src/render/citation.js';
import { fold, indexTerms } from '../src/text.js';
import type { Answer, Excerpt, Paragraph } from '../src/types.js';
import { asKind, excerptsOf } from './answers.js';

const RFERL = 'rferl-1997-russia-north-korea-weaker-basic-treaty';
const KOREA_TIMES = 'korea-times-nk-russia-treaty-concerns-overblown';

let engine: Engine;
let ties: Engine;
beforeAll(async () => {
  engine = new Engine(await loadCorpus(join(import.meta.dirname, '..', 'corpus')));
  ties = new Engine(await loadCorpus(join(import.meta.dirname, 'fixtures', 'ranking')));
});

/** "rferl:6", "kt:12": where an excerpt was quoted from. */
const where = (e: Excerpt) => `${e.article.id === RFERL ? 'rferl' : e.article.id === KOREA_TIMES ? 'kt' : e.article.id}:${e.paragraph.n}`;
const top = (answer: Answer) => (excerptsOf(answer)[0] ? where(excerptsOf(answer)[0]!) : 'nothing');
const highlighted = (e: Excerpt) => e.highlights.map(([s, end]) => e.text.slice(s, end));

/** The excerpt's text without its "…" markers, as the pieces it quotes. */
function pieces(text: string): string[] {
  return text.split('…').map((p) => p.trim()).filter(Boolean);
}

/** Each piece is verbatim from the paragraph, in order, cut at word boundaries. */
function expectVerbatim(text: string, paragraph: Paragraph): void {
  let from = 0;
  for (const piece of pieces(text)) {
    const at = paragraph.text.indexOf(piece, from);
    expect(at, `"${piece}" is not in ¶${paragraph.n} after ${from}`).toBeGreaterThanOrEqual(0);
    const before = paragraph.text[at - 1] ?? ' ';
    const after = paragraph.text[at + piece.length] ?? ' ';
    expect(/[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(piece[0]!), `cut before "${piece.slice(0, 20)}"`).toBe(false);
    expect(/[\p{L}\p{N}]/u.test(after) && /[\p{L}\p{N}]/u.test(piece.at(-1)!), `cut after "${piece.slice(-20)}"`).toBe(false);
    from = at + piece.length;
  }
}

/** Highlights are sorted, non-overlapping, non-empty ranges of whole words inside the text. */
function expectWellFormedHighlights(e: Excerpt): void {
  let last = 0;
  for (const [s, end] of e.highlights) {
    expect(s).toBeGreaterThanOrEqual(last);
    expect(end).toBeGreaterThan(s);
    expect(end).toBeLessThanOrEqual(e.text.length);
    expect(/[\p{L}\p{N}]/u.test(e.text[s - 1] ?? ' ')).toBe(false);
    expect(/[\p{L}\p{N}]/u.test(e.text[end] ?? ' ')).toBe(false);
    last = end;
  }
}

describe('/search puts the answering paragraph first', () => {
  it.each([
    ['What did Brzezinski say about North Korea?', 'rferl:6'],
    ['What did Brzezinsky say about North Korea?', 'rferl:6'],
    ['brzezinsky', 'rferl:6'],
    ['When did the talks on June 16 begin?', 'rferl:3'],
    ['talks on June 16', 'rferl:3'],
    ['What did Karasin say about the 1961 agreement?', 'rferl:2'],
    ['dated clauses on union obligations', 'rferl:2'],
    ['Is Russia’s support for North Korea waning?', 'rferl:1'],
    ['Why must Pyongyang accept humanitarian aid?', 'rferl:5'],
    ['Pyongyang famine', 'rferl:5'],
    ['Pyong Yang famine', 'rferl:5'],
    ['Siberian logging camps', 'rferl:5'],
    ['high stakes deal', 'kt:4'],
    ['high-stakes deal', 'kt:4'],
    ['What are the chances of a highstakes deal?', 'kt:4'],
    ['What did the U.S. government official say?', 'rferl:6'],
    ['What did the US government official say?', 'rferl:6'],
    ['What did the U. S. government official say?', 'rferl:6'],
    ['“new legal foundation”', 'kt:1'],
    ['"new legal foundation"', 'kt:1'],
    ['‘new legal foundation’', 'kt:1'],
    ['new Cold War', 'kt:6'],
    ['ammunition and shells', 'kt:6'],
    ['when was the treaty abrogated?', 'kt:3'],
    ['Who met at the Vostochny Cosmodrome?', 'kt:12'],
    ['Kim Jong Un', 'kt:4'],
    ['Jiang Zemin', 'rferl:4'],
    ['Sejong Institute', 'kt:5'],
  ])('"%s" → %s', (query, expected) => {
    const answer = engine.search(query);
    expect(top(answer)).toBe(expected);
    expect(answer.notice).toBeUndefined();
  });

  it.each([
    ['What did Brzezinski say about North Korea?'],
    ['Pyong Yang famine'],
    ['talks on June 16'],
    ['new legal foundation'],
    ['Kim Jong-un'],
  ])('answers "%s" alike in any case', (query) => {
    const expected = top(engine.search(query));
    for (const variant of [query.toLowerCase(), query.toUpperCase(), query.replace(/\b\w/g, (c) => c.toUpperCase())]) {
      expect(top(engine.search(variant)), variant).toBe(expected);
    }
  });

  it('answers curly and straight apostrophes alike', async () => {
    const curly = engine.search('Russia’s long-standing support');
    const straight = engine.search("Russia's long-standing support");
    expect(top(curly)).toBe('rferl:1');
    expect(curly.excerpts.map(where)).toEqual(straight.excerpts.map(where));
    expect(curly.excerpts.map((e) => e.score)).toEqual(straight.excerpts.map((e) => e.score));
  });

  it('answers the spellings of a hyphenated word alike', async () => {
    const answers = ['high stakes', 'high-stakes', 'highstakes', 'High Stakes'].map((q) => engine.search(q));
    for (const answer of answers) expect(answer.excerpts.map(where)).toEqual(answers[0]!.excerpts.map(where));
    expect(top(answers[0]!)).toBe('kt:4');
  });

  it('finds "Pyongyang" in a paragraph that writes "Pyong Yang", and the reverse', async () => {
    expect(engine.search('Pyongyang').excerpts.map(where)).toEqual(expect.arrayContaining(['rferl:5', 'kt:1', 'kt:5', 'kt:7']));
    expect(engine.search('Pyong Yang').excerpts.map(where)).toContain('rferl:5');
    expect(top(engine.search('Pyong Yang famine'))).toBe('rferl:5');
  });

  it('counts every matching paragraph and shows at most five', async () => {
    const answer = engine.search('North Korea');
    expect(answer.total).toBeGreaterThan(5);
    expect(answer.excerpts).toHaveLength(5);
    const scores = answer.excerpts.map((e) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('says so when nothing matches', async () => {
    const answer = engine.search('zeppelin');
    expect(answer).toMatchObject({ total: 0, excerpts: [] });
    expect(answer.notice).toMatch(/No paragraph matches “zeppelin”/);
  });
});

describe('ranking among near-ties', () => {
  const order = (query: string) => ties.search(query).excerpts.map((e) => e.paragraph.n);

  it('puts the paragraph with the exact phrase first, then the one with all the words, then one with only some', async () => {
    // ¶3 "the harbour fee", ¶2 "a fee for the harbour", ¶1 "harbour" three times and no fee.
    expect(order('harbour fee').slice(0, 3)).toEqual([3, 2, 1]);
  });

  it('prefers the words in the order typed', async () => {
    // ¶2 has "fee for the harbour" in that order; ¶3 has them the other way round.
    expect(order('fee for the harbour')[0]).toBe(2);
    expect(order('harbour fee')[0]).toBe(3);
  });
});

describe('/treaty', () => {
  it('returns both articles’ 1961 paragraphs in the top 2 for "1961"', () => {
    const answer = asKind(engine.treaty('1961'), 'search');
    expect(answer.excerpts.slice(0, 2).map(where).sort()).toEqual(['kt:3', 'rferl:2']);
    for (const e of answer.excerpts.slice(0, 2)) expect(highlighted(e)).toContain('1961');
  });

  it('quotes Karasin’s words on the 1961 agreement whole, with both quotation marks', () => {
    const rferl = asKind(engine.treaty('1961'), 'search').excerpts.find((e) => where(e) === 'rferl:2')!;
    expect(rferl.text).toContain('"contains dated clauses');
    expect(rferl.text).toContain('out of the new document."');
  });

  it('quotes only paragraphs about treaties', () => {
    for (const query of ['North Korea', 'Russia', '1961', 'clause']) {
      for (const e of excerptsOf(engine.treaty(query))) {
        expect(fold(e.paragraph.text)).toMatch(/treat|pact|agreement|accord|alliance|armistice|clause|protocol|abrogat|ratif/);
      }
    }
  });

  it('gives the timeline in date order, 1961 first, without a query', () => {
    const answer = asKind(engine.treaty(''), 'timeline');
    const { events } = answer;
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events[0]!.date).toBe('1961');
    expect(events.map((e) => e.date)).toEqual([...events.map((e) => e.date)].sort());
    expect(events.map((e) => `${e.date} ${where(e.excerpt)}`)).toEqual(
      expect.arrayContaining(['1961 kt:3', '1961 rferl:2', '1996 kt:3', '1997-06-16 rferl:3']),
    );
    expect(answer.total).toBe(events.length);
    expect(excerptsOf(answer)).toEqual(events.map((e) => e.excerpt));
  });

  it('cites each event of the timeline and highlights its date', () => {
    for (const event of asKind(engine.treaty(''), 'timeline').events) {
      const { title, rest } = citationParts(event.excerpt);
      expect(title).toBe(event.excerpt.article.title);
      expect(rest).toMatch(new RegExp(`¶${event.excerpt.paragraph.n}$`));
      expect(event.excerpt.paragraph).toBe(event.excerpt.article.paragraphs[event.excerpt.paragraph.n - 1]);
      expect(highlighted(event.excerpt)).toHaveLength(1);
      expect(event.label).toMatch(/\d{4}|\[\d{4}\]/);
    }
  });

  it('labels a day without a year with the article’s year in brackets', () => {
    const june = asKind(engine.treaty(''), 'timeline').events.find((e) => e.date === '1997-06-16');
    expect(june?.label).toBe('16 June [1997]');
  });
});

describe('/search for questions as people ask them', () => {
  it('finds a paragraph that words the question otherwise, through WordNet', () => {
    // "weapons" are "arms"; "forbid" is "prohibit".
    const weapons = engine.search('Did Russia stop supplying weapons to the North?');
    expect(top(weapons)).toBe('rferl:2');
    expect(highlighted(weapons.excerpts[0]!)).toContain('arms');
    const forbid = engine.search('forbid arms trade');
    expect(top(forbid)).toBe('kt:7');
    expect(highlighted(forbid.excerpts[0]!)).toContain('prohibit');
  });

  it('quotes the sentence that answers, even when others match first', () => {
    const answer = engine.search('which clauses will be taken out of the new document');
    expect(top(answer)).toBe('rferl:2');
    expect(answer.excerpts[0]!.text).toContain('"contains dated clauses, notably on union obligations in the event of aggression. These will taken out of the new document."');
  });

  it('shows in bold the date, the name or the number that answers', () => {
    const bold = (query: string) => highlighted(engine.search(query).excerpts[0]!);
    expect(bold('When was the treaty abrogated?')).toContain('1996');
    expect(bold('When was the treaty abrogated?')).not.toContain('35');
    expect(bold('When did Karasin and Lee start their talks?')).toContain('June 16');
    expect(bold('Who is Russia’s deputy foreign minister?')).toContain('Grigory Karasin');
    expect(bold('How many years did the two countries keep the 1961 treaty?')).toContain('35');
  });

  it('says there is no close match when the best paragraphs have only a minor part of the question, and still shows them', () => {
    const answer = engine.search('What did Xi Jinping say about the treaty?');
    expect(answer.notice).toBe(NO_CLOSE_MATCH);
    expect(answer.excerpts.length).toBeGreaterThan(0);
    expect(engine.search('Who is the mayor of Seoul?').notice).toBe('No paragraph matches “Who is the mayor of Seoul?”.');
  });
});

describe('excerpts', () => {
  const queries = [
    'What did Brzezinski say about North Korea?',
    'talks on June 16',
    'Russia North Korea treaty',
    'Pyong Yang',
    'Kim Jong-un Putin',
    'war',
    'Cold War supply chain',
    'dated clauses',
  ];
  const answers = (): Answer[] => [
    ...queries.map((q) => engine.search(q)),
    ...queries.map((q) => engine.treaty(q)),
    engine.treaty(''),
    ...engine.people.map((p) => engine.who(p.name)),
  ];

  it('are made of verbatim pieces of their paragraph, cut at word boundaries', async () => {
    for (const answer of answers()) {
      for (const e of excerptsOf(answer)) expectVerbatim(e.text, e.paragraph);
    }
  });

  it('mark every cut with "…"', async () => {
    for (const answer of answers()) {
      for (const e of excerptsOf(answer)) {
        const [first] = pieces(e.text);
        if (first && !e.paragraph.text.startsWith(first)) expect(e.text.startsWith('…')).toBe(true);
        const last = pieces(e.text).at(-1);
        if (last && !e.paragraph.text.trimEnd().endsWith(last)) expect(e.text.endsWith('…')).toBe(true);
      }
    }
  });

  it('quote a long paragraph in part and a short one whole', async () => {
    const long = engine.search('dated clauses').excerpts[0]!;
    expect(long.paragraph.text.length).toBeGreaterThan(420);
    expect(long.text.length).toBeLessThan(long.paragraph.text.length);
    expect(long.text).toContain('dated clauses');
    const short = engine.search('Prague').excerpts[0]!;
    expect(short.text).toBe(short.paragraph.text);
  });

  it('have well-formed highlights', () => {
    for (const answer of answers()) for (const e of excerptsOf(answer)) expectWellFormedHighlights(e);
  });
});

describe('highlights', () => {
  it.each([
    ['talks on June 16', ['talks', 'June 16']],
    ['brzezinsky', ['Brzezinski']],
    ['Pyongyang famine', ['famine', 'Pyong Yang']],
    ['high stakes deal', ['highstakes deal']],
    ['“new legal foundation”', ['new legal foundation']],
    ['NEW COLD WAR', ['new Cold War']],
    ['Russia’s long-standing support', ["Russia's long-standing support"]],
    ['Karasín', ['Karasin']],
  ])('cover the query words of "%s" in the top excerpt', (query, words) => {
    const e = engine.search(query).excerpts[0]!;
    expect(highlighted(e)).toEqual(expect.arrayContaining(words));
  });

  it('cover only words that match the query', async () => {
    for (const query of ['talks on June 16', 'Siberian logging camps', 'ammunition and shells', 'Jiang Zemin']) {
      const wanted = new Set(indexTerms(query));
      for (const e of engine.search(query).excerpts) {
        for (const text of highlighted(e)) {
          expect(indexTerms(text).some((t) => wanted.has(t)), `"${text}" for "${query}"`).toBe(true);
        }
      }
    }
  });

  it('cover the name in each /who excerpt', async () => {
    const answer = engine.who('Karasin');
    expect(answer.excerpts.map(where)).toEqual(['rferl:2', 'rferl:3']);
    expect(highlighted(answer.excerpts[0]!)).toContain('Grigory Karasin');
    expect(highlighted(answer.excerpts[1]!)).toContain('Karasin');
  });
});

describe('makeExcerpt on arbitrary paragraphs', () => {
  const vocabulary = ['treaty', 'Russia', 'North', 'Korea', 'said', 'talks', 'the', 'of', '1961', 'Dr.', 'U.S.', 'Karasin', 'clauses', 'a', 'in'];
  const sentence = fc
    .array(fc.oneof(fc.constantFrom(...vocabulary), fc.stringMatching(/^[A-Za-z]{1,30}$/)), { minLength: 1, maxLength: 40 })
    .chain((ws) => fc.constantFrom('.', '!', '?', '."', ',', '').map((end) => `${ws.join(' ')}${end}`));
  const paragraphText = fc.array(sentence, { minLength: 1, maxLength: 12 }).map((ss) => ss.join(' '));

  it('quotes verbatim pieces, highlights whole matching words, and keeps to the length asked', async () => {
    fc.assert(
      fc.property(paragraphText, fc.subarray(vocabulary), fc.integer({ min: 40, max: 600 }), (text, chosen, max) => {
        const paragraph: Paragraph = { articleId: 'a', n: 1, text, kind: 'body' };
        const article = { id: 'a', title: 'A', file: 'a.md', paragraphs: [paragraph] };
        const wanted = new Set(chosen.flatMap((w) => indexTerms(w)));
        const e = makeExcerpt(article, paragraph, 1, wanted, { maxLength: max });
        expect(e.text.length).toBeGreaterThan(0);
        expectVerbatim(e.text, paragraph);
        expectWellFormedHighlights(e);
        for (const word of highlighted(e)) expect(indexTerms(word).some((t) => wanted.has(t))).toBe(true);
        if (text.length <= max) expect(e.text).toBe(text);
        // Whole sentences up to the limit, or a window of one long sentence: at most the limit and the "…" marks.
        expect(e.text.length).toBeLessThanOrEqual(max + 6);
      }),
      { numRuns: 300 },
    );
  });

  /** Whether every quotation mark and bracket of `text` has its partner, in order. */
  function paired(text: string): boolean {
    const open: string[] = [];
    const partner: Record<string, string> = { '”': '“', ')': '(', ']': '[' };
    let straight = false;
    for (const c of text) {
      if (c === '"') straight = !straight;
      else if ('“(['.includes(c)) open.push(c);
      else if (partner[c] && open.pop() !== partner[c]) return false;
    }
    return open.length === 0 && !straight;
  }

  it('never cuts between a quotation mark or bracket and its partner', () => {
    // Sentences, some of them in a quotation or brackets of one to three sentences.
    const marks = fc.constantFrom(['“', '”'], ['"', '"'], ['(', ')'], ['[', ']']);
    const group = fc.tuple(fc.array(sentence, { minLength: 1, maxLength: 3 }), fc.option(marks)).map(([ss, m]) => (m ? `${m[0]}${ss.join(' ')}${m[1]}` : ss.join(' ')));
    const quoted = fc.array(group, { minLength: 1, maxLength: 8 }).map((gs) => gs.join(' '));
    fc.assert(
      fc.property(quoted, fc.subarray(vocabulary), fc.integer({ min: 40, max: 600 }), (text, chosen, max) => {
        fc.pre(paired(text));
        const paragraph: Paragraph = { articleId: 'a', n: 1, text, kind: 'body' };
        const article = { id: 'a', title: 'A', file: 'a.md', paragraphs: [paragraph] };
        const e = makeExcerpt(article, paragraph, 1, new Set(chosen.flatMap((w) => indexTerms(w))), { maxLength: max });
        expectVerbatim(e.text, paragraph);
        expect(paired(e.text), e.text).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
