/**
 * What the end-to-end tests share: Footnote's real bot (`startBot`, the function `npm start` runs) logged in
 * to the local test Discord, its log lines, and a reader for the replies that turns an embed back into what a
 * user sees: quoted text, the words in bold, and the citation under each quote.
 */
import { tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { APIEmbed, APIInteractionResponseCallbackData } from 'discord.js';
import { expect } from 'vitest';
import { commands as registry } from '../../commands/index.js';
import type { Command } from '../../commands/types.js';
import { startBot, type Bot } from '../../src/bot/start.js';
import { deployCommands, type Deployment } from '../../src/bot/deploy.js';
import { DEFAULT_CORPUS_DIR, loadConfig } from '../../src/config.js';
import { startFakeDiscord, type CommandOptionValues, type FakeDiscord, type FakeDiscordOptions, type InteractionContext, type InteractionReply, type SentInteraction } from '../discord/fake-discord.js';
import { describeViolation } from '../discord/validate.js';

/** Callback type 64: only the user who ran the command sees the message. */
export const EPHEMERAL = 64;

/** A short article a server adds in the tests and benchmarks: one title, two paragraphs. */
export const QUAY_ARTICLE = `---
title: "Harbour council approves the new quay"
---
The harbour council met on Tuesday and approved the new quay after a long debate about the fishing fleet.

The mayor said the quay would be finished before the winter storms, and the fishermen applauded.
`;

// -----------------------------------------------------------------------------------------------------------
// Logs

/** One pino log line, parsed. */
export interface LogRecord {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export const LEVEL = { info: 30, warn: 40, error: 50, fatal: 60 } as const;

/** A pino destination that keeps every line as parsed JSON, so tests can assert on what the bot logged. */
export class LogLines {
  readonly records: LogRecord[] = [];
  #partial = '';

  write(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.records.push(JSON.parse(line) as LogRecord);
  }

  /** Records with this message (and, optionally, at least this level). */
  withMessage(msg: string): LogRecord[] {
    return this.records.filter((record) => record.msg === msg);
  }

  atLeast(level: number): LogRecord[] {
    return this.records.filter((record) => record.level >= level);
  }
}

// -----------------------------------------------------------------------------------------------------------
// Starting the bot against the fake

export interface Footnote {
  fake: FakeDiscord;
  bot: Bot;
  logs: LogLines;
  deployment: Deployment;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface FootnoteOptions {
  discord?: FakeDiscordOptions;
  /** Commands to register and serve; the registry by default. */
  commands?: readonly Command[];
  /** Variables set on top of `botEnv` (DATA_DIR, for instance). */
  env?: NodeJS.ProcessEnv;
  /** How long replies' buttons work (startBot's option); Discord's 15 minutes by default. */
  sessionLifetimeMs?: number;
}

/**
 * The environment `npm start` would get, pointed at the fake. The corpus is pinned to the repository's own,
 * which the tests quote, whatever CORPUS_DIR the shell or a `.env` may set.
 */
export function botEnv(fake: FakeDiscord): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DISCORD_TOKEN: fake.botToken,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guildId,
    CORPUS_DIR: DEFAULT_CORPUS_DIR,
    // An empty library of its own, whatever a developer may have added with /add in the
    // repository's data/; never shared, as the embedded database is one process's.
    DATA_DIR: mkdtempSync(join(tmpdir(), 'footnote-e2e-data-')),
    LOG_LEVEL: 'info',
  };
}

/** A fake Discord, the commands registered in it (`npm run deploy`'s code) and the bot logged in (`npm start`'s code). */
export async function startFootnote(options: FootnoteOptions = {}): Promise<Footnote> {
  const fake = await startFakeDiscord(options.discord);
  const env = { ...botEnv(fake), ...options.env };
  const commands = options.commands ?? registry;
  const logs = new LogLines();
  try {
    const deployment = await deployCommands(loadConfig(env), commands);
    const bot = await startBot(env, { logStream: logs, commands, ...(options.sessionLifetimeMs !== undefined && { sessionLifetimeMs: options.sessionLifetimeMs }) });
    return {
      fake,
      bot,
      logs,
      deployment,
      env,
      async stop() {
        // The client first, so it does not try to reconnect to a server that is going away.
        await bot.stop();
        await fake.stop();
        if (!options.env?.DATA_DIR) rmSync(env.DATA_DIR!, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fake.stop();
    throw error;
  }
}

// -----------------------------------------------------------------------------------------------------------
// Sending commands and checking what every reply must be

export interface Asked {
  sent: SentInteraction;
  /** The accepted interaction callback (reply, defer or autocomplete). */
  callback: InteractionReply;
  /** The message the user sees. */
  message: APIInteractionResponseCallbackData;
  /** Its one embed, read back into text. */
  reply: ReadReply;
}

/**
 * Runs `/name` as a user and waits for what they see, checking what holds for every reply: acknowledged
 * exactly once, no pings allowed, nothing refused by the payload validator.
 */
export async function ask(fake: FakeDiscord, name: string, options: CommandOptionValues = {}, context: InteractionContext = {}): Promise<Asked> {
  const sent = fake.sendCommand(name, options, context);
  const message = await sent.answer();
  const callback = await sent.callback();
  expectWellFormed(fake, sent, message);
  const embed = message.embeds?.[0];
  return { sent, callback, message, reply: embed ? readEmbed(embed) : readContent(message.content ?? '') };
}

/** What every reply must satisfy: acknowledged once, pings nobody, accepted by Discord's rules. */
export function expectWellFormed(fake: FakeDiscord, sent: SentInteraction, message: APIInteractionResponseCallbackData): void {
  expectAcknowledgedOnce(sent);
  expect(message.allowed_mentions).toEqual({ parse: [] });
  expect(fake.rejections.map((rejection) => rejection.violations.map(describeViolation))).toEqual([]);
}

// -----------------------------------------------------------------------------------------------------------
// Reading a reply as a user would

/** A quoted excerpt as it appears in the reply. */
export interface Quote {
  /** The bold label before the quote (the date, in the treaty timeline), if any. */
  label: string | null;
  /** The quoted words, unescaped, with "…" where text was left out. */
  text: string;
  /** The words shown in bold. */
  bold: string[];
  /** The article title under the quote. */
  title: string;
  /** What follows the title: source, date when known, paragraph ("RFE/RL · 20 June 1997 · ¶3"). */
  cited: string;
  /** The paragraph number from "¶n". */
  paragraph: number;
}

export interface ReadReply {
  title: string;
  /** Every block of the description (separated by blank lines), unescaped, bold and italic markers removed. */
  blocks: string[];
  /** The words in bold anywhere in the description. */
  bold: string[];
  quotes: Quote[];
  /** The raw markdown of the description, as Discord receives it. */
  markdown: string;
  color: number | undefined;
}

/** Text with Discord's backslash escapes resolved and `**` / `*` markers removed; the bold runs are listed separately. */
export function readMarkdown(markdown: string): { text: string; bold: string[] } {
  let text = '';
  let run: string | null = null;
  const bold: string[] = [];
  for (let i = 0; i < markdown.length; i++) {
    const char = markdown[i]!;
    if (char === '\\' && i + 1 < markdown.length) {
      const escaped = markdown[++i]!;
      text += escaped;
      if (run !== null) run += escaped;
    } else if (char === '*' && markdown[i + 1] === '*') {
      i++;
      if (run === null) run = '';
      else {
        bold.push(run);
        run = null;
      }
    } else if (char !== '*') {
      // A single unescaped `*` opens or closes italics: formatting, not text.
      text += char;
      if (run !== null) run += char;
    }
  }
  return { text, bold };
}

const QUOTE_BLOCK = /^> (?:\*\*((?:\\.|[^*\\])*)\*\* · )?(.*)\n— \*((?:\\.|[^*\\])*)\* · (.*)$/s;

export function readEmbed(embed: APIEmbed): ReadReply {
  const markdown = embed.description ?? '';
  const raw = markdown.split('\n\n');
  const quotes = raw.flatMap((block): Quote[] => {
    const match = QUOTE_BLOCK.exec(block);
    if (!match) return [];
    const [, label, quoted, title, cited] = match;
    const body = readMarkdown(quoted!);
    const citedText = readMarkdown(cited!).text;
    return [
      {
        label: label === undefined ? null : readMarkdown(label).text,
        text: body.text,
        bold: body.bold,
        title: readMarkdown(title!).text,
        cited: citedText,
        paragraph: Number(/¶(\d+)/.exec(citedText)?.[1] ?? NaN),
      },
    ];
  });
  return {
    title: readMarkdown(embed.title ?? '').text,
    blocks: raw.map((block) => readMarkdown(block).text),
    bold: readMarkdown(markdown).bold,
    quotes,
    markdown,
    color: embed.color,
  };
}

function readContent(content: string): ReadReply {
  const { text, bold } = readMarkdown(content);
  return { title: '', blocks: [text], bold, quotes: [], markdown: content, color: undefined };
}

// -----------------------------------------------------------------------------------------------------------
// The corpus, read straight from the files, to check that quotes are verbatim

export interface SourceFile {
  title: string;
  source: string;
  /** The whole file with runs of white space made single spaces. */
  text: string;
}

/** The article files as they are on disk: front matter title and source, and their text. */
export function readCorpusFiles(dir = DEFAULT_CORPUS_DIR): SourceFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => {
      const raw = readFileSync(join(dir, name), 'utf8');
      const field = (key: string) => new RegExp(`^${key}: *"?(.*?)"?$`, 'm').exec(raw)?.[1] ?? '';
      return { title: field('title'), source: field('source'), text: squash(raw) };
    });
}

export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The pieces of a quote between its "…" marks: each must appear word for word in the article. */
export function quotedPieces(quote: Quote): string[] {
  return quote.text
    .split('…')
    .map(squash)
    .filter((piece) => piece.length > 0);
}

/** Asserts the quote is verbatim from the article its citation names. */
export function expectVerbatim(quote: Quote, files: SourceFile[]): void {
  const file = files.find((candidate) => candidate.title === quote.title);
  expect(file, `no article titled "${quote.title}"`).toBeDefined();
  for (const piece of quotedPieces(quote)) expect(file!.text, `quote not verbatim from "${quote.title}"`).toContain(piece);
}

/** p-th percentile (0–100) of the values, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? NaN;
}

// -----------------------------------------------------------------------------------------------------------
// Buttons and menus under a reply

/** A button or select menu as the bot sent it (Discord's JSON), whatever row it is in. */
export interface ShownComponent {
  type: number;
  custom_id?: string;
  label?: string;
  style?: number;
  disabled?: boolean;
  placeholder?: string;
  options?: { label: string; value: string; description?: string }[];
}

/** Every component of a message, rows flattened, in order. */
export function shownComponents(message: { components?: readonly unknown[] | undefined }): ShownComponent[] {
  const out: ShownComponent[] = [];
  const walk = (components: readonly unknown[]) => {
    for (const component of components as Array<ShownComponent & { components?: unknown[] }>) {
      if (Array.isArray(component.components)) walk(component.components);
      else out.push(component);
    }
  };
  walk(message.components ?? []);
  return out;
}

/** The component with this label (a button) or placeholder (a menu); fails the test when there is none. */
export function shownComponent(message: { components?: readonly unknown[] | undefined }, label: string): ShownComponent & { custom_id: string } {
  const found = shownComponents(message).find((component) => component.label === label || component.placeholder === label);
  expect(found, `no component "${label}" among ${JSON.stringify(shownComponents(message).map((c) => c.label ?? c.placeholder))}`).toBeDefined();
  return found as ShownComponent & { custom_id: string };
}

/** The embed footer ("Page 1 of 2 · Footnote · …"). */
export function footerOf(message: APIInteractionResponseCallbackData): string {
  return message.embeds?.[0]?.footer?.text ?? '';
}

/**
 * What each end-to-end file checks when it ends: every interaction it sent acknowledged exactly once, and no
 * warning or error logged. Then the bot and the fake Discord stop, and the file's data folder is removed, whatever
 * the checks found.
 */
export async function finishFootnote(footnote: Footnote | undefined, sent: Sent, dataDir?: string): Promise<void> {
  try {
    if (footnote) {
      sent.expectAllAnswered(footnote.fake);
      expect(footnote.logs.atLeast(LEVEL.warn)).toEqual([]);
    }
  } finally {
    try {
      await footnote?.stop();
    } finally {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

/**
 * Every interaction a test file sends, so that one check at the end can hold all of them to Discord's rules:
 * each acknowledged exactly once, nothing the validator refused. Not how soon: that is latency, which depends
 * on the machine and its load, and `npm run bench` measures it.
 */
export class Sent {
  readonly all: SentInteraction[] = [];

  track(sent: SentInteraction): SentInteraction {
    this.all.push(sent);
    return sent;
  }

  /** Each tracked interaction was acknowledged exactly once; no payload was refused. */
  expectAllAnswered(fake: FakeDiscord): void {
    for (const sent of this.all) expectAcknowledgedOnce(sent);
    expect(fake.rejections.map((rejection) => rejection.violations.map(describeViolation))).toEqual([]);
  }
}

/** Exactly one callback Discord accepted: the member was answered, and not twice. */
export function expectAcknowledgedOnce(sent: SentInteraction): void {
  const accepted = sent.replies.filter((reply) => reply.kind === 'callback' && reply.status < 300);
  expect(accepted.length, `accepted callbacks for interaction ${sent.id}: ${sent.replies.map((reply) => `${reply.kind} ${reply.status}`).join(', ')}`).toBe(1);
}
