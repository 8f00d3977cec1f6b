/**
 * What users type that could go wrong in a reply: markdown that would reformat it, mentions that would ping
 * a whole server, and a question far longer than anyone types. The reply must show the text as typed, ping
 * no one, and stay within Discord's limits (the fake refuses what Discord would refuse).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, startFootnote, type Footnote } from './harness.js';

/** A mention Discord would render (and, if allowed, ping): `<@123>`, `<@!123>`, `<@&123>`, not escaped. */
const LIVE_MENTION = /(?<!\\)<@[!&]?\d+(?<!\\)>/;
/** `@everyone` / `@here` written plainly, which Discord would turn into a ping. */
const MASS_PING = /@(everyone|here)/i;

let footnote: Footnote;

beforeAll(async () => {
  footnote = await startFootnote();
});

afterAll(async () => {
  await footnote?.stop();
});

describe('markdown in the query', () => {
  it('shows the query exactly as typed, not as bold, italics, code, spoilers or a link', async () => {
    const query = '**treaty** _1961_ ~~gone~~ `code` ||spoiler|| [click](https://example.com) > # -';

    const { reply, message } = await ask(footnote.fake, 'search', { query });

    // Reading the markdown back gives the typed text: every marker was escaped, none was interpreted.
    expect(reply.title).toBe(`Search: “${query}”`);
    expect(message.embeds![0]!.title).not.toMatch(/(?<!\\)\*\*treaty/);
    expect(reply.quotes.length).toBeGreaterThan(0);
  });

  it('shows a name with markdown exactly as typed when /who does not know it', async () => {
    const name = '*Karimov*_the_`great`';

    const { reply } = await ask(footnote.fake, 'who', { name });

    expect(reply.title).toBe(`Who is “${name}”?`);
    expect(reply.blocks[0]).toBe(`No one called “${name}” appears in the 2 articles.`);
  });
});

describe('mentions in the query', () => {
  it('pings nobody for @everyone, @here and <@123> in a search', async () => {
    const { message } = await ask(footnote.fake, 'search', { query: '@everyone @here <@123> <@&456> treaty' });

    expect(message.allowed_mentions).toEqual({ parse: [] });
    const embed = message.embeds![0]!;
    for (const text of [embed.title, embed.description, message.content ?? '']) {
      expect(text).not.toMatch(MASS_PING);
      expect(text).not.toMatch(LIVE_MENTION);
    }
    // The user still sees what they typed: the zero-width space and the escapes are invisible.
    expect(embed.title).toContain('@\u200beveryone');
    expect(embed.title).toContain('\\<@123\\>');
  });

  it('pings nobody when /who repeats an unknown name that is a mention', async () => {
    const { message, reply } = await ask(footnote.fake, 'who', { name: 'Karasin @everyone <@123>' });

    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(message.embeds)).not.toMatch(MASS_PING);
    expect(message.embeds![0]!.description).not.toMatch(LIVE_MENTION);
    expect(reply.title.length).toBeGreaterThan(0);
  });
});

describe('a 10,000-character query', () => {
  // Discord's own client would refuse it: the option is registered with max_length 300. The fake does not
  // check option values, so this is what the bot does if one arrives anyway.
  it('is registered with a maximum length, so Discord itself stops it in the client', () => {
    const search = footnote.fake.registeredCommands.find((command) => command.name === 'search')!;
    expect(search.options?.[0]).toMatchObject({ name: 'query', max_length: 300 });
  });

  it('answers with the matches for its first words and says the rest was not used', async () => {
    const query = 'treaty 1961 '.repeat(834).slice(0, 10_000);

    const { reply, message } = await ask(footnote.fake, 'search', { query });

    expect(query).toHaveLength(10_000);
    expect(reply.blocks[0]).toBe('Your question was long, so only its first 300 characters were used.');
    expect(reply.quotes.length).toBeGreaterThan(0);
    expect(message.embeds![0]!.title!.length).toBeLessThanOrEqual(256);
  });

  it('answers a query of 10,000 markdown characters and mentions with a clear reply within the limits', async () => {
    const query = '*_`~|<@1>@everyone#-'.repeat(500);

    const { reply, message } = await ask(footnote.fake, 'search', { query });

    expect(query).toHaveLength(10_000);
    expect(reply.blocks[0]).toMatch(/has no words to look for|No paragraph matches/);
    expect(JSON.stringify(message.embeds)).not.toMatch(MASS_PING);
    expect(message.embeds![0]!.title).not.toMatch(LIVE_MENTION);
  });

  it('answers /who and /treaty with 10,000 characters too', async () => {
    const long = 'Karasin '.repeat(1250);

    const who = await ask(footnote.fake, 'who', { name: long });
    const treaty = await ask(footnote.fake, 'treaty', { query: long });

    expect(who.reply.title).toBe('Grigory Karasin');
    expect(who.reply.blocks).toContain('Your question was long, so only its first 300 characters were used.');
    expect(treaty.reply.title.length).toBeLessThanOrEqual(256);
  });
});
