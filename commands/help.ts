import { SlashCommandBuilder } from 'discord.js';
import type { Command } from './types.js';

export const help = {
  data: new SlashCommandBuilder().setName('help').setDescription('What Footnote can do, with an example of each command'),
  example: '/help',
  execute: (_input, { commands, engine }) => ({
    command: 'help',
    query: '',
    heading: 'Footnote: cited answers from the articles',
    total: commands.length,
    excerpts: [],
    lines: [
      ...commands.map((c) => `/${c.data.name}: ${c.data.description}. Example: ${c.example}`),
      `Every answer quotes the articles word for word, with title, source, date and paragraph (¶). ${engine.articles.length} articles, ${engine.paragraphCount} paragraphs indexed.`,
    ],
  }),
} satisfies Command;
