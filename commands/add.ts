import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { DownloadError } from '../src/download.js';
import { EXTENSIONS } from '../src/formats/index.js';
import { MAX_UPLOAD_BYTES, uploadProblem, type AddResult, type Waiting } from '../src/library.js';
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

const FORMATS = EXTENSIONS.join(', ');

/** Word for the uploader whose file waits for a reader: behind their own server's uploads, or everyone's. */
function waitingNotice({ ahead }: Waiting): string {
  if (ahead === 0) return 'Waiting for a free reader: other servers’ uploads are being read. Yours is next.';
  return `Waiting: ${ahead === 1 ? 'an earlier upload' : `${ahead} earlier uploads`} from this server ${ahead === 1 ? 'is' : 'are'} read first. I’ll answer here when yours is in.`;
}

async function add(input: Parameters<Command['execute']>[0], ctx: CommandContext): Promise<AddedAnswer | NoticeAnswer> {
  const denied = cannotManage(ctx);
  if (denied) return refusal('add', 'Not added', denied);
  const library = ctx.library!;
  const file = input.file as Attachment | undefined;
  const overrides = { title: text(input, 'title') || undefined, source: text(input, 'source') || undefined, date: text(input, 'date') || undefined };
  const url = text(input, 'url') || undefined;
  const waiting = (where: Waiting) => ctx.progress?.(waitingNotice(where));
  let result: AddResult;
  if (file && typeof file === 'object') {
    const problem = uploadProblem(file.name, file.size);
    if (problem) return refusal('add', 'Not added', problem);
    let bytes: Uint8Array;
    try {
      bytes = await file.read(MAX_UPLOAD_BYTES);
    } catch (err) {
      if (err instanceof DownloadError) return refusal('add', 'Not added', `${err.message} Nothing was added.`);
      throw err;
    }
    // With a file, the link is where it was published, for the citation.
    result = await library.add(ctx.scope!, { fileName: file.name, bytes, ...overrides, url }, waiting);
  } else if (url) {
    result = await library.addLink(ctx.scope!, url, overrides, waiting);
  } else {
    return refusal('add', 'Not added', `Attach a file (${FORMATS}) or give a link to a web page or a PDF with url:.`);
  }
  if (!result.ok) return refusal('add', 'Not added', result.reason);
  const { article } = result;
  const first = article.paragraphs[0]!;
  return {
    kind: 'added',
    command: 'add',
    query: file?.name ?? url ?? '',
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
    .setDescription("Add an article to this server's corpus: a file, or a link to a web page or PDF")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addAttachmentOption((o) => o.setName('file').setDescription(`The article: ${FORMATS}, at most 1 MB`))
    .addStringOption((o) => o.setName('url').setDescription('A link to the article (fetched when no file is attached), or where the file was published').setMaxLength(500))
    .addStringOption((o) => o.setName('title').setDescription('Its title, if the file does not say').setMaxLength(200))
    .addStringOption((o) => o.setName('source').setDescription('The publication').setMaxLength(100))
    .addStringOption((o) => o.setName('date').setDescription('The date printed on it, like 1997-06-20').setMaxLength(40)),
  example: '/add file:week7.pdf',
  ephemeral: true,
  changes: true,
  execute: add,
} satisfies Command;
