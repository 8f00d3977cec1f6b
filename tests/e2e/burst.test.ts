/**
 * A reading group all asking at once: 500 interactions from 500 different users, sent as fast as the
 * gateway socket takes them. Every one must be answered exactly once, with the answer to its own question,
 * and nothing lost. The latencies are printed, not asserted: they depend on the machine and whatever else
 * loads it (and the fake Discord shares the bot's process and CPU); `npm run bench:burst` measures them.
 */
import { InteractionResponseType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandOptionValues, SentInteraction } from '../discord/fake-discord.js';
import { LEVEL, percentile, readEmbed, startFootnote, type Footnote } from './harness.js';

const BURST = 500;

const SEARCHES = ['talks on June 16', 'treaty 1961', 'Sejong Institute', 'famine', 'Brzezinski', 'ammunition and shells', 'Putin visit Pyongyang', 'Siberian logging camps', 'defense treaty', 'Kremlin partner', 'zeppelin'];
/** Names asked for, and the title of the card each gets. */
const NAMES: Record<string, string> = {
  Karasin: 'Grigory Karasin',
  Karassin: 'Grigory Karasin',
  Putin: 'Vladimir Putin',
  'Lee In Kyu': 'Lee In Kyu',
  'Jiang Zemin': 'Jiang Zemin',
  'Cho Han-bum': 'Cho Han-bum',
  Karimov: 'Who is “Karimov”?',
};
const TREATIES = ['1961', '', 'friendship treaty', 'abrogated 1996'];

interface Question {
  command: 'search' | 'who' | 'treaty';
  options: CommandOptionValues;
  /** The title the answer to this question must have (so no user gets someone else's answer). */
  title: string;
}

/** The i-th question of the burst: searches, people and treaties interleaved. */
function question(i: number): Question {
  const pick = <T>(list: readonly T[]) => list[Math.floor(i / 3) % list.length]!;
  switch (i % 3) {
    case 0: {
      const query = `${pick(SEARCHES)}${i % 2 ? '' : ` ${i}`}`;
      return { command: 'search', options: { query }, title: `Search: “${query}”` };
    }
    case 1: {
      const name = pick(Object.keys(NAMES));
      return { command: 'who', options: { name }, title: NAMES[name]! };
    }
    default: {
      const query = pick(TREATIES);
      return { command: 'treaty', options: query ? { query } : {}, title: query ? `Treaties: “${query}”` : 'Treaty timeline' };
    }
  }
}

let footnote: Footnote;

beforeAll(async () => {
  footnote = await startFootnote();
});

afterAll(async () => {
  await footnote?.stop();
});

describe('a burst of 500 interactions from different users', () => {
  it('answers every one exactly once, with its own answer', async () => {
    const { fake, logs } = footnote;
    const questions = Array.from({ length: BURST }, (_, i) => question(i));
    const started = Date.now();

    const sent: SentInteraction[] = questions.map((q, i) =>
      fake.sendCommand(q.command, q.options, { userId: String(1_100_000_000_000_100_000n + BigInt(i)), username: `reader${i}` }),
    );

    // A reply to each, accepted or not (a refused one fails below with what it was, not as a timeout).
    await expect.poll(() => sent.filter((interaction) => interaction.replies.length === 0).length, { timeout: 150_000, interval: 20 }).toBe(0);
    const totalMs = Date.now() - started;
    const latencies = sent.map((interaction) => interaction.replies[0]!.elapsedMs);
    const [p50, p99, max] = [percentile(latencies, 50), percentile(latencies, 99), Math.max(...latencies)];
    console.log(`burst: ${BURST} interactions answered in ${totalMs} ms; interaction-to-reply latency p50 ${p50} ms, p99 ${p99} ms, max ${max} ms`);
    // The bot logs each answer once the fake has acknowledged it; after that nothing more should come.
    await expect.poll(() => logs.withMessage('answered').length).toBe(BURST);

    // Exactly once: one accepted callback per interaction, the answer itself or, when the bot was too
    // busy to answer within a second, a deferral and then the one edit that answers.
    const outcomes = sent.map((interaction) => interaction.replies.map((reply) => `${reply.kind} ${reply.status}`).join(', '));
    const counted = tally(outcomes);
    expect(Object.keys(counted).filter((outcome) => outcome !== 'callback 204' && outcome !== 'callback 204, edit 200')).toEqual([]);
    expect(sent.filter((interaction) => interaction.replies.length === 2 && interaction.replies[0]!.callbackType !== InteractionResponseType.DeferredChannelMessageWithSource)).toEqual([]);
    console.log(`burst: ${counted['callback 204, edit 200'] ?? 0} of ${BURST} deferred first`);
    const callbackPaths = fake.requests.filter((request) => request.route === 'POST /interactions/:interaction/:token/callback').map((request) => request.path);
    expect(new Set(callbackPaths).size).toBe(BURST);
    expect(callbackPaths).toHaveLength(BURST);
    expect(fake.rejections).toEqual([]);
    expect(logs.atLeast(LEVEL.warn)).toEqual([]);

    // Each user got the answer to their own question, with no pings allowed.
    const answers = await Promise.all(sent.map((interaction) => interaction.answer()));
    answers.forEach((answer, i) => {
      expect(answer.allowed_mentions).toEqual({ parse: [] });
      expect(readEmbed(answer.embeds![0]!).title).toBe(questions[i]!.title);
    });
  });
});

/** How many times each value occurs. */
function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
