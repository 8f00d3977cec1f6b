/**
 * The database failing under a running bot. The Postgres server stopped mid-run and started again:
 * what can be answered without it still is (the shared corpus, a server's index already in memory),
 * with a line saying the server's own articles may be out of date; what needs it says the database
 * is unreachable; autocomplete still answers; and all is as before once the server is back. The
 * embedded database's disk filled up (a tmpfs the test mounts): writes are refused with the reason,
 * the rest answers, and a restart on the full disk still serves the shared corpus.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customId } from '../../src/bot/components.js';
import { DEFAULT_MEMBER_PERMISSIONS, type InteractionContext } from '../discord/fake-discord.js';
import { DISK_MARGIN_BYTES } from '../../src/database.js';
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

/** Mounts a tmpfs of `mb` MB on a new folder; what went wrong when mounting is not permitted here. */
function mountTmpfs(mb: number): { dir: string } | { problem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'footnote-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { problem: ((err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message).split('\n')[0]! };
  }
}

/** Fills the disk of `dir` with one file until only `leave` bytes are free. */
function fill(dir: string, leave: number): void {
  const { bavail, bsize } = statfsSync(dir);
  execFileSync('fallocate', ['-l', String(Math.max(0, bavail * bsize - leave)), join(dir, `filler-${leave}`)]);
}

describe('the embedded database’s disk full', () => {
  const DISK_FULL = 'the bot’s disk is full; please tell the bot’s operator';
  const B = '880000000000000002';

  it('refuses writes with the reason, answers the rest, and a restart on the full disk still serves the shared corpus', async ({ onTestFinished, skip }) => {
    // PGlite takes about 40 MB of it, and writes need DISK_MARGIN_BYTES free.
    const disk = mountTmpfs(160);
    if ('problem' in disk) return skip(`needs a tmpfs, which could not be mounted here (${disk.problem}); run the tests as root`);
    const { dir } = disk;
    // Each bot is stopped by the test, or at its end if an expectation failed first; then the disk goes.
    const stops: Array<() => Promise<void>> = [];
    onTestFinished(async () => {
      for (const stop of stops) await stop();
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    });
    const start = async () => {
      const footnote = await startFootnote({ discord: { guildId: A }, env: { DATA_DIR: dir } });
      let stopping: Promise<void> | undefined;
      const stop = () => (stopping ??= footnote.stop());
      stops.push(stop);
      return { ...footnote, stop };
    };
    let footnote = await start();
    expect((await ask(footnote.fake, 'add', { file: reading('glacier') }, ADMIN)).reply.title).toBe('Added: glacier survey finds faster melting');
    expect((await ask(footnote.fake, 'add', { file: reading('moraine') }, ADMIN)).reply.title).toBe('Added: moraine survey finds faster melting');

    fill(dir, DISK_MARGIN_BYTES / 2);
    expect((await ask(footnote.fake, 'add', { file: reading('crevasse') }, ADMIN)).reply.blocks).toEqual([`Nothing was added: ${DISK_FULL}.`]);
    expect((await ask(footnote.fake, 'search', { query: 'glacier melting' }, IN_A)).reply.quotes.map((q) => q.title)).toContain('glacier survey finds faster melting');
    expect((await ask(footnote.fake, 'who', { name: 'Karasin' }, { guildId: B })).reply.title).toBe('Grigory Karasin');
    // Removing takes no room the database has not kept for it.
    await ask(footnote.fake, 'remove', { article: `${A}-moraine` }, ADMIN);
    const removed = await footnote.fake.sendComponent(customId('confirm', 'remove', `${A}-moraine`), { context: ADMIN }).answer();
    expect(removed.embeds?.[0]?.title).toBe('Removed “moraine survey finds faster melting”');

    // Not a byte left.
    fill(dir, 0);
    expect((await ask(footnote.fake, 'add', { file: reading('crevasse') }, ADMIN)).reply.blocks).toEqual([`Nothing was added: ${DISK_FULL}.`]);
    expect((await ask(footnote.fake, 'search', { query: 'glacier melting' }, IN_A)).reply.quotes.map((q) => q.title)).toContain('glacier survey finds faster melting');
    expect((await ask(footnote.fake, 'search', { query: 'glacier melting' }, IN_C)).reply.quotes.map((q) => q.title)).not.toContain('glacier survey finds faster melting');
    await footnote.stop();

    footnote = await start();
    expect(footnote.logs.atLeast(LEVEL.error).map((r) => r.msg)).toEqual([`servers’ own articles are unavailable until a restart: ${DISK_FULL}`]);
    const shared = await ask(footnote.fake, 'who', { name: 'Karasin' }, IN_A);
    expect(shared.reply.title).toBe('Grigory Karasin');
    expect(shared.reply.blocks).toContain(`This server’s own articles are left out of this answer: ${DISK_FULL}.`);
    expect((await ask(footnote.fake, 'add', { file: reading('crevasse') }, ADMIN)).reply.blocks).toEqual([`Nothing was added: ${DISK_FULL}.`]);
    const suggested = await footnote.fake.sendAutocomplete('remove', { article: 'glac' }, 'article', ADMIN).callback();
    expect(suggested.choices).toEqual([]);
    await footnote.stop();

    // With room again, nothing acknowledged was lost.
    for (const leave of [DISK_MARGIN_BYTES / 2, 0]) rmSync(join(dir, `filler-${leave}`));
    footnote = await start();
    const back = await ask(footnote.fake, 'search', { query: 'glacier melting' }, IN_A);
    expect(back.reply.quotes.map((q) => q.title)).toContain('glacier survey finds faster melting');
    expect(back.reply.quotes.map((q) => q.title)).not.toContain('moraine survey finds faster melting');
  }, 300_000);
});
