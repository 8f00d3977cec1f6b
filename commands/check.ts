import { ApplicationCommandType, ContextMenuCommandBuilder, SlashCommandBuilder } from 'discord.js';
import { checkMessage } from '../src/check.js';
import { MESSAGE_TEXT, text, type Command } from './types.js';

/** Both ways of checking a message answer privately, with Share in channel, from the same engine search. */
const checking = {
  browsable: true,
  ephemeral: true,
  execute: (input, ctx) => checkMessage(ctx.engine, text(input, MESSAGE_TEXT)),
} satisfies Omit<Command, 'data' | 'example'>;

export const findSources = {
  data: new ContextMenuCommandBuilder().setName('Find sources').setType(ApplicationCommandType.Message),
  example: 'on any message, Apps → Find sources: the paragraphs that support or concern what it says, privately',
  ...checking,
} satisfies Command;

export const check = {
  data: new SlashCommandBuilder()
    .setName('check')
    .setDescription('Find the paragraphs that support or concern what a message says (answered privately)')
    .addStringOption((o) => o.setName(MESSAGE_TEXT).setDescription('The message or claim to check').setRequired(true).setMaxLength(4000)),
  example: '/check text:Russia and North Korea signed a treaty in 1961',
  ...checking,
} satisfies Command;
