import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { DownloadError } from '../src/download.js';
import { MAX_UPLOAD_BYTES, uploadProblem } from '../src/library.js';
import { wholeParagraph } from '../src/excerpt.js';
import { articleLine } from '../src/render/citation.js';
import type { AddedAnswer, NoticeAnswer } from '../src/types.js';
import { text, type Attachment, type Command, type CommandContext } from './types.js';

/** A refusal as an answer: what went wrong, in words the member can act on. */
export function refusal(command: string, heading: string, notice: string): NoticeAnswer {
  return { kind: 'notice', command, query: '', heading, notice };
}

/** Why the caller may not change this server's articles, or undefined when they may. */
export function cannotManage(ctx: CommandContext): string | undefined {
  if (!ctx.library || !ctx.scope) return 'Articles can only be added or removed in a Discord server.';
  if (!ctx.caller?.canManageServer) return 'Only members with the Manage Server permission can add or remove articles.';
  return undefined;
}

async function add(input: Parameters<Command['execute']>[0], ctx: CommandContext): Promise<AddedAnswer | NoticeAnswer> {
  const denied = cannotManage(ctx);
  if (denied) return refusal('add', 'Not added', denied);
  const file = input.file as Attachment | undefined;
  if (!file || typeof file !== 'object') return refusal('add', 'Not added', 'Attach a .txt, .md or .html file.');
  const problem = uploadProblem(file.name, file.size);
  if (problem) return refusal('add', 'Not added', problem);
  let bytes: Uint8Array;
  try {
    bytes = await file.read(MAX_UPLOAD_BYTES);
  } catch (err) {
    if (err instanceof DownloadError) return refusal('add', 'Not added', `${err.message} Nothing was added.`);
    throw err;
  }
  const upload = { fileName: file.name, bytes, title: text(input, 'title') || undefined, source: text(input, 'source') || undefined, date: text(input, 'date') || undefined, url: text(input, 'url') || undefined };
  const library = ctx.library!;
  const result = await library.exclusive(() => {
    const added = library.add(ctx.scope!, upload, (article) => ctx.engine.sameText(article, ctx.scope));
    if (added.ok) ctx.engine.update({ put: [added.article] });
    return added;
  });
  if (!result.ok) return refusal('add', 'Not added', result.reason);
  const { article } = result;
  const first = article.paragraphs[0]!;
  return {
    kind: 'added',
    command: 'add',
    query: file.name,
    heading: `Added: ${article.title}`,
    article,
    first: wholeParagraph(article, first),
    lines: [
      articleLine(article),
      'Check that the first paragraph below was read right; /remove takes the article out again.',
    ],
  };
}

export const addCommand = {
  data: new SlashCommandBuilder()
    .setName('add')
    .setDescription("Add an article to this server's corpus (.txt, .md or .html)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addAttachmentOption((o) => o.setName('file').setDescription('The article: .txt, .md or .html, at most 1 MB').setRequired(true))
    .addStringOption((o) => o.setName('title').setDescription('Its title, if the file does not say').setMaxLength(200))
    .addStringOption((o) => o.setName('source').setDescription('The publication').setMaxLength(100))
    .addStringOption((o) => o.setName('date').setDescription('The date printed on it, like 1997-06-20').setMaxLength(40))
    .addStringOption((o) => o.setName('url').setDescription('Where it was published').setMaxLength(500)),
  example: '/add file:article.md',
  ephemeral: true,
  execute: add,
} satisfies Command;
