// What a slash command is: its definition for Discord (`data`) and a handler that turns the
// options into an `Answer`. The handler knows nothing of Discord, so the bot and the CLI run it alike.
import type { SlashCommandBuilder, SlashCommandOptionsOnlyBuilder } from 'discord.js';
import type { Engine } from '../src/engine.js';
import type { Answer } from '../src/types.js';

/** Option values by option name, as typed in Discord or on the command line. */
export type CommandInput = Readonly<Record<string, string | number | boolean | undefined>>;

export interface CommandContext {
  engine: Engine;
  /** The whole registry, for `/help`. */
  commands: readonly Command[];
}

export interface Command {
  data: SlashCommandBuilder | SlashCommandOptionsOnlyBuilder;
  /** What to type to try it, shown by `/help`. */
  example: string;
  /** Builds the answer. Returning a promise marks slow work: the bot defers the reply first. */
  execute(input: CommandInput, ctx: CommandContext): Answer | Promise<Answer>;
  /** Suggestions for the option being typed. */
  autocomplete?(option: string, typed: string, ctx: CommandContext): string[];
}

/** A string option's value, or '' when absent. */
export function text(input: CommandInput, name: string): string {
  const value = input[name];
  return value === undefined ? '' : String(value);
}
