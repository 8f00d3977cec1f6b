import { SlashCommandBuilder } from 'discord.js';
import { MAX_QUERY_LENGTH } from '../src/engine.js';
import { askOf, mentionOption, privateOption, text, type Command } from './types.js';

export const search = {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('Find the paragraphs that answer a question, quoted and cited')
    .addStringOption((o) =>
      o.setName('query').setDescription('A question or a few key words').setRequired(true).setMaxLength(MAX_QUERY_LENGTH).setAutocomplete(true),
    )
    .addBooleanOption(privateOption)
    .addUserOption(mentionOption),
  example: '/search talks on June 16',
  browsable: true,
  execute: (input, ctx) => ctx.engine.search(text(input, 'query'), askOf(ctx)),
  autocomplete: (_option, typed, { engine }) => engine.suggestSearches(typed),
} satisfies Command;
