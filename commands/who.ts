import { SlashCommandBuilder } from 'discord.js';
import { MAX_QUERY_LENGTH } from '../src/engine.js';
import { askOf, mentionOption, privateOption, text, type Command } from './types.js';

export const who = {
  data: new SlashCommandBuilder()
    .setName('who')
    .setDescription('Who is this person? Their role as the articles give it, and where they are mentioned')
    .addStringOption((o) =>
      o.setName('name').setDescription('A full name, a surname or a given name').setRequired(true).setMaxLength(MAX_QUERY_LENGTH).setAutocomplete(true),
    )
    .addBooleanOption(privateOption)
    .addUserOption(mentionOption),
  example: '/who Karasin',
  browsable: true,
  execute: (input, ctx) => ctx.engine.who(text(input, 'name'), askOf(ctx)),
  autocomplete: (_option, typed, { engine }) => engine.suggestPeople(typed),
} satisfies Command;
