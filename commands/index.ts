// The one registry of commands, shared by the bot, the CLI and `npm run deploy`.
import { addCommand } from './add.js';
import { check, findSources } from './check.js';
import { citeCommand } from './cite.js';
import { help } from './help.js';
import { quote } from './quote.js';
import { removeCommand } from './remove.js';
import { search } from './search.js';
import { sources } from './sources.js';
import { treaty } from './treaty.js';
import type { Command } from './types.js';
import { who } from './who.js';

export const commands: readonly Command[] = [search, who, treaty, quote, citeCommand, check, findSources, sources, addCommand, removeCommand, help];

export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.data.name === name);
}
