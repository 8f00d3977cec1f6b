import { SlashCommandBuilder } from 'discord.js';
import { MAX_QUERY_LENGTH } from '../src/engine.js';
import { askOf, mentionOption, privateOption, text, type Command } from './types.js';

export const treaty = {
  data: new SlashCommandBuilder()
    .setName('treaty')
    .setDescription('Paragraphs about treaties, agreements and pacts; with no query, the treaty timeline')
    .addStringOption((o) =>
      o.setName('query').setDescription('A year, a kind of treaty or a clause (leave empty for the timeline)').setMaxLength(MAX_QUERY_LENGTH),
    )
    .addBooleanOption(privateOption)
    .addUserOption(mentionOption),
  example: '/treaty 1961',
  browsable: true,
  execute: (input, ctx) => ctx.engine.treaty(text(input, 'query'), askOf(ctx)),
} satisfies Command;
