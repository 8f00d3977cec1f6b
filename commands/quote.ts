import { SlashCommandBuilder } from 'discord.js';
import { text, type Command } from './types.js';

/** Article choices for autocomplete: the title shown, the id sent. */
export function articleChoices(typed: string, ctx: Parameters<NonNullable<Command['autocomplete']>>[2], own = false) {
  return ctx.engine
    .suggestArticles(typed)
    .filter((a) => !own || a.guildId === ctx.scope)
    .map((a) => ({ name: a.title, value: a.id }));
}

export const quote = {
  data: new SlashCommandBuilder()
    .setName('quote')
    .setDescription('One paragraph in full, with the paragraphs before and after it')
    .addStringOption((o) => o.setName('article').setDescription('The article (start typing its title)').setRequired(true).setAutocomplete(true))
    .addIntegerOption((o) => o.setName('paragraph').setDescription('Paragraph number (¶)').setRequired(true).setMinValue(1).setMaxValue(10_000)),
  example: '/quote article:Experts say concerns paragraph:3',
  execute: (input, ctx) => ctx.engine.quote(text(input, 'article'), Number(input.paragraph)),
  autocomplete: (_option, typed, ctx) => articleChoices(typed, ctx),
} satisfies Command;
