/**
 * Find sources on a message, /check and /cite, run as users do in the local test Discord with the
 * real bot. The message context menu is sent as Discord sends it (an application command of type 3
 * with the message in `resolved.messages`); every reply is held to Discord's rules and must ping
 * nobody: not the message's author, not whoever or whatever it mentions.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIInteractionResponseCallbackData } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_ID, type SentInteraction } from '../discord/fake-discord.js';
import type { ChannelMessage } from '../discord/payloads.js';
import { user } from '../discord/payloads.js';
import { EPHEMERAL, Sent, expectWellFormed, finishFootnote, readEmbed, shownComponent, startFootnote, type Footnote } from './harness.js';

const GUILD = '1100000000000000003';
const AUTHOR = user('1100000000000000044', 'claimant');
const MENTIONED = user('1100000000000000066', 'mentioned');
const ROLE = '1100000000000000055';

/**
 * The newspaper article the APA, MLA and Chicago manuals use as their example, with every field;
 * the author written "Family, Given", which is what lets a style invert and abbreviate a name.
 */
const EXAMPLE = `---
title: Can we get better at forgetting?
author: Carey, Benedict
source: The New York Times
date: 2019-03-22
url: https://www.nytimes.com/2019/03/22/health/memory-forgetting-psychology.html
---
Memory researchers have long studied how people remember, and now some study how people forget on purpose.

Intentional forgetting, they say, is a skill that can be practised and measured in the laboratory.
`;

/** An article of which nothing is known but its title. */
const TITLE_ONLY = `---
title: Notes on the reading list
---
The reading list for the term includes the treaty of 1961 and the articles about its renewal.
`;

let dataDir: string;
let footnote: Footnote;
const sent = new Sent();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-check-'));
  mkdirSync(join(dataDir, 'guilds', GUILD), { recursive: true });
  writeFileSync(join(dataDir, 'guilds', GUILD, 'forgetting.md'), EXAMPLE);
  writeFileSync(join(dataDir, 'guilds', GUILD, 'reading-list.md'), TITLE_ONLY);
  footnote = await startFootnote({ discord: { guildId: GUILD }, env: { DATA_DIR: dataDir } });
});

afterAll(() => finishFootnote(footnote, sent, dataDir));

async function answered(interaction: SentInteraction): Promise<APIInteractionResponseCallbackData> {
  sent.track(interaction);
  const message = await interaction.answer();
  expectWellFormed(footnote.fake, interaction, message);
  return message;
}

const findSources = (posted: ChannelMessage) => answered(footnote.fake.sendMessageCommand('Find sources', { author: AUTHOR, ...posted }));
const isEphemeral = (message: APIInteractionResponseCallbackData) => ((message.flags ?? 0) & EPHEMERAL) === EPHEMERAL;
const embedOf = (message: APIInteractionResponseCallbackData) => readEmbed(message.embeds![0]!);

/** Nothing in a reply reads as a ping: no mention in its content or embed, and none allowed. */
function expectNoPings(message: APIInteractionResponseCallbackData): void {
  expect(message.allowed_mentions).toEqual({ parse: [] });
  const text = `${message.content ?? ''} ${JSON.stringify(message.embeds ?? [])}`;
  expect(text).not.toMatch(/<@[!&]?\d+>|@everyone|@here/);
}

describe('registering', () => {
  it('registers Find sources as a message command and /check, /cite as slash commands with npm run deploy', () => {
    const registered = footnote.fake.registeredCommands;
    expect(registered.find((c) => c.name === 'Find sources')).toMatchObject({ type: 3, description: '' });
    expect(registered.find((c) => c.name === 'check')).toMatchObject({ type: 1 });
    expect(registered.find((c) => c.name === 'cite')).toMatchObject({ type: 1 });
  });
});

describe('Find sources on a message', () => {
  it('answers privately with the paragraphs about what the message says, cited, with Share in channel', async () => {
    const message = await findSources({ content: 'Russia and North Korea signed a treaty of friendship in 1961.' });
    expect(isEphemeral(message)).toBe(true);
    expectNoPings(message);
    const reply = embedOf(message);
    expect(reply.title).toBe('Find sources');
    expect(reply.blocks).toContain('1 claim');
    expect(reply.quotes.length).toBeGreaterThan(0);
    expect(reply.quotes.some((q) => /1961/.test(q.text))).toBe(true);
    expect(reply.quotes[0]!.cited).toMatch(/¶\d+$/);
    shownComponent(message, 'Share in channel');
  });

  it('picks the claims out of a long message with quotes, links, code, emoji and markdown, at most five', async () => {
    const long = [
      '> someone said the treaty was weak',
      'Honestly 😂 I think **the 1961 treaty** had a clause on military aid: https://example.org/a?b=c',
      '```js\nconsole.log("not a claim")\n```',
      'Karasin said Moscow would sign a new basic treaty with Pyongyang. The talks began on June 16!',
      'lol',
      'Experts say the concerns about the new treaty are overblown. Lee In Kyu teaches at a university in Seoul. Putin visited Pyongyang in June. The alliance was renewed in 1996 :fire:',
    ].join('\n');
    const reply = embedOf(await findSources({ content: long }));
    const claims = reply.blocks.filter((block) => /^\d+\. “/.test(block)).map((block) => /^\d+\. “(.*?)”/.exec(block)![1]);
    expect(claims).toHaveLength(5);
    expect(reply.blocks).toContain('5 claims');
    for (const claim of claims) expect(claim).not.toMatch(/https?:|console\.log|😂|:fire:|\*\*|^>/);
    expect(claims).not.toContain('lol');
  });

  it.each<[string, ChannelMessage]>([
    ['only an image', { attachments: [{ id: '1100000000000000090', filename: 'map.png', size: 10, url: 'https://cdn.example/map.png', proxy_url: 'https://cdn.example/map.png', content_type: 'image/png' }] }],
    ['only a sticker', { stickers: [{ id: '1100000000000000091', name: 'wave', format_type: 1 }] }],
    ['only an embed', { embeds: [{ title: 'A link preview', url: 'https://example.org' }] }],
  ])('says a message with %s has no text to check', async (_what, posted) => {
    const message = await findSources(posted);
    expect(isEphemeral(message)).toBe(true);
    expect(embedOf(message).blocks).toEqual(['This message has no text to check (it holds only an image, a sticker, an embed or a file).']);
  });

  it('pings no one: not the author, not a mentioned member or role, not @everyone, not even when shared', async () => {
    const content = `@everyone <@${MENTIONED.id}> <@&${ROLE}> the treaty of 1961 was signed in Moscow, remember @here`;
    const message = await findSources({ content, mentions: [MENTIONED], mentionRoles: [ROLE], mentionEveryone: true });
    expectNoPings(message);
    expect(embedOf(message).quotes.length).toBeGreaterThan(0);

    const shared = await answered(footnote.fake.sendComponent(shownComponent(message, 'Share in channel').custom_id));
    expect(isEphemeral(shared)).toBe(false);
    expect(shared.allowed_mentions).toEqual({ parse: [] });
    expect(shared.content).toBe(`Shared by <@${DEFAULT_USER_ID}>`);
    expect(JSON.stringify(shared.embeds)).not.toMatch(/<@[!&]?\d+>|@everyone|@here/);
  });
});

describe('/check', () => {
  it('checks typed text as Find sources checks a message, privately', async () => {
    const message = await answered(footnote.fake.sendCommand('check', { text: 'Moscow and Pyongyang began talks on June 16.' }));
    expect(isEphemeral(message)).toBe(true);
    const reply = embedOf(message);
    expect(reply.blocks).toContain('1 claim');
    expect(reply.quotes.some((q) => q.text.includes('June 16'))).toBe(true);
  });
});

/** The code blocks of a /cite reply: the reference, then the in-text citation. */
async function cite(options: Record<string, string | number>): Promise<string[]> {
  const message = await answered(footnote.fake.sendCommand('cite', options));
  return [...(message.embeds![0]!.description ?? '').matchAll(/```\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
}

describe('/cite', () => {
  // The manuals' own examples for this article (APA Style's newspaper example, MLA Handbook 9th ed.,
  // Chicago Manual of Style 17th ed. author-date), in plain text: a code block has no italics, and
  // MLA's advice to drop "https://" is left to the writer, as the official CSL style does.
  const URL = 'https://www.nytimes.com/2019/03/22/health/memory-forgetting-psychology.html';
  it.each([
    ['apa', `Carey, B. (2019, March 22). Can we get better at forgetting? The New York Times. ${URL}`, '(Carey, 2019, para. 2)'],
    // "para.2" without a space is the official MLA style's own output: its locator group has no delimiter.
    ['mla', `Carey, Benedict. “Can We Get Better at Forgetting?” The New York Times, 22 Mar. 2019, ${URL}.`, '(Carey, para.2)'],
    ['chicago', `Carey, Benedict. 2019. “Can We Get Better at Forgetting?” The New York Times, March 22, 2019. ${URL}.`, '(Carey 2019, para. 2)'],
  ])('cites an article with every field in %s as the manual does', async (style, reference, inText) => {
    expect(await cite({ article: 'Can we get better at forgetting', style, paragraph: 2 })).toEqual([reference, inText]);
  });

  it.each([
    ['apa', 'Notes on the reading list. (n.d.).', '(Notes on the Reading List, n.d.)'],
    ['mla', 'Notes on the Reading List.', '(Notes on the Reading List)'],
    ['chicago', '“Notes on the Reading List.” n.d.', '(“Notes on the Reading List,” n.d.)'],
  ])('cites an article with only a title in %s: title first, no date as the style says, nothing invented', async (style, reference, inText) => {
    expect(await cite({ article: 'Notes on the reading list', style })).toEqual([reference, inText]);
  });

  it('autocompletes the article from its title, the title shown and the id sent', async () => {
    const autocomplete = sent.track(footnote.fake.sendAutocomplete('cite', { article: 'forgetting' }, 'article'));
    const callback = await autocomplete.callback();
    expect(callback.choices).toEqual([{ name: 'Can we get better at forgetting?', value: `${GUILD}-forgetting` }]);
  });

  it('refuses a paragraph the article does not have, saying which it has', async () => {
    const message = await answered(footnote.fake.sendCommand('cite', { article: 'Notes on the reading list', paragraph: 9 }));
    expect(embedOf(message).blocks).toEqual(['“Notes on the reading list” has only ¶1; there is no ¶9.']);
  });

  it('puts a Cite button under the Full paragraph view, which gives the APA reference with the paragraph', async () => {
    const search = await answered(footnote.fake.sendCommand('search', { query: 'intentional forgetting' }));
    const menu = shownComponent(search, 'Full paragraph with its context…');
    const full = await answered(footnote.fake.sendComponent(menu.custom_id, { values: [menu.options![0]!.value] }));
    const cited = await answered(footnote.fake.sendComponent(shownComponent(full, 'Cite').custom_id));
    expect(isEphemeral(cited)).toBe(true);
    const blocks = [...(cited.embeds![0]!.description ?? '').matchAll(/```\n([\s\S]*?)\n```/g)].map((m) => m[1]);
    expect(blocks).toEqual([`Carey, B. (2019, March 22). Can we get better at forgetting? The New York Times. ${URL}`, '(Carey, 2019, para. 2)']);
  });
});
