/**
 * Browsing a reply, as users do in the local test Discord with the real bot: turning pages, a private reply
 * shared in the channel, the one person a reply may ping, the "Full paragraph" menu, /quote, and buttons that
 * expire. Every click goes through the fake, which only lets a test press components the bot really showed,
 * and every reply is held to Discord's rules (validator, 3-second deadline).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ButtonStyle, ComponentType, InteractionResponseType, InteractionType, type APIInteractionResponseCallbackData, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot/start.js';
import { DEFAULT_USER_ID, type CommandOptionValues, type InteractionContext, type InteractionReply, type SentInteraction } from '../discord/fake-discord.js';
import {
  EPHEMERAL,
  LEVEL,
  LogLines,
  Sent,
  finishFootnote,
  footerOf,
  readEmbed,
  shownComponent,
  shownComponents,
  startFootnote,
  type Footnote,
  type ShownComponent,
} from './harness.js';

const GUILD = '1100000000000000002';
const ASKER = DEFAULT_USER_ID;
const OTHER = '1100000000000000020';
const FRIEND = '1100000000000000077';
const KOREA_TIMES = 'Experts say concerns about new NK-Russia treaty overblown';
const KOREA_ID = 'korea-times-nk-russia-treaty-concerns-overblown';
const NOT_YOURS_TO_PAGE = 'Only the person who asked can turn the pages of this reply. Run the command yourself to browse.';
const NOT_YOURS_TO_SHARE = 'Only the person who asked can share this reply. Run the command yourself to browse.';
const EXPIRED = 'These results have expired. Run the command again to browse them.';

/** A server's own article whose text tries to ping everyone, a role and a user. */
const BULLETIN = `---
title: "Club bulletin for the reading group"
source: Reading Group
---
@everyone please read the bulletin about the talks before Thursday, and <@&1100000000000000055> and <@1100000000000000066> too.

The bulletin lists the chapters of the reading for next week and where the copies of the articles are kept.
`;

let dataDir: string;
let footnote: Footnote;
const sent = new Sent();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-browse-'));
  mkdirSync(join(dataDir, 'guilds', GUILD), { recursive: true });
  writeFileSync(join(dataDir, 'guilds', GUILD, 'club-bulletin.md'), BULLETIN);
  footnote = await startFootnote({ discord: { guildId: GUILD }, env: { DATA_DIR: dataDir } });
});

afterAll(() => finishFootnote(footnote, sent, dataDir));

interface Shown {
  sent: SentInteraction;
  callback: InteractionReply;
  /** The message the user sees: the reply, or the clicked message as updated. */
  message: APIInteractionResponseCallbackData;
}

async function shown(interaction: SentInteraction, tracker = sent): Promise<Shown> {
  tracker.track(interaction);
  return { sent: interaction, callback: await interaction.callback(), message: await interaction.answer() };
}

function command(name: string, options: CommandOptionValues = {}, context: InteractionContext = {}): Promise<Shown> {
  return shown(footnote.fake.sendCommand(name, options, context));
}

function click(customId: string, context: InteractionContext = {}, values?: string[]): Promise<Shown> {
  return shown(footnote.fake.sendComponent(customId, { context, ...(values && { values }) }));
}

/** A click on one particular message (sendComponent takes the newest message with the component). */
function clickOn(message: APIMessage, component: ShownComponent & { custom_id: string }, context: InteractionContext = {}): Promise<Shown> {
  const data = { custom_id: component.custom_id, component_type: component.type as ComponentType.Button };
  return shown(footnote.fake.sendInteraction({ type: InteractionType.MessageComponent, data, message }, context));
}

const quotesOf = (message: APIInteractionResponseCallbackData) => readEmbed(message.embeds![0]!).quotes;
const citations = (message: APIInteractionResponseCallbackData) => quotesOf(message).map((quote) => `${quote.title} ¶${quote.paragraph}`);
const isEphemeral = (message: { flags?: number | undefined }) => ((message.flags ?? 0) & EPHEMERAL) === EPHEMERAL;
const paragraphs = (articleId: string) => footnote.bot.engine.article(articleId)!.paragraphs.map((p) => p.text);

describe('turning pages', () => {
  it('shows page 1 of 2 of /search treaty with ‹ Prev disabled and Next › enabled', async () => {
    const { message, callback } = await command('search', { query: 'treaty' });

    expect(callback.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(footerOf(message)).toMatch(/^Page 1 of 2 · /);
    expect(quotesOf(message)).toHaveLength(5);
    expect(shownComponent(message, '‹ Prev')).toMatchObject({ type: ComponentType.Button, style: ButtonStyle.Secondary, disabled: true });
    expect(shownComponent(message, 'Next ›')).toMatchObject({ type: ComponentType.Button, style: ButtonStyle.Secondary, disabled: false });
    expect(shownComponents(message).map((c) => c.label ?? c.placeholder)).not.toContain('Share in channel');
  });

  it('turns to page 2 for the asker only, by updating the message, and back to page 1', async () => {
    const first = await command('search', { query: 'treaty' });
    const next = shownComponent(first.message, 'Next ›');

    // Someone else pressing Next gets a note only they see; the message stays on page 1.
    const other = await click(next.custom_id, { userId: OTHER });
    expect(other.callback.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(other.message)).toBe(true);
    expect(other.message.content).toBe(NOT_YOURS_TO_PAGE);
    expect(other.message.embeds ?? []).toEqual([]);
    expect(other.message.allowed_mentions).toEqual({ parse: [] });

    const second = await click(next.custom_id);
    // The message the asker clicked, as Discord held it then: still page 1.
    expect(footerOf(second.sent.payload.message as APIMessage)).toMatch(/^Page 1 of 2 · /);
    expect(other.sent.replies).toHaveLength(1);
    expect(second.callback.callbackType).toBe(InteractionResponseType.UpdateMessage);
    expect(footerOf(second.message)).toMatch(/^Page 2 of 2 · /);
    expect(quotesOf(second.message)).toHaveLength(3);
    for (const citation of citations(second.message)) expect(citations(first.message)).not.toContain(citation);
    expect(second.message.allowed_mentions).toEqual({ parse: [] });
    expect(second.message.content ?? '').toBe('');
    expect(shownComponent(second.message, '‹ Prev').disabled).toBe(false);
    expect(shownComponent(second.message, 'Next ›').disabled).toBe(true);

    const back = await click(shownComponent(second.message, '‹ Prev').custom_id);
    expect(back.callback.callbackType).toBe(InteractionResponseType.UpdateMessage);
    expect(footerOf(back.message)).toMatch(/^Page 1 of 2 · /);
    expect(back.message.embeds).toEqual(first.message.embeds);
    expect(shownComponent(back.message, '‹ Prev').disabled).toBe(true);
  });
});

describe('the "Full paragraph" menu', () => {
  it('offers each excerpt of the page, and shows the chosen paragraph in full, with ¶n−1 and ¶n+1, to whoever picks it', async () => {
    const { message } = await command('search', { query: 'treaty' });
    const menu = shownComponent(message, 'Full paragraph with its context…');
    expect(menu.type).toBe(ComponentType.StringSelect);
    expect(menu.options!.map((o) => o.label)).toEqual(quotesOf(message).map((q) => `¶${q.paragraph} · ${q.title}`));
    const option = menu.options!.find((o) => o.label === `¶3 · ${KOREA_TIMES}`)!;
    expect(option).toBeDefined();

    const full = await click(menu.custom_id, { userId: OTHER }, [option.value]);

    expect(full.callback.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(full.message)).toBe(true);
    expect(full.message.allowed_mentions).toEqual({ parse: [] });
    const reply = readEmbed(full.message.embeds![0]!);
    const text = paragraphs(KOREA_ID);
    expect(reply.title).toBe(KOREA_TIMES);
    expect(reply.quotes).toHaveLength(1);
    expect(reply.quotes[0]).toMatchObject({ paragraph: 3, text: text[2] });
    expect(reply.blocks).toContain(`-# ¶2: ${text[1]}`);
    expect(reply.blocks).toContain(`-# ¶4: ${text[3]}`);
  });

  it('on page 2, picks from the excerpts of page 2', async () => {
    const first = await command('search', { query: 'treaty' });
    const second = await click(shownComponent(first.message, 'Next ›').custom_id);
    const menu = shownComponent(second.message, 'Full paragraph with its context…');
    const [quote] = quotesOf(second.message);

    const full = await click(menu.custom_id, {}, [menu.options![0]!.value]);

    const reply = readEmbed(full.message.embeds![0]!);
    expect(reply.title).toBe(quote!.title);
    expect(reply.quotes.map((q) => q.paragraph)).toEqual([quote!.paragraph]);
  });
});

describe('private replies and sharing them', () => {
  it('answers privately with a "Share in channel" button, which shares the same excerpts publicly for the asker only, pinging nobody', async () => {
    const priv = await command('search', { query: 'treaty', private: true });
    expect(isEphemeral(priv.message)).toBe(true);
    const share = shownComponent(priv.message, 'Share in channel');
    expect(share).toMatchObject({ type: ComponentType.Button, style: ButtonStyle.Primary, disabled: false });

    const other = await click(share.custom_id, { userId: OTHER });
    expect(isEphemeral(other.message)).toBe(true);
    expect(other.message.content).toBe(NOT_YOURS_TO_SHARE);

    const shared = await click(share.custom_id);
    expect(shared.callback.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(shared.message)).toBe(false);
    expect(shared.message.content).toBe(`Shared by <@${ASKER}>`);
    expect(shared.message.allowed_mentions).toEqual({ parse: [] });
    expect(shared.message.embeds).toEqual(priv.message.embeds);
    expect(shownComponents(shared.message).map((c) => c.label ?? c.placeholder)).toEqual(['‹ Prev', 'Next ›', 'Full paragraph with its context…']);
  });

  it('keeps a shared reply public when the asker turns its pages: no "Share in channel" on it', async () => {
    const priv = await command('search', { query: 'treaty', private: true });
    const shared = await click(shownComponent(priv.message, 'Share in channel').custom_id);

    // The newest message with this Next is the shared one.
    const paged = await click(shownComponent(shared.message, 'Next ›').custom_id);

    expect(isEphemeral(paged.sent.payload.message as APIMessage)).toBe(false);
    expect(footerOf(paged.message)).toMatch(/^Page 2 of 2 · /);
    expect(shownComponents(paged.message).map((c) => c.label ?? c.placeholder)).toEqual(['‹ Prev', 'Next ›', 'Full paragraph with its context…']);
  });

  it('answers "Full paragraph" on the shared reply from its own page, whatever page the private copy shows', async () => {
    const priv = await command('search', { query: 'treaty', private: true });
    const shared = await click(shownComponent(priv.message, 'Share in channel').custom_id);
    // The private copy, as Discord held it when Share was pressed, turned to page 2.
    const privateMessage = shared.sent.payload.message as APIMessage;
    const turned = await clickOn(privateMessage, shownComponent(privateMessage, 'Next ›'));
    expect(footerOf(turned.message)).toMatch(/^Page 2 of 2 · /);

    const menu = shownComponent(shared.message, 'Full paragraph with its context…');
    const full = await click(menu.custom_id, { userId: OTHER }, [menu.options![0]!.value]);

    const [quote] = quotesOf(shared.message);
    const reply = readEmbed(full.message.embeds![0]!);
    expect(reply.blocks).not.toContain('The articles changed since this reply; run the command again.');
    expect(reply.title).toBe(quote!.title);
    expect(reply.quotes.map((q) => q.paragraph)).toEqual([quote!.paragraph]);
  });

  it('shares the page the private reply shows, whatever page an earlier shared copy was turned to', async () => {
    const priv = await command('search', { query: 'treaty', private: true });
    const share = shownComponent(priv.message, 'Share in channel');
    const shared = await click(share.custom_id);
    const paged = await click(shownComponent(shared.message, 'Next ›').custom_id);
    expect(footerOf(paged.message)).toMatch(/^Page 2 of 2 · /);

    const again = await click(share.custom_id);

    expect(isEphemeral(again.sent.payload.message as APIMessage)).toBe(true);
    expect(footerOf(again.message)).toMatch(/^Page 1 of 2 · /);
    expect(again.message.embeds).toEqual(priv.message.embeds);
  });

  it('shares a reply that mentions someone "for" them, pinging only them', async () => {
    const priv = await command('who', { name: 'Karasin', private: true, mention: FRIEND });
    expect(isEphemeral(priv.message)).toBe(true);

    const shared = await click(shownComponent(priv.message, 'Share in channel').custom_id);

    expect(shared.message.content).toBe(`Shared by <@${ASKER}> for <@${FRIEND}>`);
    expect(shared.message.allowed_mentions).toEqual({ parse: [], users: [FRIEND] });
  });
});

describe('mentions', () => {
  it('with mention, pings exactly that one person, also on the next page', async () => {
    const { message } = await command('search', { query: 'treaty', mention: FRIEND });

    expect(message.content).toBe(`<@${FRIEND}>`);
    expect(message.allowed_mentions).toEqual({ parse: [], users: [FRIEND] });

    const next = await click(shownComponent(message, 'Next ›').custom_id);
    expect(next.message.content).toBe(`<@${FRIEND}>`);
    expect(next.message.allowed_mentions).toEqual({ parse: [], users: [FRIEND] });
  });

  it('without mention, has no content and pings nobody', async () => {
    const { message } = await command('treaty', { query: '1961' });

    expect(message.content ?? '').toBe('');
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('never pings from quoted text: "@everyone", a role and a user in a paragraph stay text', async () => {
    const plain = await command('search', { query: 'bulletin Thursday' });
    const withMention = await command('search', { query: 'bulletin Thursday', mention: FRIEND });

    for (const { message } of [plain, withMention]) {
      const [quote] = quotesOf(message);
      expect(quote!.title).toBe('Club bulletin for the reading group');
      // Shown with a zero-width space after the @, so even a client that parses embeds would not ping.
      expect(quote!.text).toContain('@\u200beveryone please read the bulletin');
      expect(quote!.text).toContain('<@&1100000000000000055> and <@1100000000000000066>');
      expect(message.embeds![0]!.description).not.toMatch(/@everyone|(?<!\\)<@/);
    }
    expect(plain.message.content ?? '').toBe('');
    expect(plain.message.allowed_mentions).toEqual({ parse: [] });
    expect(withMention.message.content).toBe(`<@${FRIEND}>`);
    expect(withMention.message.allowed_mentions).toEqual({ parse: [], users: [FRIEND] });
  });
});

describe('/quote', () => {
  it('suggests the Korea Times article, by title, with its id as the value, while "korea" is typed', async () => {
    const autocomplete = sent.track(footnote.fake.sendAutocomplete('quote', { article: 'korea' }, 'article'));
    const callback = await autocomplete.callback();

    expect(callback.callbackType).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(callback.choices).toContainEqual({ name: KOREA_TIMES, value: KOREA_ID });
    expect(callback.choices!.every((choice) => choice.name !== 'Club bulletin for the reading group')).toBe(true);
  });

  it('quotes paragraph 3 in full with paragraphs 2 and 4 around it', async () => {
    const { message } = await command('quote', { article: KOREA_ID, paragraph: 3 });

    const reply = readEmbed(message.embeds![0]!);
    const text = paragraphs(KOREA_ID);
    expect(reply.title).toBe(KOREA_TIMES);
    expect(reply.blocks).toEqual([`-# ¶2: ${text[1]}`, `> ${text[2]}\n— ${KOREA_TIMES} · The Korea Times · ¶3`, `-# ¶4: ${text[3]}`]);
    expect(reply.quotes).toMatchObject([{ paragraph: 3, text: text[2], cited: 'The Korea Times · ¶3' }]);
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('says which paragraphs there are when asked for paragraph 99', async () => {
    const { message } = await command('quote', { article: KOREA_ID, paragraph: 99 });

    const reply = readEmbed(message.embeds![0]!);
    expect(reply.title).toBe(KOREA_TIMES);
    expect(reply.blocks).toEqual([`“${KOREA_TIMES}” has paragraphs ¶1 to ¶${paragraphs(KOREA_ID).length}; there is no ¶99.`]);
    expect(reply.quotes).toEqual([]);
  });
});

describe('when the buttons expire', () => {
  const LIFETIME_MS = 3000;
  let short: Footnote;
  const shortSent = new Sent();

  beforeAll(async () => {
    short = await startFootnote({ discord: { guildId: GUILD }, env: { DATA_DIR: dataDir }, sessionLifetimeMs: LIFETIME_MS });
  });

  afterAll(() => finishFootnote(short, shortSent));

  it('turns pages while the session lives, then greys out every button of the original message just before it ends', async () => {
    const asked = shortSent.track(short.fake.sendCommand('search', { query: 'treaty' }));
    const first = await asked.answer();
    const next = await shown(short.fake.sendComponent(shownComponent(first, 'Next ›').custom_id), shortSent);
    expect(footerOf(next.message)).toMatch(/^Page 2 of 2 · /);

    const [, edit] = await asked.waitForReplies(2);

    expect(edit).toMatchObject({ kind: 'edit', target: '@original', status: 200 });
    expect(edit!.elapsedMs).toBeGreaterThan(LIFETIME_MS * 0.8);
    const disabled = shownComponents(edit!.message!);
    expect(disabled.map((c) => c.custom_id)).toEqual(shownComponents(next.message).map((c) => c.custom_id));
    expect(disabled.every((c) => c.disabled === true)).toBe(true);
    // Only the components change: the excerpts stay as they were.
    expect(edit!.message!.embeds).toBeUndefined();
    expect(edit!.message!.allowed_mentions).toEqual({ parse: [] });
  });

  it('greys out the buttons of a shared copy of a private reply too, when the session ends', async () => {
    const asked = shortSent.track(short.fake.sendCommand('search', { query: 'treaty', private: true }));
    const first = await asked.answer();
    const shared = await shown(short.fake.sendComponent(shownComponent(first, 'Share in channel').custom_id), shortSent);
    expect(shownComponents(shared.message).some((c) => c.disabled !== true)).toBe(true);

    const [, edit] = await shared.sent.waitForReplies(2);

    expect(edit).toMatchObject({ kind: 'edit', target: '@original', status: 200 });
    expect(shownComponents(edit!.message!).every((c) => c.disabled === true)).toBe(true);
    expect(edit!.message!.allowed_mentions).toEqual({ parse: [] });
  });

  it('when the buttons could not be greyed out in time, a click after the lifetime greys them out and explains, without an error', async () => {
    // Discord fails the bot's look-up of its reply, so the proactive edit cannot happen.
    short.fake.injectFault('GET /webhooks/:application/:token/messages/:message', { kind: 'unknown-interaction' });
    const asked = shortSent.track(short.fake.sendCommand('search', { query: 'treaty', private: true }));
    const first = await asked.answer();
    await expect.poll(() => short.fake.requests.filter((r) => r.fault === 'unknown-interaction')).toHaveLength(1);
    await expect.poll(() => Date.now() - Number((BigInt(asked.id) >> 22n) + 1_420_070_400_000n)).toBeGreaterThan(LIFETIME_MS);
    expect(asked.replies.filter((r) => r.kind === 'edit')).toEqual([]);

    const late = shortSent.track(short.fake.sendComponent(shownComponent(first, 'Next ›').custom_id));
    const [update, note] = await late.waitForReplies(2);

    expect(update).toMatchObject({ kind: 'callback', callbackType: InteractionResponseType.UpdateMessage });
    const components = shownComponents(update!.message!);
    expect(components.map((c) => c.custom_id)).toEqual(shownComponents(first).map((c) => c.custom_id));
    expect(components.every((c) => c.disabled === true)).toBe(true);
    expect(note).toMatchObject({ kind: 'follow-up' });
    expect(note!.message).toMatchObject({ content: EXPIRED, flags: EPHEMERAL, allowed_mentions: { parse: [] } });
  });
});

describe('after the bot restarts', () => {
  it('greys out the buttons of a reply from before, with a note, instead of failing', async ({ onTestFinished }) => {
    const before = await startFootnote({ discord: { guildId: GUILD }, env: { DATA_DIR: dataDir } });
    onTestFinished(() => before.fake.stop());
    const tracker = new Sent();
    const asked = tracker.track(before.fake.sendCommand('search', { query: 'treaty', private: true }));
    const first = await asked.answer();

    await before.bot.stop();
    const logs = new LogLines();
    const after = await startBot(before.env, { logStream: logs });
    onTestFinished(() => after.stop());

    const late = tracker.track(before.fake.sendComponent(shownComponent(first, 'Share in channel').custom_id));
    const [update, note] = await late.waitForReplies(2);

    expect(update).toMatchObject({ kind: 'callback', callbackType: InteractionResponseType.UpdateMessage });
    expect(shownComponents(update!.message!).every((c) => c.disabled === true)).toBe(true);
    expect(note!.message).toMatchObject({ content: EXPIRED, flags: EPHEMERAL });
    tracker.expectAllAnswered(before.fake);
    expect(logs.atLeast(LEVEL.warn)).toEqual([]);
  });
});
