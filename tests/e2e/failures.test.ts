/**
 * What happens when something goes wrong: a command that throws, Discord failing or rate-limiting a reply,
 * an interaction that expired, a dropped gateway connection, a command the bot no longer has, and work
 * slow enough to need a deferred reply. Each test starts its own bot and fake Discord, since faults queue
 * up per route.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { InteractionResponseType, SlashCommandBuilder } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { Command } from '../../commands/types.js';
import { EPHEMERAL, LEVEL, ask, expectWellFormed, startFootnote, type Footnote, type FootnoteOptions } from './harness.js';

const CALLBACK = 'POST /interactions/:interaction/:token/callback';
const SORRY = 'Sorry, something went wrong while answering. It has been logged; please try again.';

/** A real command whose handler always throws. */
const explode: Command = {
  data: new SlashCommandBuilder().setName('explode').setDescription('Always fails, for the tests'),
  example: '/explode',
  execute() {
    throw new Error('boom: the handler failed');
  },
};

/** Slow work: returns a promise, so the bot must defer before answering. */
const slow: Command = {
  data: new SlashCommandBuilder().setName('slow').setDescription('Answers after a while, for the tests'),
  example: '/slow',
  async execute(_input, { engine }) {
    await sleep(150);
    return engine.who('Karasin');
  },
};

/** Slow work that fails after the bot has deferred. */
const slowFailure: Command = {
  data: new SlashCommandBuilder().setName('slow-failure').setDescription('Fails after a while, for the tests'),
  example: '/slow-failure',
  async execute() {
    await sleep(50);
    throw new Error('boom: the slow work failed');
  },
};

let footnote: Footnote | undefined;

async function start(options: FootnoteOptions = {}): Promise<Footnote> {
  footnote = await startFootnote(options);
  return footnote;
}

afterEach(async () => {
  await footnote?.stop();
  footnote = undefined;
});

/** The bot still answers: /who Karasin gets Karasin's card. */
async function expectStillServing({ fake }: Footnote): Promise<void> {
  const { reply } = await ask(fake, 'who', { name: 'Karasin' });
  expect(reply.title).toBe('Grigory Karasin');
}

describe('a command that throws', () => {
  it('tells the user, privately, that something went wrong, logs the error, and keeps serving', async () => {
    const { fake, logs, deployment } = await start({ commands: [...commands, explode] });
    expect(deployment.count).toBe(commands.length + 1);

    const sent = fake.sendCommand('explode');

    const message = await sent.answer();
    expectWellFormed(fake, sent, message);
    expect(message).toMatchObject({ content: SORRY, flags: EPHEMERAL });
    const [failed] = logs.withMessage('command failed');
    expect(failed).toMatchObject({ level: LEVEL.error, command: 'explode', interactionId: sent.id, err: { message: 'boom: the handler failed' } });
    await expectStillServing(footnote!);
  });

  it('replaces the "thinking…" message with the apology when slow work fails after deferring', async () => {
    const { fake, logs } = await start({ commands: [...commands, slowFailure] });

    const sent = fake.sendCommand('slow-failure');

    const message = await sent.answer();
    expectWellFormed(fake, sent, message);
    expect(message.content).toBe(SORRY);
    expect(sent.replies.map((reply) => [reply.kind, reply.callbackType ?? reply.target])).toEqual([
      ['callback', InteractionResponseType.DeferredChannelMessageWithSource],
      ['edit', '@original'],
    ]);
    expect(logs.withMessage('command failed')).toHaveLength(1);
    await expectStillServing(footnote!);
  });
});

describe('Discord failing a reply', () => {
  it('retries after a 500 on the callback, and the user gets exactly one answer', async () => {
    const { fake } = await start();
    fake.injectFault(CALLBACK, { kind: 'server-error' });

    const { sent, reply } = await ask(fake, 'who', { name: 'Karasin' });

    expect(reply.title).toBe('Grigory Karasin');
    expect(sent.replies.map((r) => r.status)).toEqual([500, 204]);
  });

  it("waits out a 429's retry_after, then sends the answer once", async () => {
    const { fake } = await start();
    fake.injectFault(CALLBACK, { kind: 'rate-limit', retryAfterSeconds: 0.3 });

    const { sent, reply } = await ask(fake, 'who', { name: 'Karasin' });

    expect(reply.title).toBe('Grigory Karasin');
    const [limited, retried] = fake.requests.filter((request) => request.route === CALLBACK);
    expect([limited?.status, retried?.status]).toEqual([429, 204]);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(300);
    expect(sent.replies.filter((r) => r.status < 300)).toHaveLength(1);
  });

  it('logs an expired interaction (10062) as a warning, sends nothing more for it, and answers the next one', async () => {
    const { fake, logs } = await start();
    fake.injectFault(CALLBACK, { kind: 'unknown-interaction' });

    const expired = fake.sendCommand('who', { name: 'Karasin' });

    await expect.poll(() => logs.withMessage('interaction expired before the reply was sent')).toHaveLength(1);
    expect(logs.withMessage('interaction expired before the reply was sent')[0]).toMatchObject({ level: LEVEL.warn, interactionId: expired.id });
    expect(expired.replies.map((r) => r.status)).toEqual([404]);
    expect(logs.atLeast(LEVEL.error)).toEqual([]);
    // The error names the URL it failed on, which carries the interaction's token: never logged.
    const logged = JSON.stringify(logs.records);
    expect(logged).toContain(`/interactions/${expired.id}/[redacted]/callback`);
    expect(logged).not.toContain(expired.payload.token);
    await expectStillServing(footnote!);
  });
});

describe('the gateway connection dropping', () => {
  it('resumes after close code 4000 and answers what was sent meanwhile and afterwards', async () => {
    const { fake, logs } = await start();

    const back = fake.closeGateway(4000);
    const meanwhile = fake.sendCommand('who', { name: 'Karasin' });

    expect(await back).toBe('resumed');
    expect(fake.gatewaySessions).toEqual({ identifies: 1, resumes: 1 });
    const answer = await meanwhile.answer();
    expect(answer.embeds?.[0]?.title).toBe('Grigory Karasin');
    await expectStillServing(footnote!);
    expect(logs.withMessage('gateway connection lost, reconnecting')).toMatchObject([{ level: LEVEL.warn, shard: 0 }]);
    expect(logs.withMessage('gateway resumed')).toHaveLength(1);
  });
});

describe('a command the bot does not have', () => {
  it('answers politely and privately, pointing to /help', async () => {
    const { fake, logs } = await start();

    const sent = fake.sendCommand('gone', { page: 2 });

    const message = await sent.answer();
    expectWellFormed(fake, sent, message);
    expect(message).toMatchObject({ flags: EPHEMERAL });
    expect(message.content).toBe("I don't know the command /gone (it may have been removed). Type /help to see what I can do.");
    expect(logs.withMessage('unknown command')[0]).toMatchObject({ level: LEVEL.warn, command: 'gone' });
  });
});

describe('a slow command', () => {
  it('defers first (callback type 5), then edits the original message with the answer', async () => {
    const { fake } = await start({ commands: [...commands, slow] });

    const sent = fake.sendCommand('slow');

    const message = await sent.answer();
    expectWellFormed(fake, sent, message);
    const [defer, edit] = sent.replies;
    expect(defer).toMatchObject({ kind: 'callback', callbackType: InteractionResponseType.DeferredChannelMessageWithSource, status: 204 });
    expect(edit).toMatchObject({ kind: 'edit', target: '@original', status: 200 });
    expect(edit!.elapsedMs).toBeGreaterThanOrEqual(150);
    expect(message.embeds?.[0]?.title).toBe('Grigory Karasin');
    expect(sent.replies).toHaveLength(2);
  });
});
