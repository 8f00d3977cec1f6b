// What a slash command is: its definition for Discord (`data`) and a handler that turns the
// options into an `Answer`. The handler knows nothing of Discord, so the bot and the CLI run it alike.
import { SlashCommandBuilder, type ContextMenuCommandBuilder, type SlashCommandBooleanOption, type SlashCommandOptionsOnlyBuilder, type SlashCommandUserOption } from 'discord.js';
import type { Ask, Engine } from '../src/engine.js';
import type { Library } from '../src/library.js';
import type { Answer } from '../src/types.js';

/** A file attached to a command; read on demand, as it may have to be downloaded. */
export interface Attachment {
  name: string;
  size: number;
  /** Downloads it, refusing (with a DownloadError saying why) past `maxBytes` or the deadline. */
  read(maxBytes: number): Promise<Uint8Array>;
}

export type OptionValue = string | number | boolean | Attachment;

/** Option values by option name, as typed in Discord or on the command line. */
export type CommandInput = Readonly<Record<string, OptionValue | undefined>>;

/** Who runs the command, as far as permissions go. */
export interface Caller {
  userId: string;
  /** Has Discord's Manage Server permission where the command runs. */
  canManageServer: boolean;
}

export interface CommandContext {
  /** The articles the command can see: the shared corpus and, in a server, the server's own. */
  engine: Engine;
  /** The whole registry, for `/help`. */
  commands: readonly Command[];
  /** The Discord server the command runs in, whose library /add and /remove change. */
  scope?: string | undefined;
  caller?: Caller | undefined;
  /** The page of a long answer to show (0-based). */
  page?: number | undefined;
  /** How servers' own articles come in (uploads, links) and are stored; absent where /add cannot work (the CLI). */
  library?: Library | undefined;
  /** Tells the member how slow work stands before its answer (an upload waiting its turn); the bot shows it in place of "thinking…". */
  progress?: ((notice: string) => void) | undefined;
  /** A line for every answer here: the server's own articles may be out of date, or are left out (the database unreachable). */
  note?: string | undefined;
}

export type Choice = string | { name: string; value: string };

export interface Command {
  /** A slash command, or a command of a message's Apps menu (which gets the message's text as its `text` option). */
  data: SlashCommandBuilder | SlashCommandOptionsOnlyBuilder | ContextMenuCommandBuilder;
  /** What to type to try it, shown by `/help`. */
  example: string;
  /** Builds the answer. Returning a promise marks slow work: the bot defers the reply first. */
  execute(input: CommandInput, ctx: CommandContext): Answer | Promise<Answer>;
  /** Suggestions for the option being typed. */
  autocomplete?(option: string, typed: string, ctx: CommandContext): Choice[];
  /** Carries out what an answer's `confirm` asked the user to confirm. */
  confirm?(id: string, ctx: CommandContext): Answer | Promise<Answer>;
  /** Search-like: long answers get pages, and the reply can be private, shared and mention someone. */
  browsable?: boolean;
  /** Always answered privately (administration). */
  ephemeral?: boolean;
  /** Answers about a change it made to the server's articles, not from them: no note about them is added (its refusal says why). */
  changes?: boolean;
}

/** The option a message command receives the message's text in. */
export const MESSAGE_TEXT = 'text';

/** A slash command's builder: what can be typed, with a description and options. */
export function slashData(command: Command): SlashCommandBuilder | SlashCommandOptionsOnlyBuilder | undefined {
  return command.data instanceof SlashCommandBuilder ? command.data : undefined;
}

/** A string option's value, or '' when absent. */
export function text(input: CommandInput, name: string): string {
  const value = input[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * The context for a command run in server `scope`: the shared corpus with that server's own
 * articles, whose index the store loads if it is not in memory. Outside a server, or without a
 * library (the CLI), the shared corpus alone.
 */
export async function contextIn(ctx: CommandContext, scope: string | undefined): Promise<CommandContext> {
  const own = scope && ctx.library ? await ctx.library.store.own(scope) : undefined;
  return { ...ctx, engine: ctx.engine.in(own?.shelf), scope, note: own?.note };
}

/** `answer` with the context's note, if it has one, above its own notice. */
export function noted(answer: Answer, ctx: CommandContext): Answer {
  if (!ctx.note) return answer;
  return { ...answer, notice: answer.notice ? `${ctx.note}\n${answer.notice}` : ctx.note };
}

/** What the engine needs to know about who asks for which page. */
export function askOf(ctx: CommandContext): Ask {
  return { page: ctx.page };
}

/** The options every search-like command has: a quiet look-up, and the one person to ping. */
export const privateOption = (o: SlashCommandBooleanOption) =>
  o.setName('private').setDescription('Only you see the answer (you can share it afterwards)');
export const mentionOption = (o: SlashCommandUserOption) => o.setName('mention').setDescription('The one person this reply may ping');
