import { SlashCommandBuilder } from 'discord.js';
import { plural } from '../src/plural.js';
import { slashData, type Command } from './types.js';

export const help = {
  data: new SlashCommandBuilder().setName('help').setDescription('What Footnote can do, with an example of each command'),
  example: '/help',
  execute: (_input, { commands, engine }) => ({
    kind: 'help',
    command: 'help',
    query: '',
    heading: 'Footnote: cited answers from the articles',
    lines: [
      ...commands.map((c) => {
        const slash = slashData(c);
        return slash ? `/${slash.name}: ${slash.description}. Example: ${c.example}` : `${c.data.name} (in a message's Apps menu): ${c.example}`;
      }),
      `Every answer quotes the articles word for word, with title, source, date and paragraph (¶). ${plural(engine.articles.length, 'article')}, ${plural(engine.paragraphCount, 'paragraph')} indexed.`,
    ],
  }),
} satisfies Command;
