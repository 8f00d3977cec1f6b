/**
 * Every command and option of the real bot, run as a user would in the local test Discord: the bot is
 * `startBot` (what `npm start` runs) and the commands were registered with `npm run deploy`'s code. Each
 * test reads the reply as the user sees it: quotes, bold words, counts and citations.
 */
import { InteractionResponseType } from 'discord.js';
import { describeViolation } from '../discord/validate.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { EPHEMERAL, LEVEL, ask, expectAcknowledgedOnce, expectVerbatim, readCorpusFiles, startFootnote, type Footnote, type SourceFile } from './harness.js';

const RFERL = 'Russia: Moscow And North Korea To Sign Weaker Basic Treaty';
const KOREA_TIMES = 'Experts say concerns about new NK-Russia treaty overblown';

let footnote: Footnote;
let files: SourceFile[];

beforeAll(async () => {
  footnote = await startFootnote();
  files = readCorpusFiles();
});

afterAll(async () => {
  await footnote?.stop();
});

describe('registering the commands', () => {
  it("registers the whole registry, the five reading commands among it, in the test server with npm run deploy's code", () => {
    expect(footnote.deployment).toEqual({ scope: 'guild', applicationId: footnote.fake.applicationId, count: commands.length });
    const registered = footnote.fake.registeredCommands;
    expect(registered.map((command) => command.name).sort()).toEqual(commands.map((command) => command.data.name).sort());
    expect(registered.map((command) => command.name)).toEqual(expect.arrayContaining(['search', 'who', 'treaty', 'sources', 'help']));
    expect(registered.every((command) => command.guild_id === footnote.fake.guildId)).toBe(true);
  });

  it('logs that it indexed the corpus and is ready, and nothing worse than info', () => {
    expect(footnote.logs.withMessage('corpus indexed')[0]).toMatchObject({ articles: 2, paragraphs: expect.any(Number) });
    expect(footnote.logs.withMessage('ready')).toHaveLength(1);
    expect(footnote.logs.atLeast(LEVEL.warn)).toEqual([]);
  });
});

describe('/search', () => {
  it('quotes the paragraph about the June 16 talks word for word, with the query words in bold and a full citation', async () => {
    const { reply, callback } = await ask(footnote.fake, 'search', { query: 'talks on June 16' });

    expect(callback.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(reply.title).toBe('Search: “talks on June 16”');
    expect(reply.blocks[0]).toMatch(/^\d+ matching paragraphs?$/);
    const talks = reply.quotes.find((quote) => quote.text.includes('began the latest round of talks on June 16'));
    expect(talks).toMatchObject({ title: RFERL, cited: 'RFE/RL · 20 June 1997 · ¶3', paragraph: 3 });
    expect(talks!.bold).toEqual(expect.arrayContaining(['talks', 'June 16']));
    for (const quote of reply.quotes) expectVerbatim(quote, files);
  });

  it('says how many paragraphs matched and that it shows the best five when there are more', async () => {
    const { reply } = await ask(footnote.fake, 'search', { query: 'treaty' });

    const [, total] = /^(\d+) matching paragraphs, showing the best 5$/.exec(reply.blocks[0]!) ?? [];
    expect(Number(total)).toBeGreaterThan(5);
    expect(reply.quotes).toHaveLength(5);
    for (const quote of reply.quotes) {
      expectVerbatim(quote, files);
      expect(quote.bold.map((word) => word.toLowerCase())).toContain('treaty');
    }
  });

  it('cites The Korea Times without a date, because the article prints none', async () => {
    const { reply } = await ask(footnote.fake, 'search', { query: 'Sejong Institute' });

    const quote = reply.quotes[0]!;
    expect(quote.title).toBe(KOREA_TIMES);
    expect(quote.cited).toMatch(/^The Korea Times · ¶\d+$/);
    expect(quote.text).toContain('Sejong Institute');
    expectVerbatim(quote, files);
  });

  it('answers politely, without quotes, when no paragraph matches', async () => {
    const { reply } = await ask(footnote.fake, 'search', { query: 'zeppelin' });

    expect(reply.blocks).toEqual(['No paragraph matches “zeppelin”.']);
    expect(reply.quotes).toEqual([]);
  });

  it('answers in a direct message as in a server', async () => {
    const { reply } = await ask(footnote.fake, 'search', { query: 'talks on June 16' }, { guildId: null });

    expect(reply.quotes[0]?.cited).toBe('RFE/RL · 20 June 1997 · ¶3');
  });
});

describe('/who', () => {
  it('shows Karasin’s card: full name, role, where he appears, and the paragraphs that mention him', async () => {
    const { reply } = await ask(footnote.fake, 'who', { name: 'Karasin' });

    expect(reply.title).toBe('Grigory Karasin');
    expect(reply.blocks[0]).toBe('Russian Deputy Foreign Minister');
    expect(reply.bold).toContain('Russian Deputy Foreign Minister');
    expect(reply.blocks).toContain(`Appears in: ${RFERL}`);
    expect(reply.blocks).toContain('2 matching paragraphs');
    expect(reply.quotes.map((quote) => quote.cited)).toEqual(['RFE/RL · 20 June 1997 · ¶2', 'RFE/RL · 20 June 1997 · ¶3']);
    expect(reply.quotes[0]!.text).toContain('Russian Deputy Foreign Minister Grigory Karasin said');
    for (const quote of reply.quotes) {
      expectVerbatim(quote, files);
      expect(quote.bold.join(' ')).toMatch(/Karasin/);
    }
  });

  it('finds Karasin when the name is misspelt "Karassin"', async () => {
    const { reply } = await ask(footnote.fake, 'who', { name: 'Karassin' });

    expect(reply.title).toBe('Grigory Karasin');
    expect(reply.blocks[0]).toBe('Russian Deputy Foreign Minister');
  });

  it('says politely that an unknown name is not in the articles and offers the closest names', async () => {
    const { reply } = await ask(footnote.fake, 'who', { name: 'Karimov' });

    expect(reply.title).toBe('Who is “Karimov”?');
    expect(reply.blocks[0]).toBe('No one called “Karimov” appears in the 2 articles.');
    expect(reply.blocks.at(-1)).toMatch(/^Closest names: .*Grigory Karasin.*\?$/);
    expect(reply.quotes).toEqual([]);
  });

  it('suggests "Grigory Karasin" among at most 25 names while "Kar" is typed', async () => {
    const sent = footnote.fake.sendAutocomplete('who', { name: 'Kar' }, 'name');

    const callback = await sent.callback();
    expect(callback.callbackType).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expectAcknowledgedOnce(sent);
    expect(callback.choices!.length).toBeLessThanOrEqual(25);
    expect(callback.choices).toContainEqual({ name: 'Grigory Karasin', value: 'Grigory Karasin' });
    expect(footnote.fake.rejections).toEqual([]);
  });

  it('suggests up to 25 names before anything is typed', async () => {
    const callback = await footnote.fake.sendAutocomplete('who', { name: '' }, 'name').callback();

    expect(callback.choices!.length).toBeGreaterThan(0);
    expect(callback.choices!.length).toBeLessThanOrEqual(25);
  });
});

describe('/treaty', () => {
  it('quotes both articles’ paragraphs about the 1961 treaty, with 1961 in bold', async () => {
    const { reply } = await ask(footnote.fake, 'treaty', { query: '1961' });

    expect(reply.title).toBe('Treaties: “1961”');
    expect(reply.blocks[0]).toMatch(/^\d+ matching paragraphs?/);
    const cited = reply.quotes.map((quote) => `${quote.title} · ${quote.cited}`);
    expect(cited).toEqual(expect.arrayContaining([`${RFERL} · RFE/RL · 20 June 1997 · ¶2`, `${KOREA_TIMES} · The Korea Times · ¶3`]));
    for (const quote of reply.quotes) {
      expectVerbatim(quote, files);
      expect(quote.text).toContain('1961');
      expect(quote.bold).toContain('1961');
    }
  });

  it('shows the treaty timeline in date order, 1961 first, when no query is given', async () => {
    const { reply } = await ask(footnote.fake, 'treaty');

    expect(reply.title).toBe('Treaty timeline');
    expect(reply.blocks[0]).toMatch(/^\d+ dated events?/);
    const labels = reply.quotes.map((quote) => quote.label);
    expect(labels[0]).toBe('1961');
    const years = labels.map((label) => Number(/\d{4}/.exec(label ?? '')?.[0]));
    expect(years).toEqual([...years].sort((a, b) => a - b));
    expect(new Set(reply.quotes.map((quote) => quote.title))).toEqual(new Set([RFERL, KOREA_TIMES]));
    for (const quote of reply.quotes) expectVerbatim(quote, files);
  });
});

describe('/sources', () => {
  it('lists both articles with their source, date when known, and paragraph counts', async () => {
    const { reply } = await ask(footnote.fake, 'sources');

    const count = (title: string) => footnote.bot.engine.articles.find((article) => article.title === title)!.paragraphs.length;
    expect(reply.title).toBe('Sources');
    expect(reply.blocks[0]).toBe('2 articles');
    expect(reply.blocks).toContain(`1. ${KOREA_TIMES}\nThe Korea Times · ${count(KOREA_TIMES)} paragraphs`);
    expect(reply.blocks).toContain(`2. ${RFERL}\nRFE/RL · 20 June 1997 · ${count(RFERL)} paragraphs`);
  });
});

describe('/help', () => {
  it('lists every registered command with an example of it, and where to find the message command', async () => {
    const { reply } = await ask(footnote.fake, 'help');

    for (const command of footnote.fake.registeredCommands.filter((c) => c.type === 1)) {
      const line = reply.blocks.find((block) => block.startsWith(`/${command.name}: `));
      expect(line, `/help says nothing about /${command.name}`).toBeDefined();
      expect(line).toMatch(new RegExp(`Example: /${command.name}\\b`));
    }
    // A message's Apps menu command is found there, not typed: /help says where.
    expect(reply.blocks).toContainEqual(expect.stringMatching(/^Find sources \(in a message's Apps menu\): on any message, Apps → Find sources/));
  });
});

describe('the private and mention options of /search, /who and /treaty', () => {
  it('answers only the asker when private is set', async () => {
    const { message, reply } = await ask(footnote.fake, 'who', { name: 'Karasin', private: true });

    expect(message.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.title).toBe('Grigory Karasin');
  });

  it('pings exactly the one person named in mention, and nobody else', async () => {
    const reader = '1100000000000000077';

    const sent = footnote.fake.sendCommand('search', { query: '@everyone treaty 1961', mention: reader });

    const message = await sent.answer();
    expectAcknowledgedOnce(sent);
    expect(message.content).toBe(`<@${reader}>`);
    expect(message.allowed_mentions).toEqual({ parse: [], users: [reader] });
    expect(JSON.stringify(message.embeds)).not.toMatch(/@everyone/);
    expect(footnote.fake.rejections.map((r) => r.violations.map(describeViolation))).toEqual([]);
  });

  it('suggests at most 25 searches while a query is typed', async () => {
    const sent = footnote.fake.sendAutocomplete('search', { query: 'trea' }, 'query');
    const callback = await sent.callback();

    expect(callback.callbackType).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expectAcknowledgedOnce(sent);
    expect(callback.choices!.length).toBeLessThanOrEqual(25);
  });
});
