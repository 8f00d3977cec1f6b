// Turning Discord interactions into engine answers and back. Everything Discord-specific about
// replying lives here: options in, embeds out, no pings, errors as short ephemeral messages.
import {
  DiscordAPIError,
  MessageFlags,
  RESTJSONErrorCodes,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import type { CommandContext, CommandInput } from '../../commands/types.js';
import type { Logger } from '../logger.js';
import type { Answer } from '../types.js';
import { toDiscord } from '../render/discord.js';
import { clamp } from '../render/limits.js';

export interface BotContext extends CommandContext {
  logger: Logger;
}

/** No reply ever pings anyone: not the query's `@everyone`, not a name in a quoted paragraph. */
export const NO_PINGS = { parse: [] as [] };

/** Autocomplete answers at most this many choices, each at most 100 characters (Discord's limits). */
const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

export async function handleInteraction(interaction: Interaction, ctx: BotContext): Promise<void> {
  if (interaction.isAutocomplete()) await autocomplete(interaction, ctx);
  else if (interaction.isChatInputCommand()) await chatInput(interaction, ctx);
}

function interactionLogger(interaction: ChatInputCommandInteraction | AutocompleteInteraction, ctx: BotContext): Logger {
  return ctx.logger.child({
    command: interaction.commandName,
    guildId: interaction.guildId,
    userId: interaction.user.id,
    interactionId: interaction.id,
  });
}

async function chatInput(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const log = interactionLogger(interaction, ctx);
  const command = ctx.commands.find((c) => c.data.name === interaction.commandName);
  try {
    if (!command) {
      log.warn('unknown command');
      await interaction.reply({
        content: `I don't know the command /${interaction.commandName} (it may have been removed). Type /help to see what I can do.`,
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_PINGS,
      });
      return;
    }
    const input: CommandInput = Object.fromEntries(interaction.options.data.map((o) => [o.name, o.value]));
    const started = performance.now();
    const pending = command.execute(input, ctx);
    let answer: Answer;
    if (pending instanceof Promise) {
      // Work that has to wait could pass Discord's 3-second deadline: acknowledge first.
      await interaction.deferReply();
      answer = await pending;
      await interaction.editReply({ ...toDiscord(answer), allowedMentions: NO_PINGS });
    } else {
      answer = pending;
      await interaction.reply({ ...toDiscord(answer), allowedMentions: NO_PINGS });
    }
    log.info({ ms: Math.round(performance.now() - started), total: answer.total }, 'answered');
  } catch (err) {
    await replyWithError(interaction, log, err);
  }
}

/** The one place a failed command becomes a reply: short, ephemeral, and logged. */
async function replyWithError(interaction: ChatInputCommandInteraction, log: Logger, err: unknown): Promise<void> {
  if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownInteraction) {
    log.warn({ err }, 'interaction expired before the reply was sent');
    return;
  }
  log.error({ err }, 'command failed');
  const reply = {
    content: 'Sorry, something went wrong while answering. It has been logged; please try again.',
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_PINGS,
  } as const;
  try {
    // After a defer, the "thinking…" message stays until it is edited: replace it (it cannot become ephemeral).
    if (interaction.deferred && !interaction.replied) await interaction.editReply({ content: reply.content, allowedMentions: NO_PINGS });
    else if (interaction.replied) await interaction.followUp(reply);
    else await interaction.reply(reply);
  } catch (replyErr) {
    log.error({ err: replyErr }, 'could not send the error reply');
  }
}

async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const command = ctx.commands.find((c) => c.data.name === interaction.commandName);
  const focused = interaction.options.getFocused(true);
  try {
    const names = command?.autocomplete?.(focused.name, String(focused.value), ctx) ?? [];
    const choices = names.slice(0, MAX_CHOICES).map((name) => ({ name: clamp(name, MAX_CHOICE_LENGTH), value: name.slice(0, MAX_CHOICE_LENGTH) }));
    await interaction.respond(choices);
  } catch (err) {
    interactionLogger(interaction, ctx).warn({ err }, 'autocomplete failed');
  }
}
