// The /add and /remove handlers with a real Library (in a temporary DATA_DIR) and a real Engine:
// who may use them, what /add answers, and /remove carried out only by its confirmation.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCommand } from '../commands/add.js';
import { commands } from '../commands/index.js';
import { removeCommand } from '../commands/remove.js';
import { contextIn, type Attachment, type CommandContext, type CommandInput } from '../commands/types.js';
import { loadCorpus } from '../src/corpus.js';
import { Engine } from '../src/engine.js';
import { MAX_UPLOAD_BYTES } from '../src/library.js';
import { toDiscord } from '../src/render/discord.js';
import type { AddedAnswer } from '../src/types.js';
import { asKind, excerptsOf } from './answers.js';
import { testStore, type TestStore } from './store.js';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const RFERL = 'rferl-1997-russia-north-korea-weaker-basic-treaty';
const A = '111111111111111111';
const B = '222222222222222222';
const enc = (s: string) => new TextEncoder().encode(s);

const ARTICLE = `---
title: Lighthouse keepers restore the old beacon
source: The Coast Herald
date: 2022-04-02
---
Mayor Margarethe Vollstedt said on Friday that the restoration of the lighthouse beacon would finish before the summer season.

Vollstedt said the harbour council had signed a maintenance agreement with the neighbouring town and renewed it every decade.

Volunteers painted the lighthouse tower white and red, and the harbour kept its fishing fleet in port during the works.
`;

/** An attachment as the bot hands it over; counts how often it was downloaded. */
function attachment(name: string, bytes: Uint8Array, size = bytes.byteLength): Attachment & { reads: number } {
  return {
    name,
    size,
    reads: 0,
    async read() {
      this.reads++;
      return bytes;
    },
  };
}

let stores: TestStore;
let engine: Engine;
beforeAll(async () => {
  engine = new Engine(await loadCorpus(CORPUS));
  stores = await testStore(engine);
});
beforeEach(() => stores.reset());
afterAll(() => stores.close());

/** The context the bot gives a command in server A (or `over.scope`), with A's articles loaded as the bot loads them. */
async function ctx(over: Partial<CommandContext> = {}): Promise<CommandContext> {
  const scope = 'scope' in over ? over.scope : A;
  return { ...(await contextIn({ engine, commands, library: stores.library }, scope)), caller: { userId: '333333333333333333', canManageServer: true }, ...over };
}
/** What server `guildId` is seen to have: its own articles' slugs. */
const stored = async (guildId: string) => (await stores.store.list(guildId)).map((a) => a.id.slice(guildId.length + 1));
/** What server `guildId` sees. */
const seen = async (guildId: string) => (await ctx({ scope: guildId })).engine;
const add = async (input: CommandInput, context?: CommandContext) => addCommand.execute(input, context ?? (await ctx()));

async function added(context?: CommandContext): Promise<AddedAnswer> {
  return asKind(await add({ file: attachment('lighthouse.md', enc(ARTICLE)) }, context), 'added');
}

describe('/add', () => {
  it('adds nothing without the Manage Server permission, and says why', async () => {
    for (const caller of [{ userId: '3', canManageServer: false }, undefined]) {
      const file = attachment('lighthouse.md', enc(ARTICLE));
      const answer = await add({ file }, await ctx({ caller }));
      expect(answer.heading).toBe('Not added');
      expect(answer.notice).toBe('Only members with the Manage Server permission can add or remove articles.');
      expect(file.reads).toBe(0);
    }
    expect(await stored(A)).toEqual([]);
    expect((await seen(A)).articles).toHaveLength(2);
  });

  it('adds nothing outside a server (or without a library), and says why', async () => {
    for (const over of [{ scope: undefined }, { library: undefined }]) {
      const answer = await add({ file: attachment('lighthouse.md', enc(ARTICLE)) }, await ctx(over));
      expect(answer.heading).toBe('Not added');
      expect(answer.notice).toBe('Articles can only be added or removed in a Discord server.');
    }
    expect(await stores.db.query('select * from servers')).toEqual([]);
  });

  it('answers with the title, the paragraph count and the first paragraph, to check it was read right', async () => {
    const answer = await added();
    const article = (await seen(A)).articles.find((a) => a.guildId === A)!;
    expect(answer.heading).toBe('Added: Lighthouse keepers restore the old beacon');
    expect(answer.article.paragraphs).toHaveLength(3);
    expect(answer.first.paragraph.n).toBe(1);
    expect(answer.first.text).toBe(article.paragraphs[0]!.text);
    expect(answer.first.text).toMatch(/^Mayor Margarethe Vollstedt said on Friday/);
    expect(answer.lines[0]).toBe('The Coast Herald · 2 April 2022 · 3 paragraphs');
    expect(answer.lines[1]).toMatch(/\/remove takes the article out again/);
    expect(JSON.stringify(toDiscord(answer))).toContain('3 paragraphs');
  });

  it('makes the article searchable in that server at once, and only there', async () => {
    expect((await seen(A)).search('lighthouse beacon').total).toBe(0);
    await added();
    expect((await seen(A)).search('lighthouse beacon').excerpts[0]?.article.id).toBe(`${A}-lighthouse`);
    expect((await seen(A)).who('Vollstedt').person?.name).toBe('Margarethe Vollstedt');
    expect((await seen(B)).search('lighthouse beacon').total).toBe(0);
    expect(engine.search('lighthouse beacon').total).toBe(0);
    expect(await stored(A)).toEqual(['lighthouse']);
  });

  it("uses the title, source, date and url typed with the command, ignoring empty ones", async () => {
    const answer = await add({ file: attachment('l.md', enc(ARTICLE)), title: 'My title', source: '', date: '3 May 2021', url: 'https://example.org/a' });
    expect(answer.heading).toBe('Added: My title');
    expect(excerptsOf(answer)[0]!.article).toMatchObject({ title: 'My title', source: 'The Coast Herald', date: '2021-05-03', url: 'https://example.org/a' });
  });

  it('refuses a file Discord reports as over 1 MB without downloading it', async () => {
    const file = attachment('big.md', enc(ARTICLE), MAX_UPLOAD_BYTES + 1);
    const answer = await add({ file });
    expect(answer.notice).toBe('“big.md” is 1001 KB; the limit is 1 MB.');
    expect(file.reads).toBe(0);
  });

  it("passes the library's reason on when it refuses the file", async () => {
    expect((await add({ file: attachment('slides.pptx', enc(ARTICLE)) })).notice).toBe('Only .txt, .md, .html, .htm, .pdf, .docx files can be added; “slides.pptx” is not one.');
    expect((await add({ file: attachment('a.md', enc(ARTICLE)), date: 'yesterday' })).notice).toMatch(/is not a date I can read/);
    expect((await add({ file: attachment('a.md', new Uint8Array([0xff, 0xfe, 0x41])) })).notice).toBe('“a.md” is not UTF-8 text.');
    expect(await stored(A)).toEqual([]);
  });

  it('refuses a link it cannot parse or must not fetch with a reason, not an error', async () => {
    const zoned = await add({ url: 'http://[fe80::1%25lo]/' });
    expect(zoned.heading).toBe('Not added');
    expect(zoned.notice).toBe('Could not download the link [fe80::1%25lo]: [fe80::1%25lo] is not a public web address. Nothing was added.');
    expect((await add({ url: 'http://a:b:c/' })).notice).toBe('“http://a:b:c/” is not a web address I can read; check that it was copied whole. Nothing was added.');
    expect(await stored(A)).toEqual([]);
  });

  it('asks for a file when none is attached', async () => {
    for (const file of [undefined, 'lighthouse.md']) {
      expect((await add({ file })).notice).toBe('Attach a file (.txt, .md, .html, .htm, .pdf, .docx) or give a link to a web page or a PDF with url:.');
    }
  });

  it('refuses the same text twice in one server, but not in another', async () => {
    await added();
    const again = await add({ file: attachment('again.md', enc(ARTICLE)) });
    expect(again.heading).toBe('Not added');
    expect(again.notice).toBe('This text is already here, as “Lighthouse keepers restore the old beacon”.');
    expect((await added(await ctx({ scope: B }))).article.id).toBe(`${B}-lighthouse`);
  });

  it('refuses a copy of an article of the shared corpus', async () => {
    const rferl = engine.article(RFERL)!;
    const answer = await add({ file: attachment('copy.md', readFileSync(join(CORPUS, `${RFERL}.md`))) });
    expect(answer.notice).toBe(`This text is already here, as “${rferl.title}”.`);
  });
});

describe('/remove', () => {
  const id = `${A}-lighthouse`;

  it('removes nothing without the Manage Server permission or outside a server, and says why', async () => {
    await added();
    for (const [over, why] of [
      [{ caller: { userId: '3', canManageServer: false } }, /Manage Server permission/],
      [{ caller: undefined }, /Manage Server permission/],
      [{ scope: undefined }, /only be added or removed in a Discord server/],
    ] as const) {
      const asked = await removeCommand.execute({ article: id }, await ctx(over));
      expect(asked.heading).toBe('Not removed');
      expect(asked.notice).toMatch(why);
      expect(asked.confirm).toBeUndefined();
      const confirmed = await removeCommand.confirm(id, await ctx(over));
      expect(confirmed.heading).toBe('Not removed');
      expect(confirmed.notice).toMatch(why);
    }
    expect(await stored(A)).toEqual(['lighthouse']);
    expect((await seen(A)).article(id)).toBeDefined();
  });

  it('asks for confirmation first, and removes nothing until it is given', async () => {
    await added();
    const answer = await removeCommand.execute({ article: id }, await ctx());
    expect(answer.heading).toBe('Remove “Lighthouse keepers restore the old beacon”?');
    expect(answer.confirm).toEqual({ id, label: 'Remove' });
    expect(answer.notice).toMatch(/Its 3 paragraphs will no longer be quoted here/);
    expect(await stored(A)).toEqual(['lighthouse']);
    expect((await seen(A)).search('lighthouse beacon').total).toBeGreaterThan(0);
  });

  it('finds the article to remove from a typed partial title too', async () => {
    await added();
    expect((await removeCommand.execute({ article: 'lighthouse keep' }, await ctx())).confirm?.id).toBe(id);
  });

  it('removes the file and the article from the engine when confirmed', async () => {
    await added();
    const { confirm } = await removeCommand.execute({ article: id }, await ctx());
    const done = await removeCommand.confirm(confirm!.id, await ctx());
    expect(done.heading).toBe('Removed “Lighthouse keepers restore the old beacon”');
    expect(done.notice).toBe('It will no longer be quoted in this server.');
    expect(await stored(A)).toEqual([]);
    expect((await seen(A)).article(id)).toBeUndefined();
    expect((await seen(A)).search('lighthouse beacon').total).toBe(0);
    expect(await stores.db.query('select * from articles')).toEqual([]);
  });

  it('says the article is gone when the confirmation comes twice', async () => {
    await added();
    await removeCommand.confirm(id, await ctx());
    const twice = await removeCommand.confirm(id, await ctx());
    expect(twice.heading).toBe('Not removed');
    expect(twice.notice).toBe('That article is no longer here.');
  });

  it('cannot remove an article of the shared corpus', async () => {
    for (const ref of [RFERL, 'weaker basic treaty']) {
      const answer = await removeCommand.execute({ article: ref }, await ctx());
      expect(answer.heading).toBe('Not removed');
      expect(answer.notice).toBe('Only articles added to this server with /add can be removed; pick one from the list.');
      expect(answer.confirm).toBeUndefined();
    }
    expect((await removeCommand.confirm(RFERL, await ctx())).notice).toBe('That article is no longer here.');
    expect(engine.article(RFERL)).toBeDefined();
    expect(existsSync(join(CORPUS, `${RFERL}.md`))).toBe(true);
  });

  it("cannot remove another server's article, even with its exact id", async () => {
    await added(await ctx({ scope: B }));
    const other = `${B}-lighthouse`;
    expect((await removeCommand.execute({ article: other }, await ctx())).confirm).toBeUndefined();
    expect((await removeCommand.confirm(other, await ctx())).heading).toBe('Not removed');
    expect(await stored(B)).toEqual(['lighthouse']);
    expect((await seen(B)).article(other)).toBeDefined();
  });

  it("offers only the server's own articles in autocomplete", async () => {
    await added();
    await added(await ctx({ scope: B }));
    expect(removeCommand.autocomplete('article', '', await ctx())).toEqual([{ name: 'Lighthouse keepers restore the old beacon', value: id }]);
    expect(removeCommand.autocomplete('article', 'treaty', await ctx())).toEqual([]);
  });
});
