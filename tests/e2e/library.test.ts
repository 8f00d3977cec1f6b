/**
 * A server's own articles, end to end: /add with a file attached (the local Discord serves the file's bytes,
 * as Discord's CDN does), the checks on what is uploaded and on who uploads it, the article stored under
 * in the database under that server and visible in that server only, and /remove with its confirmation. Members
 * without Manage Server are refused in the bot's code, as a server can make the commands visible to them.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ButtonStyle, ComponentType, InteractionResponseType, PermissionFlagsBits, type APIInteractionResponseCallbackData } from 'discord.js';
import { toMarkdown } from '../../src/article.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot/start.js';
import { DEFAULT_MEMBER_PERMISSIONS, type CommandOptionValues, type FakeAttachment, type InteractionContext, type InteractionReply, type SentInteraction } from '../discord/fake-discord.js';
import { EPHEMERAL, LEVEL, LogLines, Sent, finishFootnote, readEmbed, shownComponent, shownComponents, startFootnote, type Footnote, type ReadReply } from './harness.js';

const GUILD = '1100000000000000002';
const OTHER_GUILD = '1100000000000000004';
const ADMIN: InteractionContext = { permissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild };
const ADMIN_ELSEWHERE: InteractionContext = { ...ADMIN, guildId: OTHER_GUILD };
const NOT_ALLOWED = 'Only members with the Manage Server permission can add or remove articles.';

const HARBOUR_TITLE = 'Harbour ice report for the reading group';
const HARBOUR: FakeAttachment = {
  filename: 'harbour-ice.md',
  bytes: `---
title: "${HARBOUR_TITLE}"
source: Harbour Gazette
date: 1998-02-11
---
The harbour of Vladivostok froze early this winter, and the icebreakers worked through the night to keep the channel open.

Fishermen said the pack ice reached further than in any year they remembered, trapping three trawlers outside the breakwater.

The port authority promised a new icebreaker by next winter, paid for by the regional government.
`,
};

const LIGHTHOUSE: FakeAttachment = {
  filename: 'lighthouse.txt',
  bytes: `The last lighthouse keeper on the northern coast retired in spring, after forty years of climbing the tower every evening.

His logbooks record every storm and every ship that passed the rocks, written in the same blue ink.

The tower is now lit by a lamp that needs no keeper, and the logbooks went to the town museum.
`,
};

const ORCHARD_TITLE = 'Orchard growers count the cost of a late frost';
const ORCHARD_PARAGRAPHS = [
  'A late frost in the last week of April destroyed most of the apple blossom in the valley, and growers now expect the smallest harvest in twenty years.',
  'The cooperative that buys most of the fruit said it would import apples from the south to keep its cider press running through the autumn.',
  'Several growers have asked the regional council for emergency loans, saying that without them they will have to sell land that has been in their families for generations.',
  'Meteorologists said frosts this late in spring had become rarer over the past decades, which made the damage harder to insure against.',
];
const ORCHARD: FakeAttachment = {
  filename: 'orchard.html',
  bytes: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${ORCHARD_TITLE}</title>
<meta property="og:site_name" content="Valley Courier"></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>${ORCHARD_TITLE}</h1>
${ORCHARD_PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n')}
</article>
<footer>© Valley Courier. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>
`,
};

const TIDES: FakeAttachment = {
  filename: 'tides.md',
  bytes: `---
title: "Tide tables of the other server"
---
The tide tables for the estuary were reprinted with the corrections the harbour master sent in January.
`,
};

let dataDir: string;
let footnote: Footnote;
const sent = new Sent();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-library-'));
  footnote = await startFootnote({ discord: { guildId: GUILD }, env: { DATA_DIR: dataDir } });
});

afterAll(() => finishFootnote(footnote, sent, dataDir));

interface Shown {
  sent: SentInteraction;
  callback: InteractionReply;
  message: APIInteractionResponseCallbackData;
  reply: ReadReply;
}

async function shown(interaction: SentInteraction): Promise<Shown> {
  sent.track(interaction);
  const message = await interaction.answer();
  const embed = message.embeds?.[0];
  return { sent: interaction, callback: await interaction.callback(), message, reply: embed ? readEmbed(embed) : { title: '', blocks: [message.content ?? ''], bold: [], quotes: [], markdown: '', color: undefined } };
}

const command = (name: string, options: CommandOptionValues, context: InteractionContext = {}) => shown(footnote.fake.sendCommand(name, options, context));
const click = (customId: string, context: InteractionContext = {}) => shown(footnote.fake.sendComponent(customId, { context }));

/** /add as the member `context`: acknowledged at once (deferred, privately), then the reply edited in. */
async function add(file: FakeAttachment, context: InteractionContext = ADMIN, options: CommandOptionValues = {}): Promise<Shown> {
  const result = await command('add', { file, ...options }, context);
  expect(result.callback.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
  expect(result.callback.body).toMatchObject({ data: { flags: EPHEMERAL } });
  const edit = result.sent.replies.find((reply) => reply.message !== null)!;
  expect(edit).toMatchObject({ kind: 'edit', target: '@original', status: 200 });
  expect(result.message.allowed_mentions).toEqual({ parse: [] });
  expect(shownComponents(result.message)).toEqual([]);
  return result;
}

/** Every article the bot's store holds for the two servers, named `guilds/<server>/<slug>.md`. */
async function storedFiles(): Promise<string[]> {
  const named = async (guildId: string) => (await footnote.bot.store.list(guildId)).map((a) => join('guilds', guildId, `${a.id.slice(guildId.length + 1)}.md`));
  return [...(await named(GUILD)), ...(await named(OTHER_GUILD))].sort();
}

/** A stored article of this server as Markdown, front matter first. */
async function storedText(slug: string): Promise<string> {
  const article = (await footnote.bot.store.list(GUILD)).find((a) => a.id === `${GUILD}-${slug}`);
  if (!article) throw new Error(`nothing is stored as ${slug}`);
  return toMarkdown(article);
}

const inGuild = (name: string) => join('guilds', GUILD, name);
const downloaded = (filename: string) => footnote.fake.downloads.filter((download) => download.filename === filename);
const titlesFound = async (query: string, context: InteractionContext = {}) => (await command('search', { query }, context)).reply.quotes.map((quote) => quote.title);

describe('/add, by a member without Manage Server', () => {
  it('is refused in the code, privately, without downloading the file or storing anything', async () => {
    const { reply } = await add(HARBOUR, {});

    expect(reply.title).toBe('Not added');
    expect(reply.blocks).toEqual([NOT_ALLOWED]);
    expect(downloaded(HARBOUR.filename)).toEqual([]);
    expect(await storedFiles()).toEqual([]);
  });

  it('is refused in a direct message, where there is no server to add to', async () => {
    const { reply } = await add(HARBOUR, { ...ADMIN, guildId: null });

    expect(reply.blocks).toEqual(['Articles can only be added or removed in a Discord server.']);
    expect(await storedFiles()).toEqual([]);
  });
});

describe('/add, by a member with Manage Server', () => {
  it('adds a .md file: title, source, date and paragraph count from its front matter, and its first paragraph to check', async () => {
    const { reply } = await add(HARBOUR);

    expect(reply.title).toBe(`Added: ${HARBOUR_TITLE}`);
    expect(reply.blocks[0]).toBe('Harbour Gazette · 11 February 1998 · 3 paragraphs');
    expect(reply.blocks[1]).toBe('Check that the first paragraph below was read right; /remove takes the article out again.');
    expect(reply.quotes).toMatchObject([
      {
        title: HARBOUR_TITLE,
        text: 'The harbour of Vladivostok froze early this winter, and the icebreakers worked through the night to keep the channel open.',
        paragraph: 1,
      },
    ]);
    expect(downloaded(HARBOUR.filename)).toMatchObject([{ status: 200 }]);
    expect(await storedFiles()).toEqual([inGuild('harbour-ice.md')]);
    expect(await storedText('harbour-ice')).toContain(`title: ${HARBOUR_TITLE}\n`);
  });

  it('adds a .txt file without a headline, named by its first paragraph, which stays paragraph 1', async () => {
    const { reply } = await add(LIGHTHOUSE);

    const first = 'The last lighthouse keeper on the northern coast retired in spring, after forty years of climbing the tower every evening.';
    expect(reply.title).toBe(`Added: ${first}`);
    expect(reply.blocks[0]).toBe('3 paragraphs');
    expect(reply.quotes).toMatchObject([{ text: first, paragraph: 1 }]);
    expect(await storedFiles()).toContain(inGuild('lighthouse.md'));
  });

  it('adds an .html page as its article only: the headline as title, the site as source, the paragraphs without the page chrome', async () => {
    const { reply } = await add(ORCHARD);

    expect(reply.title).toBe(`Added: ${ORCHARD_TITLE}`);
    expect(reply.blocks[0]).toBe(`Valley Courier · ${ORCHARD_PARAGRAPHS.length} paragraphs`);
    expect(reply.quotes).toMatchObject([{ title: ORCHARD_TITLE, text: ORCHARD_PARAGRAPHS[0], paragraph: 1 }]);
    const stored = await storedText('orchard');
    for (const paragraph of ORCHARD_PARAGRAPHS) expect(stored).toContain(paragraph);
    expect(stored).not.toMatch(/Privacy|Sport|<p>/);
  });

  it('uses the title, source, date and url typed with the command over what the file says', async () => {
    const { reply } = await add(
      { filename: 'harbour-copy.md', bytes: 'The harbour master kept a copy of the ice report, with notes in the margin about each trawler that was trapped.\n' },
      ADMIN,
      { title: 'Margin notes on the ice report', source: 'Harbour archive', date: '1998-03-02', url: 'https://example.org/ice' },
    );

    expect(reply.title).toBe('Added: Margin notes on the ice report');
    expect(reply.blocks[0]).toBe('Harbour archive · 2 March 1998 · 1 paragraph');
    expect(await storedText('harbour-copy')).toContain("url: 'https://example.org/ice'\n");
  });

  it('makes the article searchable in this server only', async () => {
    expect(await titlesFound('icebreakers trawlers')).toContain(HARBOUR_TITLE);
    expect(await titlesFound('apple blossom frost')).toContain(ORCHARD_TITLE);

    const elsewhere = await command('search', { query: 'icebreakers trawlers' }, { guildId: OTHER_GUILD });
    expect(elsewhere.reply.quotes).toEqual([]);
    expect(elsewhere.reply.blocks).toEqual(['No paragraph matches “icebreakers trawlers”.']);
    expect((await command('search', { query: 'icebreakers trawlers' }, { guildId: null })).reply.quotes).toEqual([]);
  });

  it('stores another server’s articles in that server’s own folder', async () => {
    const { reply } = await add(TIDES, ADMIN_ELSEWHERE);

    expect(reply.title).toBe('Added: Tide tables of the other server');
    expect(await storedFiles()).toContain(join('guilds', OTHER_GUILD, 'tides.md'));
    expect(await titlesFound('estuary tide tables', { guildId: OTHER_GUILD })).toEqual(['Tide tables of the other server']);
    expect(await titlesFound('estuary tide tables')).toEqual([]);
  });
});

describe('what /add refuses, with a reason the member can act on', () => {
  it('a file over 1 MB, without downloading it', async () => {
    const { reply } = await add({ filename: 'huge.md', bytes: Buffer.alloc(2_000_000, 'A paragraph that repeats. ') });

    expect(reply.title).toBe('Not added');
    expect(reply.blocks).toEqual(['“huge.md” is 2000 KB; the limit is 1 MB.']);
    expect(downloaded('huge.md')).toEqual([]);
  });

  it('a file of a type it does not read, without downloading it', async () => {
    const { reply } = await add({ filename: 'slides.pptx', bytes: 'PK\u0003\u0004 slides' });

    expect(reply.blocks).toEqual(['Only .txt, .md, .html, .htm, .pdf, .docx files can be added; “slides.pptx” is not one.']);
    expect(downloaded('slides.pptx')).toEqual([]);
  });

  it('a PDF cut off before its end', async () => {
    const { reply } = await add({ filename: 'treaty-scan.pdf', bytes: '%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n' });

    expect(reply.blocks).toEqual(['“treaty-scan.pdf” is cut off: it does not end as a PDF does (was the download complete?).']);
  });

  it('a file with no paragraphs', async () => {
    const { reply } = await add({ filename: 'headings.md', bytes: '---\ntitle: "Only headings"\n---\n# Contents\n\n## Part one\n' });

    expect(reply.blocks).toEqual(['“headings.md” has no paragraphs (only headings or short lines).']);
  });

  it('a file that is not UTF-8 text', async () => {
    const { reply } = await add({ filename: 'latin1.txt', bytes: Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72]) });

    expect(reply.blocks).toEqual(['“latin1.txt” is not UTF-8 text.']);
  });

  it('the same text again, under another name, and an article of the shared corpus', async () => {
    const again = await add({ ...HARBOUR, filename: 'harbour-again.md' });
    expect(again.reply.blocks).toEqual([`This text is already here, as “${HARBOUR_TITLE}”.`]);

    const corpus = readFileSync(new URL('../../corpus/korea-times-nk-russia-treaty-concerns-overblown.md', import.meta.url));
    const shared = await add({ filename: 'korea.md', bytes: corpus });
    expect(shared.reply.blocks).toEqual(['This text is already here, as “Experts say concerns about new NK-Russia treaty overblown”.']);
  });

  it('a bad date or web address', async () => {
    const file = { filename: 'notes.md', bytes: 'Notes taken at the meeting of the reading group, about the talks and the treaty drafts.\n' };
    expect((await add(file, ADMIN, { date: 'last Tuesday' })).reply.blocks).toEqual(['“last Tuesday” is not a date I can read; write it like 1997-06-20.']);
    expect((await add(file, ADMIN, { url: 'javascript:alert(1)' })).reply.blocks).toEqual(['“javascript:alert(1)” is not a web address (http:// or https://).']);
  });

  it('stores nothing for any of them', async () => {
    expect(await storedFiles()).toEqual(
      [inGuild('harbour-copy.md'), inGuild('harbour-ice.md'), inGuild('lighthouse.md'), inGuild('orchard.md'), join('guilds', OTHER_GUILD, 'tides.md')].sort(),
    );
  });
});

describe('file names', () => {
  it('stores "../../x.md" under a safe name in its server, and writes no file beside or above DATA_DIR', async () => {
    const escape = join(dataDir, 'x.md');
    const above = join(dataDir, '..', 'x.md');
    const existedAbove = existsSync(above);

    const { reply } = await add({ filename: '../../x.md', bytes: 'A note that tried to climb out of its folder by the name it was uploaded under.\n' });

    expect(reply.title).toMatch(/^Added: /);
    expect(await storedFiles()).toContain(inGuild('x.md'));
    expect((await storedFiles()).every((file) => file.startsWith(join('guilds', GUILD)) || file.startsWith(join('guilds', OTHER_GUILD)))).toBe(true);
    expect(existsSync(escape)).toBe(false);
    expect(existsSync(above)).toBe(existedAbove);
  });

  it('gives a second file of the same name its own name', async () => {
    await add({ filename: 'x.md', bytes: 'A different note with the same file name, about where the copies of the articles are kept.\n' });

    const names = (await storedFiles()).filter((file) => file.startsWith(join('guilds', GUILD)));
    expect(names).toEqual(expect.arrayContaining([inGuild('x.md'), inGuild('x-2.md')]));
  });
});

describe('/remove', () => {
  const harbourId = `${GUILD}-harbour-ice`;

  it('suggests only this server’s own articles', async () => {
    const all = await sent.track(footnote.fake.sendAutocomplete('remove', { article: '' }, 'article', ADMIN)).callback();
    expect(all.callbackType).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(all.choices!.length).toBeGreaterThan(0);
    expect(all.choices!.every((choice) => String(choice.value).startsWith(`${GUILD}-`))).toBe(true);
    expect(all.choices).toContainEqual({ name: HARBOUR_TITLE, value: harbourId });
    expect(all.choices!.map((choice) => choice.name)).not.toContain('Tide tables of the other server');
    expect(all.choices!.map((choice) => choice.name)).not.toContain('Experts say concerns about new NK-Russia treaty overblown');

    const typed = await sent.track(footnote.fake.sendAutocomplete('remove', { article: 'reading group' }, 'article', ADMIN)).callback();
    expect(typed.choices).toEqual([{ name: HARBOUR_TITLE, value: harbourId }]);

    const elsewhere = await sent.track(footnote.fake.sendAutocomplete('remove', { article: '' }, 'article', ADMIN_ELSEWHERE)).callback();
    expect(elsewhere.choices).toEqual([{ name: 'Tide tables of the other server', value: `${OTHER_GUILD}-tides` }]);
  });

  it('asks to confirm, privately, with a danger button; Cancel removes nothing', async () => {
    const asked = await command('remove', { article: harbourId }, ADMIN);

    expect(asked.callback.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(asked.message.flags).toBe(EPHEMERAL);
    expect(asked.reply.title).toBe(`Remove “${HARBOUR_TITLE}”?`);
    expect(asked.reply.blocks).toEqual(['Its 3 paragraphs will no longer be quoted here. This cannot be undone.']);
    expect(shownComponent(asked.message, 'Remove')).toMatchObject({ type: ComponentType.Button, style: ButtonStyle.Danger, disabled: false, custom_id: `fn:confirm:remove:${harbourId}` });
    expect(shownComponent(asked.message, 'Cancel')).toMatchObject({ style: ButtonStyle.Secondary });

    const cancelled = await click(shownComponent(asked.message, 'Cancel').custom_id, ADMIN);

    expect(cancelled.callback.callbackType).toBe(InteractionResponseType.UpdateMessage);
    expect(cancelled.message).toMatchObject({ content: 'Cancelled; nothing was changed.', embeds: [], components: [], allowed_mentions: { parse: [] } });
    expect((await storedFiles()).includes(inGuild('harbour-ice.md'))).toBe(true);
    expect(await titlesFound('icebreakers trawlers')).toContain(HARBOUR_TITLE);
  });

  it('refuses a confirmation pressed by a member who no longer has Manage Server', async () => {
    const asked = await command('remove', { article: harbourId }, ADMIN);

    const refused = await click(shownComponent(asked.message, 'Remove').custom_id, {});

    expect(refused.callback.callbackType).toBe(InteractionResponseType.UpdateMessage);
    expect(refused.reply.title).toBe('Not removed');
    expect(refused.reply.blocks).toEqual([NOT_ALLOWED]);
    expect(refused.message.components).toEqual([]);
    expect((await storedFiles()).includes(inGuild('harbour-ice.md'))).toBe(true);
  });

  it('removes the article on confirmation: its file is gone and /search no longer finds it', async () => {
    const asked = await command('remove', { article: harbourId }, ADMIN);

    const removed = await click(shownComponent(asked.message, 'Remove').custom_id, ADMIN);

    expect(removed.callback.callbackType).toBe(InteractionResponseType.UpdateMessage);
    expect(removed.reply.title).toBe(`Removed “${HARBOUR_TITLE}”`);
    expect(removed.reply.blocks).toEqual(['It will no longer be quoted in this server.']);
    expect(removed.message.components).toEqual([]);
    expect((await storedFiles()).includes(inGuild('harbour-ice.md'))).toBe(false);
    expect(await titlesFound('icebreakers trawlers')).not.toContain(HARBOUR_TITLE);
    expect(await titlesFound('estuary tide tables', { guildId: OTHER_GUILD })).toEqual(['Tide tables of the other server']);
  });

  it('refuses a member without Manage Server, a shared corpus article and another server’s article', async () => {
    const orchardId = `${GUILD}-orchard`;
    expect((await command('remove', { article: orchardId }, {})).reply.blocks).toEqual([NOT_ALLOWED]);
    const onlyOwn = 'Only articles added to this server with /add can be removed; pick one from the list.';
    expect((await command('remove', { article: 'korea-times-nk-russia-treaty-concerns-overblown' }, ADMIN)).reply.blocks).toEqual([onlyOwn]);
    const fromElsewhere = await command('remove', { article: orchardId }, ADMIN_ELSEWHERE);
    expect(fromElsewhere.reply.blocks).toEqual([onlyOwn]);
    expect(shownComponents(fromElsewhere.message)).toEqual([]);
    expect((await storedFiles()).includes(inGuild('orchard.md'))).toBe(true);
  });

  it('says "one paragraph" for an article of one paragraph', async () => {
    const asked = await command('remove', { article: `${GUILD}-harbour-copy` }, ADMIN);

    expect(asked.reply.blocks).toEqual(['Its one paragraph will no longer be quoted here. This cannot be undone.']);
  });
});

describe('after a restart', () => {
  it('loads each server’s articles from DATA_DIR, still visible in their own server only', async ({ onTestFinished }) => {
    await footnote.bot.stop();
    const logs = new LogLines();
    const bot = await startBot(footnote.env, { logStream: logs });
    // afterAll stops footnote.bot again, which is harmless; this bot is stopped here.
    onTestFinished(() => bot.stop());

    expect(await titlesFound('apple blossom frost')).toContain(ORCHARD_TITLE);
    expect(await titlesFound('apple blossom frost', { guildId: OTHER_GUILD })).not.toContain(ORCHARD_TITLE);
    expect(await titlesFound('icebreakers trawlers')).not.toContain(HARBOUR_TITLE);
    expect(logs.atLeast(LEVEL.warn)).toEqual([]);
  });
});
