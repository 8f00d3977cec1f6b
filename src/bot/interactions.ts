// Turning Discord interactions into engine answers and back. Everything Discord-specific about
// replying lives here: options in; embeds, buttons and menus out; mentions only on purpose;
// errors as short ephemeral messages.
import type { EventEmitter } from 'node:events';
import {
  DiscordAPIError,
  Events,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  Routes,
  type Client,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type MessageMentionOptions,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { contextIn, MESSAGE_TEXT, noted, type Command, type CommandContext, type CommandInput, type OptionValue } from '../../commands/types.js';
import { excerptsOf } from '../answer.js';
import { cite, STYLES, type StyleId } from '../cite.js';
import { DatabaseUnavailable } from '../database.js';
import { download } from '../download.js';
import { SNOWFLAKE } from '../store.js';
import type { Logger } from '../logger.js';
import type { InteractionKind, InteractionOutcome, Metrics } from '../metrics.js';
import { toDiscord } from '../render/discord.js';
import { clamp } from '../render/limits.js';
import type { Answer, Excerpt } from '../types.js';
import { PREFIX, browseRows, citeRows, confirmRows, disabledRows } from './components.js';
import type { Session, Sessions } from './sessions.js';

export interface BotContext extends CommandContext {
  logger: Logger;
  sessions: Sessions;
  /** Deadline for downloading an attachment. */
  downloadTimeoutMs: number;
  metrics: Metrics;
}

/** No reply pings anyone unless asked: not the query's `@everyone`, not a name in a quoted paragraph. */
export const NO_PINGS: MessageMentionOptions = { parse: [] };

/** Autocomplete answers at most this many choices, each at most 100 characters (Discord's limits). */
const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/**
 * The one entry point for interactions, and the one place their failures end: whatever a command,
 * a component or a payload does, the user gets an answer, the error is logged, and the bot goes on
 * serving everyone else. It never rejects.
 */
export async function handleInteraction(interaction: Interaction, ctx: BotContext): Promise<void> {
  const started = performance.now();
  let kind: InteractionKind | undefined;
  let outcome: InteractionOutcome = 'failed';
  try {
    if (interaction.isAutocomplete()) {
      kind = 'autocomplete';
      outcome = await autocomplete(interaction, ctx);
    } else if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
      kind = 'command';
      outcome = await runCommand(interaction, ctx);
    } else if ((interaction.isButton() || interaction.isStringSelectMenu()) && interaction.customId.startsWith(`${PREFIX}:`)) {
      kind = 'component';
      outcome = await component(interaction, ctx);
    }
  } catch (err) {
    const log = ctx.logger.child({ interactionId: interaction.id, guildId: interaction.guildId });
    if (interaction.isRepliable()) outcome = await replyWithError(interaction, log, err);
    else log.error({ err }, 'interaction failed');
  }
  if (kind) ctx.metrics.interactions.observe({ kind, command: metricName(interaction, ctx), outcome }, (performance.now() - started) / 1000);
}

/** The components the bot puts under its replies, by the action in their custom id. */
const COMPONENT_ACTIONS = new Set(['page', 'share', 'full', 'cite', 'confirm', 'cancel']);

/**
 * The `command` label of an interaction's metrics: the registry's command names and the bot's own
 * component actions, anything else "unknown", so a forged payload cannot add series.
 */
function metricName(interaction: Interaction, ctx: BotContext): string {
  if (interaction.isMessageComponent()) {
    const action = interaction.customId.split(':')[1] ?? '';
    return COMPONENT_ACTIONS.has(action) ? action : 'unknown';
  }
  const name = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : '';
  return ctx.commands.some((c) => c.data.name === name) ? name : 'unknown';
}

const SORRY = 'Sorry, something went wrong while answering. It has been logged; please try again.';

/**
 * Watches interactions as they arrive, before discord.js parses them. Their permissions are made
 * readable first (`sanitizeInteractionPayload`). Should discord.js still fail to parse one, its
 * handler throws where none of ours runs and the interaction never reaches `handleInteraction`:
 * it is answered here, with the same apology, so nobody waits on "thinking…" for nothing.
 */
export function guardRawInteractions(client: Client, ctx: BotContext): void {
  const unparsed = new Map<string, string>();
  (client as unknown as EventEmitter).on(Events.Raw, (packet: { t?: string; d?: { id?: unknown; token?: unknown; type?: unknown } }) => {
    if (packet.t !== 'INTERACTION_CREATE' || !packet.d) return;
    const { id, token } = packet.d;
    const replaced = sanitizeInteractionPayload(packet.d);
    if (replaced.length) ctx.logger.warn({ fields: replaced, interactionId: id }, 'interaction with unreadable permissions; treated as none');
    // Before the client is ready discord.js queues packets for later; only a ready client parses
    // them right after this, so only then does a missing event mean a failed parse.
    if (!client.isReady() || typeof id !== 'string' || typeof token !== 'string' || packet.d.type === InteractionType.Ping) return;
    unparsed.set(id, token);
    setImmediate(() => {
      if (!unparsed.delete(id)) return;
      ctx.logger.error({ interactionId: id }, 'discord.js could not read an interaction; answered with an apology');
      client.rest
        .post(Routes.interactionCallback(id, token), { auth: false, body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content: SORRY, flags: MessageFlags.Ephemeral, allowed_mentions: NO_PINGS } } })
        .catch((err: unknown) => ctx.logger.warn({ err, interactionId: id }, 'could not answer an unreadable interaction'));
    });
  });
  client.on(Events.InteractionCreate, (interaction) => unparsed.delete(interaction.id));
}

/** Discord sends permissions as decimal strings of a non-negative integer. */
const PERMISSIONS = /^\d{1,20}$/;

/**
 * Makes a raw INTERACTION_CREATE payload safe for discord.js to parse, before it does. A
 * permissions field it cannot read ("abc") makes its parser throw inside the gateway handler,
 * where no listener of ours could catch it; one it reads wrongly ("-1", all bits set) would grant
 * Manage Server. Either becomes "0": no permissions. Returns the fields it replaced.
 */
export function sanitizeInteractionPayload(payload: unknown): string[] {
  const replaced: string[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (depth > 8 || typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if ((key === 'permissions' || key === 'app_permissions') && inner !== undefined && inner !== null) {
        if (typeof inner !== 'string' || !PERMISSIONS.test(inner)) {
          (value as Record<string, unknown>)[key] = '0';
          replaced.push(`${path}${key}`);
        }
      } else walk(inner, `${path}${key}.`, depth + 1);
    }
  };
  walk(payload, '', 0);
  return replaced;
}

function interactionLogger(interaction: Interaction, ctx: BotContext, command: string): Logger {
  return ctx.logger.child({ command, guildId: interaction.guildId, userId: interaction.user.id, interactionId: interaction.id });
}

/**
 * The context a command runs in: the shared corpus with this server's own articles (their index
 * loaded if it is not in memory), this member's permissions.
 */
async function commandContext(interaction: Interaction, ctx: BotContext, page = 0): Promise<CommandContext> {
  return {
    ...(await contextIn(ctx, interaction.guildId ?? undefined)),
    caller: { userId: interaction.user.id, canManageServer: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false },
    page,
  };
}

function optionValue(o: CommandInteractionOption, ctx: BotContext): OptionValue | undefined {
  if (o.attachment) {
    const { name, size, url } = o.attachment;
    return {
      name,
      size,
      read: async (maxBytes) => (await download(url, { maxBytes, timeoutMs: ctx.downloadTimeoutMs, label: `the attachment “${name}”` })).bytes,
    };
  }
  return o.value ?? undefined;
}

/** The message for an answer: the embed, its components, and who it may ping (one person at most). */
function message(answer: Answer, command: Command, session?: Session, disabled = false) {
  const components = session ? browseRows(answer, session, disabled) : confirmRows(answer, command.data.name);
  const mention = session?.mention;
  return {
    ...toDiscord(answer),
    components,
    ...(mention && { content: `<@${mention}>` }),
    allowedMentions: mention ? { parse: [], users: [mention] } : NO_PINGS,
  };
}

/**
 * Runs each search-like command once, without Discord, and builds its reply. The first real
 * interactions would otherwise pay for loading and compiling all of that, a burst of them at once.
 */
export function warmUp(ctx: BotContext): void {
  const word = ctx.engine.articles[0]?.title.split(' ')[0] ?? 'treaty';
  for (const command of ctx.commands.filter((c) => c.browsable)) {
    const answer = command.execute({ query: word, name: word }, { ...ctx, page: 0 });
    if (answer instanceof Promise) continue;
    const session: Session = { id: '0', command, input: {}, askerId: '0', privately: true, mention: undefined, page: 0, createdAt: 0 };
    message(answer, command, session);
  }
}

/**
 * Cites an article once in each style: citeproc's first citation costs about 0.7 s (its engine
 * and locale), which the first /cite would otherwise spend out of Discord's 3 seconds.
 */
export function warmUpCitations(ctx: BotContext): void {
  const article = ctx.engine.articles[0];
  if (article) for (const style of Object.keys(STYLES) as StyleId[]) cite(article, style, 1);
}

/**
 * What to do when a reply's session expires: disable its buttons, through the interaction that
 * posted it, while that token still works, so nobody clicks a dead button later.
 */
function greyOut(interaction: RepliableInteraction, log: Logger): () => void {
  return () => {
    interaction
      .fetchReply()
      .then((reply) => interaction.editReply({ components: disabledRows(reply.components), allowedMentions: NO_PINGS }))
      .catch((err: unknown) => log.debug({ err }, 'could not disable expired buttons'));
  };
}

/** A command's options as the handler reads them; a message command gets the message's text. */
function commandInput(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction, ctx: BotContext): CommandInput {
  if (interaction.isMessageContextMenuCommand()) return { [MESSAGE_TEXT]: interaction.targetMessage.content };
  return Object.fromEntries(interaction.options.data.map((o) => [o.name, optionValue(o, ctx)]));
}

/** How long preparing a command may take before its interaction is acknowledged (Discord allows 3 s). */
const SLOW_MS = 1000;

/**
 * `work`'s result, `acknowledge` having been run first when the work is not done within `ms`
 * (at once for 0). The work's failure is held meanwhile, never left unhandled.
 */
async function acknowledgingIfSlow<T>(work: Promise<T>, ms: number, acknowledge: () => Promise<unknown>): Promise<T> {
  const outcome = work.then((value) => ({ value }), (error: unknown) => ({ error }));
  if (ms <= 0) await acknowledge();
  else {
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(resolve, ms, 'slow')));
    if ((await Promise.race([outcome, slow])) === 'slow') await acknowledge();
    clearTimeout(timer);
  }
  const settled = await outcome;
  if ('error' in settled) throw settled.error;
  return settled.value;
}

/** What a message that only says how slow work stands begins with: the answer replaces it. */
export const PROGRESS_MARK = '⏳';

async function runCommand(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction, ctx: BotContext): Promise<InteractionOutcome> {
  const log = interactionLogger(interaction, ctx, interaction.commandName);
  const command = ctx.commands.find((c) => c.data.name === interaction.commandName);
  try {
    if (!command) {
      log.warn('unknown command');
      await interaction.reply({
        content: `I don't know the command /${interaction.commandName} (it may have been removed). Type /help to see what I can do.`,
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_PINGS,
      });
      return 'unknown_command';
    }
    const input = commandInput(interaction, ctx);
    const privately = command.ephemeral === true || input.private === true;
    const session: Session | undefined = command.browsable
      ? {
          id: interaction.id,
          command,
          input,
          askerId: interaction.user.id,
          privately,
          // Only a user id may be mentioned: anything else would go into allowed_mentions and the content.
          mention: typeof input.mention === 'string' && SNOWFLAKE.test(input.mention) ? input.mention : undefined,
          page: 0,
          createdAt: interaction.createdTimestamp,
        }
      : undefined;
    const started = performance.now();
    const flags = privately ? MessageFlags.Ephemeral : undefined;
    let deferred: Promise<unknown> | undefined;
    const defer = () => (deferred ??= interaction.deferReply({ flags }));
    // Work that has to wait could pass Discord's 3-second deadline: loading the server's index
    // (a server whose files are still being imported waits for them), a download. Acknowledge
    // first. The work may fail while that is under way: its outcome is held, not left unhandled.
    const context = await acknowledgingIfSlow(commandContext(interaction, ctx), SLOW_MS, defer);
    // Word of slow work (an upload waiting its turn) replaces the "thinking…" message; the answer
    // replaces the word, after it, whatever the order the edits would otherwise reach Discord in.
    let shown: Promise<unknown> | undefined;
    const progress = (notice: string) => {
      shown = (shown ?? Promise.resolve())
        .then(defer)
        .then(() => interaction.editReply({ content: `${PROGRESS_MARK} ${notice}`, allowedMentions: NO_PINGS }))
        .catch((err: unknown) => log.warn({ err }, 'could not show progress'));
    };
    const pending = command.execute(input, { ...context, progress });
    const done = pending instanceof Promise ? await acknowledgingIfSlow(pending, 0, defer) : pending;
    const answer = command.changes ? done : noted(done, context);
    if (deferred) {
      await deferred;
      // The answer's embed replaces the word shown, which would otherwise stay above it.
      if (shown) await shown;
      await interaction.editReply({ ...(shown && { content: '' }), ...message(answer, command, session) });
    } else {
      await interaction.reply({ ...message(answer, command, session), flags });
    }
    if (session) {
      ctx.sessions.add(session, greyOut(interaction, log));
    }
    log.info({ ms: Math.round(performance.now() - started), kind: answer.kind, ...('total' in answer && { total: answer.total }) }, 'answered');
    return 'answered';
  } catch (err) {
    return replyWithError(interaction, log, err);
  }
}

async function component(interaction: ButtonInteraction | StringSelectMenuInteraction, ctx: BotContext): Promise<InteractionOutcome> {
  const [, action = '', ...args] = interaction.customId.split(':');
  const log = interactionLogger(interaction, ctx, `component:${action}`);
  try {
    if (action === 'cancel') {
      await interaction.update({ content: 'Cancelled; nothing was changed.', embeds: [], components: [], allowedMentions: NO_PINGS });
      return 'answered';
    }
    if (action === 'confirm') {
      const command = ctx.commands.find((c) => c.data.name === args[0]);
      const context = await commandContext(interaction, ctx);
      const answer = await command?.confirm?.(args.slice(1).join(':'), context);
      if (!command || !answer) throw new Error(`interactions: nothing to confirm for ${interaction.customId}`);
      await interaction.update({ ...toDiscord(noted(answer, context)), content: '', components: [], allowedMentions: NO_PINGS });
      return 'answered';
    }
    const session = ctx.sessions.get(args[0] ?? '');
    if (!session) {
      await interaction.update({ components: disabledRows(interaction.message.components), allowedMentions: NO_PINGS });
      await interaction.followUp({ content: 'These results have expired. Run the command again to browse them.', flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      return 'answered';
    }
    // The page to show (`page`), or the page the clicked message shows (`full`, `share`).
    const page = args[1] === undefined ? session.page : Number(args[1]) || 0;
    // The Full paragraph menu and the Cite button under its view: anyone may use them.
    if (action === 'full' || action === 'cite') {
      // "excerpt:paragraph", from the menu's value or after the page in the button's id.
      const picked = interaction.isStringSelectMenu() ? (interaction.values[0] ?? '') : args.slice(2).join(':');
      const [i = -1, n = -1] = picked.split(':').map(Number);
      const context = await commandContext(interaction, ctx, page);
      const excerpt = await excerptAt(session, i, n, context);
      const answer: Answer = !excerpt
        ? { kind: 'notice', command: 'quote', query: '', heading: 'Quote', notice: 'The articles changed since this reply; run the command again.' }
        : action === 'cite'
          ? { ...cite(excerpt.article, 'apa', excerpt.paragraph.n), notice: `In MLA or Chicago style: /cite with style:MLA or style:Chicago, paragraph:${excerpt.paragraph.n}.` }
          : context.engine.quote(excerpt.article.id, excerpt.paragraph.n);
      const components = excerpt && answer.kind === 'quote' ? citeRows(session.id, page, i, n) : [];
      await interaction.reply({ ...toDiscord(noted(answer, context)), components, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      return 'answered';
    }
    if (interaction.user.id !== session.askerId) {
      await interaction.reply({
        content: `Only the person who asked can ${action === 'share' ? 'share' : 'turn the pages of'} this reply. Run the command yourself to browse.`,
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_PINGS,
      });
      return 'answered';
    }
    const context = await commandContext(interaction, ctx, page);
    const answer = noted(await session.command.execute(session.input, context), context);
    if (action === 'share') {
      const shared = message(answer, session.command, { ...session, privately: false });
      await interaction.reply({ ...shared, content: `Shared by <@${session.askerId}>${session.mention ? ` for <@${session.mention}>` : ''}` });
      ctx.sessions.alsoOnExpiry(session.id, greyOut(interaction, log));
      return 'answered';
    }
    session.page = 'page' in answer ? answer.page : 0;
    // A shared copy of a private reply is public: turning its pages must not give it a Share button.
    const privately = session.privately && interaction.message.flags.has(MessageFlags.Ephemeral);
    await interaction.update(message(answer, session.command, { ...session, privately }));
    return 'answered';
  } catch (err) {
    return replyWithError(interaction, log, err);
  }
}

/**
 * The `i`th excerpt of a session's page, when it is still paragraph `n` (the articles may have
 * changed since the reply was made).
 */
async function excerptAt(session: Session, i: number, n: number, ctx: CommandContext): Promise<Excerpt | undefined> {
  const excerpt = excerptsOf(await session.command.execute(session.input, ctx))[i];
  return excerpt?.paragraph.n === n ? excerpt : undefined;
}

/** The member's words for a failure: what the database said, when it is why; else the apology. */
function apologyFor(err: unknown): string {
  if (!(err instanceof DatabaseUnavailable)) return SORRY;
  return `${err.reason.charAt(0).toUpperCase()}${err.reason.slice(1)}.`;
}

/** The one place a failed interaction becomes a reply: short, ephemeral, and logged. */
async function replyWithError(interaction: RepliableInteraction, log: Logger, err: unknown): Promise<'failed' | 'expired'> {
  if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownInteraction) {
    log.warn({ err }, 'interaction expired before the reply was sent');
    return 'expired';
  }
  if (err instanceof DatabaseUnavailable) log.warn({ err }, 'command needed the database, which is unavailable');
  else log.error({ err }, 'command failed');
  const reply = {
    content: apologyFor(err),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_PINGS,
  } as const;
  try {
    // After deferReply the "thinking…" message stays until it is edited: replace it (it cannot become ephemeral).
    if (interaction.isCommand() && interaction.deferred && !interaction.replied) await interaction.editReply({ content: reply.content, allowedMentions: NO_PINGS });
    else if (interaction.deferred || interaction.replied) await interaction.followUp(reply);
    else await interaction.reply(reply);
  } catch (replyErr) {
    log.error({ err: replyErr }, 'could not send the error reply');
  }
  return 'failed';
}

async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<InteractionOutcome> {
  const command = ctx.commands.find((c) => c.data.name === interaction.commandName);
  const focused = interaction.options.getFocused(true);
  try {
    const choices = command?.autocomplete?.(focused.name, String(focused.value), await commandContext(interaction, ctx)) ?? [];
    await interaction.respond(
      choices.slice(0, MAX_CHOICES).map((c) => {
        const { name, value } = typeof c === 'string' ? { name: c, value: c } : c;
        return { name: clamp(name, MAX_CHOICE_LENGTH) || '…', value: value.slice(0, MAX_CHOICE_LENGTH) };
      }),
    );
    return 'answered';
  } catch (err) {
    interactionLogger(interaction, ctx, interaction.commandName).warn({ err }, 'autocomplete failed; answered with no choices');
    // Discord shows "loading options failed" to a member who gets no answer at all.
    await interaction.respond([]).catch(() => undefined);
    return 'failed';
  }
}
