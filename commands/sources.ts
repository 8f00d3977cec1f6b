import { SlashCommandBuilder } from 'discord.js';
import type { Command } from './types.js';

export const sources = {
  data: new SlashCommandBuilder().setName('sources').setDescription('The articles Footnote quotes from'),
  example: '/sources',
  execute: (_input, ctx) => ctx.engine.sources(),
} satisfies Command;
