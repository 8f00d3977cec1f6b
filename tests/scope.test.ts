// Servers and pages: two servers each add an article through a real Library, and neither ever
// sees the other's in any answer or suggestion; the shared corpus is everyone's. Then the pages
// of long answers, /quote with its context and notices, and finding an article by a typed title.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote as quoteCommand } from '../commands/quote.js';
import { commands } from '../commands/index.js';
import { loadCorpus } from '../src/corpus.js';
import { Engine, MAX_EXCERPTS } from '../src/engine.js';
import { Shelf } from '../src/shelf.js';
import { toDiscord } from '../src/render/discord.js';
import { toTerminal } from '../src/render/terminal.js';
import type { Answer, Article } from '../src/types.js';
import { asKind, excerptsOf } from './answers.js';
import { testStore, type TestStore } from './store.js';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const RFERL = 'rferl-1997-russia-north-korea-weaker-basic-treaty';
const KOREA_TIMES = 'korea-times-nk-russia-treaty-concerns-overblown';
const A = '111111111111111111';
const B = '222222222222222222';
const enc = (s: string) => new TextEncoder().encode(s);

// Both mention a harbour and a treaty; only A's mentions a lighthouse and Mayor Vollstedt, only
// B's a glacier and Tobias Wennerholm.
const LIGHTHOUSE = `---
title: Lighthouse keepers restore the old beacon
source: The Coast Herald
date: 2022-04-02
---
Mayor Margarethe Vollstedt said on Friday that the restoration of the lighthouse beacon would finish before the summer season.

Vollstedt said the harbour council had signed a maintenance treaty with the neighbouring town in 1923 and renewed it every decade since.

Volunteers painted the lighthouse tower white and red, and the harbour kept its fishing fleet in port during the works.
`;
const GLACIER = `---
title: Glacier survey finds faster melting
source: Alpine Weekly
date: 2023-08-15
---
Tobias Wennerholm, a scientist at the Alpine Institute, said on Monday that the glacier had lost more ice this summer than in any year since records began.

Wennerholm said the alpine states had signed a treaty on glacier monitoring in 1952, and the harbour town below the glacier now fears floods.

The survey team measured the glacier tongue with drones and found that it had retreated forty metres.
`;
// Seven paragraphs that mention Mayor Vollstedt: a /who answer of two pages, in A only.
const COUNCIL = `---
title: Council minutes of the spring session
source: Kleinhafen Council
---
Mayor Margarethe Vollstedt opened the spring session of the council on Tuesday with a short speech about the new quay.

${Array.from({ length: 6 }, (_, i) => `In item ${i + 1} of the session Vollstedt asked the council to approve spending on the quay, and the members agreed after debate.`).join('\n\n')}
`;

let stores: TestStore;
let engine: Engine;
/** What each server sees, and outside a server the shared corpus alone. */
let views: Map<string | undefined, Engine>;
const at = (scope: string | undefined) => views.get(scope)!;
let lighthouse: Article;
let glacier: Article;
let council: Article;

async function add(library: TestStore['library'], guildId: string, fileName: string, text: string): Promise<Article> {
  const result = await library.add(guildId, { fileName, bytes: enc(text) });
  if (!result.ok) throw new Error(result.reason);
  return result.article;
}

beforeAll(async () => {
  engine = new Engine(await loadCorpus(CORPUS));
  stores = await testStore(engine);
  const { library, store } = stores;
  lighthouse = await add(library, A, 'lighthouse.md', LIGHTHOUSE);
  council = await add(library, A, 'council.md', COUNCIL);
  glacier = await add(library, B, 'glacier.md', GLACIER);
  views = new Map([
    [A, engine.in(await store.shelf(A))],
    [B, engine.in(await store.shelf(B))],
    [undefined, engine],
  ]);
});
afterAll(async () => {
  await stores.close();
});

const ids = (answer: Answer) => new Set(excerptsOf(answer).map((e) => e.article.id));
const seedIds = [KOREA_TIMES, RFERL];

describe('two servers that cannot see each other’s articles', () => {
  it('marks the articles with their server and ids prefixed by it', async () => {
    expect(lighthouse).toMatchObject({ id: `${A}-lighthouse`, guildId: A });
    expect(glacier).toMatchObject({ id: `${B}-glacier`, guildId: B });
  });

  it('lists the shared corpus and its own articles in each server, and only the shared corpus outside one', async () => {
    expect(at(A).articles.map((a) => a.id).sort()).toEqual([council.id, lighthouse.id, ...seedIds].sort());
    expect(at(B).articles.map((a) => a.id).sort()).toEqual([glacier.id, ...seedIds].sort());
    expect(at(undefined).articles.map((a) => a.id).sort()).toEqual(seedIds);
    expect(at(A).sources().articles!.map((a) => a.id)).not.toContain(glacier.id);
    expect(at(B).sources().articles!.map((a) => a.id)).not.toContain(lighthouse.id);
    expect(engine.sources().articles!.map((a) => a.id).sort()).toEqual(seedIds);
  });

  it("/search finds a server's own article there and nowhere else", async () => {
    expect(ids(at(A).search('lighthouse beacon'))).toEqual(new Set([lighthouse.id]));
    expect(at(B).search('lighthouse beacon').total).toBe(0);
    expect(engine.search('lighthouse beacon').total).toBe(0);
    expect(ids(at(B).search('glacier'))).toEqual(new Set([glacier.id]));
    expect(at(A).search('glacier').total).toBe(0);
    expect(engine.search('glacier').total).toBe(0);
  });

  it('/search for words both servers’ articles use shows each server only its own', async () => {
    expect(ids(at(A).search('harbour'))).toEqual(new Set([lighthouse.id]));
    expect(ids(at(B).search('harbour'))).toEqual(new Set([glacier.id]));
    for (const scope of [A, B, undefined]) {
      const found = ids(at(scope).search('treaty', { page: 0 }));
      for (let page = 1; page < (at(scope).search('treaty').pages ?? 1); page++) {
        for (const id of ids(at(scope).search('treaty', { page }))) found.add(id);
      }
      expect(found.has(glacier.id)).toBe(scope === B);
      expect(found.has(lighthouse.id)).toBe(scope === A);
      expect(found.has(RFERL)).toBe(true);
    }
  });

  it('/who finds a person introduced in a server’s article only in that server', async () => {
    const inA = at(A).who('Vollstedt');
    expect(inA.person?.name).toBe('Margarethe Vollstedt');
    expect(inA.person?.role).toBe('Mayor');
    for (const scope of [B, undefined]) {
      const answer = at(scope).who('Vollstedt');
      expect(answer.person).toBeUndefined();
      expect(answer.notice).toMatch(/^No one called “Vollstedt” appears in the \d+ articles\.$/);
      expect(answer.alternatives ?? []).not.toContain('Margarethe Vollstedt');
    }
    expect(at(B).who('Tobias Wennerholm').person?.role).toBe('a scientist at the Alpine Institute');
    expect(at(A).who('Tobias Wennerholm').person).toBeUndefined();
    expect(at(A).who('Wennerholm').alternatives ?? []).not.toContain('Tobias Wennerholm');
  });

  it('/who still finds the shared corpus’s people in every server', async () => {
    for (const scope of [A, B, undefined]) expect(at(scope).who('Karasin').person?.name).toBe('Grigory Karasin');
  });

  it('counts the people of each server as if its articles were the only ones', async () => {
    const names = (scope: string | undefined) => at(scope).people.map((p) => p.name);
    expect(names(A)).toContain('Margarethe Vollstedt');
    expect(names(A)).not.toContain('Tobias Wennerholm');
    expect(names(B)).toContain('Tobias Wennerholm');
    expect(names(B)).not.toContain('Margarethe Vollstedt');
    expect(names(undefined)).not.toContain('Margarethe Vollstedt');
    expect(names(undefined)).not.toContain('Tobias Wennerholm');
    expect(engine.people.map((p) => p.name)).toEqual(names(undefined));
  });

  it('/treaty, with and without a query, keeps to the server’s articles', () => {
    const timeline = (scope: string | undefined) => asKind(at(scope).treaty(''), 'timeline').events.map((e) => `${e.date} ${e.excerpt.article.id}`);
    expect(timeline(A)).toContain(`1923 ${lighthouse.id}`);
    expect(timeline(A).some((e) => e.includes(glacier.id))).toBe(false);
    expect(timeline(B)).toContain(`1952 ${glacier.id}`);
    expect(timeline(B).some((e) => e.includes(lighthouse.id))).toBe(false);
    expect(timeline(undefined).every((e) => seedIds.some((id) => e.endsWith(id)))).toBe(true);
    expect(ids(at(B).treaty('glacier monitoring'))).toEqual(new Set([glacier.id]));
    expect(at(A).treaty('glacier monitoring').total).toBe(0);
    expect(engine.treaty('glacier monitoring').total).toBe(0);
  });

  it('/quote reaches a server’s article only from that server', () => {
    expect(excerptsOf(at(A).quote(lighthouse.id, 2))[0]?.text).toMatch(/^Vollstedt said the harbour council/);
    for (const scope of [B, undefined]) {
      const answer = at(scope).quote(lighthouse.id, 2);
      expect(answer.kind).toBe('notice');
      expect(answer.notice).toBe(`No article matches “${lighthouse.id}”. Use /sources to see them.`);
      expect(at(scope).quote('Lighthouse keepers', 1).notice).toMatch(/^No article matches “Lighthouse keepers”/);
      expect(at(scope).quote('Lighthouse keepers', 1).alternatives ?? []).not.toContain(lighthouse.title);
    }
  });

  it('suggests only the server’s own articles, people and phrases while typing', async () => {
    expect(at(A).suggestArticles('').map((a) => a.id)).toContain(lighthouse.id);
    expect(at(A).suggestArticles('').map((a) => a.id)).not.toContain(glacier.id);
    expect(at(A).suggestArticles('glacier')).toEqual([]);
    expect(at(B).suggestArticles('glacier').map((a) => a.id)).toEqual([glacier.id]);
    expect(engine.suggestArticles('').map((a) => a.id).sort()).toEqual(seedIds);

    expect(at(A).suggestPeople('Wenn')).not.toContain('Tobias Wennerholm');
    expect(at(B).suggestPeople('Wenn')).toContain('Tobias Wennerholm');
    expect(at(B).suggestPeople('')).not.toContain('Margarethe Vollstedt');
    expect(engine.suggestPeople('Voll')).not.toContain('Margarethe Vollstedt');

    expect(at(A).suggestSearches('glacier')).toEqual(['glacier']);
    expect(at(B).suggestSearches('glacier')).toContain('Glacier survey finds faster melting');
    expect(at(A).suggestSearches('').join('|')).not.toMatch(/Glacier|Wennerholm/);
    expect(at(B).suggestSearches('').join('|')).not.toMatch(/Lighthouse|Vollstedt/);
    expect(at(undefined).suggestSearches('').join('|')).not.toMatch(/Glacier|Wennerholm|Lighthouse|Vollstedt/);
  });

  it('finds an article by id only in the server that added it', async () => {
    expect(at(B).findArticle(glacier.id)?.id).toBe(glacier.id);
    expect(at(A).findArticle(glacier.id)).toBeUndefined();
    expect(engine.findArticle(glacier.id)).toBeUndefined();
  });

  it('the command handlers pass the server on: /quote autocomplete and answers keep to it', async () => {
    const ctx = (scope: string | undefined) => ({ engine: at(scope), commands, scope });
    expect(quoteCommand.autocomplete('article', 'glacier', ctx(A))).toEqual([]);
    expect(quoteCommand.autocomplete('article', 'glacier', ctx(B))).toEqual([{ name: glacier.title, value: glacier.id }]);
    expect(quoteCommand.execute({ article: glacier.id, paragraph: 1 }, ctx(A)).notice).toMatch(/^No article matches/);
    expect(excerptsOf(quoteCommand.execute({ article: glacier.id, paragraph: 1 }, ctx(B)))[0]?.paragraph.n).toBe(1);
  });

  it('forgets a server’s article once it is removed from its shelf', async () => {
    const own = new Shelf([lighthouse]);
    const local = engine.in(own);
    expect(local.who('Vollstedt').person).toBeDefined();
    own.update({ remove: [lighthouse.id] });
    expect(local.search('lighthouse').total).toBe(0);
    expect(local.who('Vollstedt').person).toBeUndefined();
    expect(local.articles.map((a) => a.id)).not.toContain(lighthouse.id);
  });
});

describe('pages of a long answer', () => {
  const key = (answer: Answer) => excerptsOf(answer).map((e) => `${e.article.id}#${e.paragraph.n}`);

  it(`shows ${MAX_EXCERPTS} excerpts a page and numbers the pages, page 1 (0-based) showing the next ${MAX_EXCERPTS}`, async () => {
    const first = engine.search('Korea');
    expect(first.total).toBeGreaterThan(MAX_EXCERPTS);
    expect(first.pages).toBe(Math.ceil(first.total / MAX_EXCERPTS));
    expect(first.page).toBe(0);
    expect(first.excerpts).toHaveLength(MAX_EXCERPTS);
    const second = engine.search('Korea', { page: 1 });
    expect(second.page).toBe(1);
    expect(second.total).toBe(first.total);
    expect(second.excerpts).toHaveLength(Math.min(MAX_EXCERPTS, first.total - MAX_EXCERPTS));
    expect(key(second).some((k) => key(first).includes(k))).toBe(false);
    // The second page continues the ranking where the first stopped.
    expect(second.excerpts[0]!.score).toBeLessThanOrEqual(first.excerpts.at(-1)!.score);
  });

  it('shows every matching paragraph exactly once over all pages', async () => {
    const { total, pages } = engine.search('Korea');
    const all = Array.from({ length: pages! }, (_, page) => key(engine.search('Korea', { page }))).flat();
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
  });

  it('clamps a page past the end to the last page, and a negative or fractional one into range', async () => {
    const { pages } = engine.search('Korea');
    const last = engine.search('Korea', { page: pages! - 1 });
    const past = engine.search('Korea', { page: 99 });
    expect(past.page).toBe(pages! - 1);
    expect(key(past)).toEqual(key(last));
    expect(past.excerpts.length).toBeGreaterThan(0);
    expect(engine.search('Korea', { page: -3 }).page).toBe(0);
    expect(engine.search('Korea', { page: 1.7 }).page).toBe(1);
  });

  it('gives an answer with few hits a single page, whatever page is asked', async () => {
    const answer = engine.search('Brzezinski', { page: 4 });
    expect(answer.total).toBeGreaterThan(0);
    expect(answer.total).toBeLessThanOrEqual(MAX_EXCERPTS);
    expect([answer.page, answer.pages]).toEqual([0, 1]);
    const none = engine.search('zeppelin', { page: 2 });
    expect([none.total, none.page, none.pages]).toEqual([0, 0, 1]);
  });

  it('pages /who mentions and the /treaty timeline the same way', async () => {
    const who = at(A).who('Vollstedt');
    expect(who.total).toBeGreaterThan(MAX_EXCERPTS);
    expect(who.pages).toBe(2);
    const rest = at(A).who('Vollstedt', { page: 1 });
    expect(rest.excerpts).toHaveLength(who.total - MAX_EXCERPTS);
    expect(key(rest).some((k) => key(who).includes(k))).toBe(false);

    const timeline = at(A).treaty('');
    const lastPage = asKind(at(A).treaty('', { page: 50 }), 'timeline');
    expect(lastPage.page).toBe(timeline.pages - 1);
    expect(lastPage.events.length).toBeGreaterThan(0);
  });

  it('says "Page k of n" under a paged answer, and nothing about pages when there is one', async () => {
    const { pages } = engine.search('Korea');
    expect(toTerminal(engine.search('Korea', { page: 1 }))).toContain(`Page 2 of ${pages}`);
    expect(JSON.stringify(toDiscord(engine.search('Korea', { page: 99 })))).toContain(`Page ${pages} of ${pages}`);
    expect(toTerminal(engine.search('Brzezinski'))).not.toMatch(/Page \d+ of/);
  });
});

describe('/quote', () => {
  const rferl = () => engine.article(RFERL)!;

  it('shows ¶n in full with ¶n−1 before and ¶n+1 after as context', () => {
    const answer = asKind(engine.quote(RFERL, 3), 'quote');
    expect(answer.heading).toBe(rferl().title);
    expect(answer.excerpt.paragraph.n).toBe(3);
    expect(answer.excerpt.text).toBe(rferl().paragraphs[2]!.text);
    expect(answer.before?.paragraph.n).toBe(2);
    expect(answer.before?.text).toBe(rferl().paragraphs[1]!.text);
    expect(answer.after?.paragraph.n).toBe(4);
    expect(answer.after?.text).toBe(rferl().paragraphs[3]!.text);
  });

  it('has nothing before the first paragraph and nothing after the last', () => {
    const first = asKind(engine.quote(RFERL, 1), 'quote');
    expect(first.excerpt.paragraph.n).toBe(1);
    expect(first.before).toBeUndefined();
    expect(first.after?.paragraph.n).toBe(2);
    const n = rferl().paragraphs.length;
    const last = asKind(engine.quote(RFERL, n), 'quote');
    expect(last.excerpt.paragraph.n).toBe(n);
    expect(last.before?.paragraph.n).toBe(n - 1);
    expect(last.after).toBeUndefined();
  });

  it.each([0, -1, 8, 2.5, Number.NaN, 10_000])('answers ¶%s, out of range, with the paragraphs there are', (n) => {
    const answer = asKind(engine.quote(RFERL, n), 'notice');
    expect(answer.heading).toBe(rferl().title);
    expect(answer.notice).toBe(`“${rferl().title}” has paragraphs ¶1 to ¶7; there is no ¶${n}.`);
  });

  it('answers an unknown article with a notice and no quote', async () => {
    const answer = engine.quote('zzqx no such article', 1);
    expect(answer.kind).toBe('notice');
    expect(answer.notice).toBe('No article matches “zzqx no such article”. Use /sources to see them.');
  });

  it('renders the context dimmed around the quote, in paragraph order', async () => {
    const answer = engine.quote(RFERL, 3);
    const terminal = toTerminal(answer);
    const at = (s: string) => terminal.indexOf(s);
    expect(at('  ¶2: ')).toBeGreaterThan(-1);
    expect(at('  ¶2: ')).toBeLessThan(at('Karasin and his North Korean counterpart'));
    expect(at('Karasin and his North Korean counterpart')).toBeLessThan(at('  ¶4: '));
    const discord = JSON.stringify(toDiscord(answer));
    expect(discord).toContain('-# *¶2: ');
    expect(discord).toContain('-# *¶4: ');
  });
});

describe('finding an article by what was typed', () => {
  it.each([
    ['weaker basic', RFERL],
    ['WEAKER BASIC TREATY', RFERL],
    ['Experts say conc', KOREA_TIMES],
    ['treaty overbl', KOREA_TIMES],
    ['rferl-1997', RFERL],
    [KOREA_TIMES, KOREA_TIMES],
  ])('resolves %j to the article it names', (typed, id) => {
    expect(engine.findArticle(typed)?.id).toBe(id);
    expect(excerptsOf(engine.quote(typed, 1))[0]?.article.id).toBe(id);
  });

  it('resolves a partial title of a server’s own article in that server', async () => {
    expect(at(A).findArticle('lighthouse keep')?.id).toBe(lighthouse.id);
    expect(at(B).findArticle('lighthouse keep')).toBeUndefined();
  });

  it('resolves nothing for words no title has', async () => {
    expect(engine.findArticle('zeppelin')).toBeUndefined();
  });
});
