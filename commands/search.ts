import { SlashCommandBuilder } from 'discord.js';
import { MAX_QUERY_LENGTH } from '../src/engine.js';
import { text, type Command } from './types.js';

export const search = {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('Find the paragraphs that answer a question, quoted and cited')
    .addStringOption((o) =>
      o.setName('query').setDescription('A question or a few key words').setRequired(true).setMaxLength(MAX_QUERY_LENGTH),
    ),
  example: '/search talks on June 16',
  execute: (input, { engine }) => engine.search(text(input, 'query')),
} satisfies Command;
