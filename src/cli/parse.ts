// Reading a slash command typed on the command line: "/who Karasin", "search talks on June 16",
// "/treaty query:1961". Text without "option:" goes to the command's first text option.
import { ApplicationCommandOptionType } from 'discord.js';
import { slashData, type Command, type CommandInput } from '../../commands/types.js';

export type Parsed = { command: Command; input: CommandInput } | { error: string };

export function parseCommandLine(line: string, commands: readonly Command[]): Parsed {
  const trimmed = line.trim();
  // A lone "/" is no command; "//who" is read as "/who".
  const m = /^\/*([^\s/]\S*)\s*([\s\S]*)$/.exec(trimmed);
  if (!m) return { error: 'Type a command, e.g. /search talks on June 16 (or /help).' };
  const name = m[1]!.toLowerCase();
  const rest = m[2]!.trim();
  // Only slash commands can be typed; a message's Apps menu command is /check here.
  const typable = commands.filter((c) => slashData(c));
  const command = typable.find((c) => c.data.name === name);
  if (!command) {
    return { error: `Unknown command /${name.slice(0, 40)}. Commands: ${typable.map((c) => `/${c.data.name}`).join(', ')}.` };
  }
  const options = slashData(command)!.toJSON().options ?? [];
  const names = options.map((o) => o.name);
  const input: Record<string, string | number | boolean> = {};
  const named = new RegExp(String.raw`(?:^|\s)(${names.join('|') || '(?!)'}):`, 'g');
  const marks = [...rest.matchAll(named)];
  if (marks.length > 0 && marks[0]!.index === 0) {
    marks.forEach((mark, i) => {
      const start = mark.index + mark[0].length;
      const value = rest.slice(start, marks[i + 1]?.index ?? rest.length).trim();
      const option = options.find((o) => o.name === mark[1])!;
      if (option.type === ApplicationCommandOptionType.Boolean) input[option.name] = /^(true|yes|1)$/i.test(value);
      else if (option.type === ApplicationCommandOptionType.Integer || option.type === ApplicationCommandOptionType.Number) input[option.name] = Number(value);
      else input[option.name] = value;
    });
  } else if (rest) {
    const first = options.find((o) => o.type === ApplicationCommandOptionType.String);
    if (first) input[first.name] = rest;
  }
  return { command, input };
}

/**
 * A line typed at the interactive prompt as a command line: text that does not start with a
 * slash is a question, so a /search ("who signed the treaty?" searches; "/who Karasin" is /who).
 */
export function promptLine(line: string): string {
  return line.trimStart().startsWith('/') ? line : `/search ${line}`;
}

/** Tab completion at the prompt (readline's completer): the command names that start as typed. */
export function completeCommand(line: string, commands: readonly Command[]): [string[], string] {
  if (!/^\/\S*$/.test(line)) return [[], line];
  return [commands.map((c) => `/${c.data.name} `).filter((name) => name.startsWith(line.toLowerCase())), line];
}
