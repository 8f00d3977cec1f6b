/**
 * The database failing under a running bot: the Postgres server stopped mid-run and started again.
 * What can be answered without it still is (the shared corpus, a server's index already in memory),
 * with a line saying the server's own articles may be out of date; what needs it says the database
 * is unreachable; autocomplete still answers; and all is as before once the server is back.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customId } from '../../src/bot/components.js';
import { DEFAULT_MEMBER_PERMISSIONS, type InteractionContext } from '../discord/fake-discord.js';
import { startPostgres, type PostgresHandle } from '../postgres-server.js';
import { ask, LEVEL, startFootnote, type Footnote } from './harness.js';

const A = '880000000000000001';
const C = '880000000000000003';
const ADMIN: InteractionContext = { guildId: A, permissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild };
const IN_A: InteractionContext = { guildId: A };
const IN_C: InteractionContext = { guildId: C };
const reading = (topic: string) => ({
  filename: `${topic}.md`,
  bytes: `---\ntitle: ${topic} survey finds faster melting\nsource: Alpine Weekly\n---\nTobias Wennerholm, a scientist at the Alpine Institute, said on Monday that the ${topic} had lost more ice this summer than in any year since records began.\n`,
});

const OUT_OF_DATE = 'This server’s own articles may be out of date: the database is unreachable; try again in a minute.';
const LEFT_OUT = 'This server’s own articles are left out of this answer: the database is unreachable; try again in a minute.';

describe('Postgres stopped while the bot runs', () => {
  let postgres: PostgresHandle;
  let footnote: Footnote;
  beforeAll(async () => {
    postgres = await startPostgres();
    footnote = await startFootnote({ discord: { guildId: A }, env: { DATABASE_URL: postgres.url } });
  }, 60_000);
  afterAll(async () => {
    await footnote?.stop();
    await postgres?.stop();
  });

  it('answers from the shared corpus and the loaded index with a note, refuses what needs the database, and recovers', async () => {
    expect((await ask(footnote.fake, 'add', { file: reading('glacier') }, ADMIN)).reply.title).toBe('Added: glacier survey finds faster melting');
    expect((await ask(footnote.fake, 'search', { query: 'glacier melting' }, IN_A)).reply.quotes.map((q) => q.title)).toEqual(['glacier survey finds faster melting']);
    const removal = await ask(footnote.fake, 'remove', { article: `${A}-glacier` }, ADMIN);
    expect(removal.reply.title).toBe('Remove “glacier survey finds faster melting”?');

    await postgres.pause();

    // A's index is in memory: still quoted, with the note.
    const loaded = await ask(footnote.fake, 'search', { query: 'glacier melting' }, IN_A);
    expect(loaded.reply.quotes.map((q) => q.title)).toEqual(['glacier survey finds faster melting']);
    expect(loaded.reply.blocks).toContain(OUT_OF_DATE);
    // C's is not: the shared corpus answers, saying C's own articles are left out.
    const shared = await ask(footnote.fake, 'who', { name: 'Karasin' }, IN_C);
    expect(shared.reply.title).toBe('Grigory Karasin');
    expect(shared.reply.blocks).toContain(LEFT_OUT);
    // What needs the database says so.
    expect((await ask(footnote.fake, 'add', { file: reading('moraine') }, ADMIN)).reply.blocks).toEqual(['Nothing was added: the database is unreachable; try again in a minute.']);
    const confirmed = await footnote.fake.sendComponent(customId('confirm', 'remove', `${A}-glacier`), { context: ADMIN }).answer();
    expect(confirmed.content).toBe('The database is unreachable; try again in a minute.');
    const suggested = await footnote.fake.sendAutocomplete('remove', { article: 'glac' }, 'article', ADMIN).callback();
    expect(suggested.choices).toEqual([{ name: 'glacier survey finds faster melting', value: `${A}-glacier` }]);

    await postgres.resume();

    const back = await ask(footnote.fake, 'search', { query: 'glacier melting' }, IN_A);
    expect(back.reply.quotes.map((q) => q.title)).toEqual(['glacier survey finds faster melting']);
    expect(back.reply.blocks).not.toContain(OUT_OF_DATE);
    expect((await ask(footnote.fake, 'add', { file: reading('moraine') }, ADMIN)).reply.title).toBe('Added: moraine survey finds faster melting');
    expect((await ask(footnote.fake, 'who', { name: 'Karasin' }, IN_C)).reply.blocks).not.toContain(LEFT_OUT);
    expect(footnote.logs.atLeast(LEVEL.error)).toEqual([]);
  }, 120_000);
});
