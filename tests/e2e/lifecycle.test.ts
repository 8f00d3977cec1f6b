/**
 * Starting and stopping the bot: in-process (what every other end-to-end test does) and as `npm start`
 * really runs it, a child process running `tsx src/bot/main.ts`, with its JSON logs on stdout and its
 * one-line configuration errors on stderr.
 *
 * The child is started with the repository's own `node_modules/.bin/tsx`, which is what `npm start`
 * runs; going through `npx` or `npm` would add npm's own notices to stderr and a second process to stop.
 */
import { describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/bot/deploy.js';
import { loadConfig } from '../../src/config.js';
import { InteractionType } from 'discord.js';
import type { InteractionBody } from '../discord/fake-discord.js';
import { fakeFor, leftSince, openHandles, startScript, waitForLog } from './processes.js';
import { LEVEL, ask, botEnv, startFootnote } from './harness.js';



describe('starting and stopping in-process', () => {
  it('leaves no socket, server, timer or file watcher behind once the bot and the fake are stopped', async () => {
    const before = openHandles();
    const footnote = await startFootnote();
    await ask(footnote.fake, 'who', { name: 'Karasin' });

    await footnote.stop();

    await expect.poll(() => leftSince(before)).toEqual([]);
    expect(footnote.logs.atLeast(LEVEL.warn)).toEqual([]);
  });
});



// One child at a time: side by side they would starve the burst test (running in another worker) of CPU.
describe('npm start as a child process', () => {
  it('reaches ready, answers /who, and stops cleanly with exit code 0 on SIGTERM', async ({ expect, onTestFinished }) => {
    const fake = await fakeFor(onTestFinished);
    const env = botEnv(fake);
    await deployCommands(loadConfig(env));
    const bot = startScript('src/bot/main.ts', env, onTestFinished);

    expect(await waitForLog(bot, 'ready')).toMatchObject({ level: LEVEL.info, user: 'Footnote' });
    const { reply } = await ask(fake, 'who', { name: 'Karasin' });
    expect(reply.title).toBe('Grigory Karasin');
    expect(reply.blocks[0]).toBe('Russian Deputy Foreign Minister');

    process.kill(bot.child.pid!, 'SIGTERM');

    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(bot.logs().find((record) => record.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM' });
    expect(bot.logs().filter((record) => record.level >= LEVEL.warn)).toEqual([]);
    expect(bot.stderr.join('\n').trim()).toBe('');
  });

  it('survives a payload that makes discord.js itself throw, logs it, and goes on answering', async ({ expect, onTestFinished }) => {
    const fake = await fakeFor(onTestFinished);
    const env = botEnv(fake);
    await deployCommands(loadConfig(env));
    const bot = startScript('src/bot/main.ts', env, onTestFinished);
    await waitForLog(bot, 'ready');

    // Options that are not a list: discord.js's option parser throws while building the interaction,
    // in the gateway's event handler, before any listener of ours is called.
    const forged = { type: InteractionType.ApplicationCommand, data: { id: '1', name: 'who', type: 1, options: 5 } } as unknown as InteractionBody;
    const sent = fake.sendInteraction(forged);
    await waitForLog(bot, 'uncaught error; still serving');
    // The member who sent it is not left waiting: the same apology as for any failure, privately.
    expect(await sent.answer()).toMatchObject({ content: 'Sorry, something went wrong while answering. It has been logged; please try again.', flags: 64, allowed_mentions: { parse: [] } });
    const { reply } = await ask(fake, 'who', { name: 'Karasin' });

    expect(reply.title).toBe('Grigory Karasin');
    expect(bot.child.exitCode).toBeNull();
  });

  it('exits with code 1 instead of staying up deaf when Discord closes the gateway for good (4014)', async ({ expect, onTestFinished }) => {
    const fake = await fakeFor(onTestFinished);
    const bot = startScript('src/bot/main.ts', botEnv(fake), onTestFinished);
    await waitForLog(bot, 'ready');

    await expect(fake.closeGateway(4014, 500)).rejects.toThrow(/did not reconnect/);

    expect(await bot.exited).toEqual({ code: 1, signal: null });
    expect(bot.logs().find((record) => record.level >= LEVEL.error)).toMatchObject({ msg: 'gateway disconnected for good; restart the bot', code: 4014 });
  });

  it('without DISCORD_TOKEN, exits non-zero with one clear line naming DISCORD_TOKEN and npm run ask, and no stack trace', async ({ expect, onTestFinished }) => {
    const bot = startScript('src/bot/main.ts', { ...process.env, DISCORD_TOKEN: '', DISCORD_API_URL: 'http://127.0.0.1:9/api' }, onTestFinished);

    const { code } = await bot.exited;

    expect(code).not.toBe(0);
    const lines = bot.stderr.filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^footnote: .*DISCORD_TOKEN/);
    expect(lines[0]).toContain('npm run ask');
    expect(lines[0]).not.toMatch(/\bat .+:\d+:\d+/);
    expect(bot.stdout.filter((line) => line.trim() !== '')).toEqual([]);
  });

  it('with a DATABASE_URL nothing answers at, exits non-zero with one clear line naming it, and no stack trace', async ({ expect, onTestFinished }) => {
    const env = { ...process.env, DISCORD_TOKEN: 'x', DISCORD_API_URL: 'http://127.0.0.1:9/api', DATABASE_URL: 'postgres://footnote:secret@127.0.0.1:9/footnote' };
    const bot = startScript('src/bot/main.ts', env, onTestFinished);

    const { code } = await bot.exited;

    expect(code).toBe(1);
    const lines = bot.stderr.filter((line) => line.trim() !== '');
    expect(lines).toEqual([expect.stringMatching(/^footnote: database: could not open the Postgres server of DATABASE_URL \(Postgres at 127\.0\.0\.1:9\/footnote\): .*ECONNREFUSED.*Check DATABASE_URL/)]);
    expect(lines[0]).not.toContain('secret');
  });
});
