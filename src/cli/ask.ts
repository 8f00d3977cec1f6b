// The terminal adapter: `npm run ask -- "/who Karasin"` answers once; with no command it is an
// interactive prompt; with --json it reads one command per stdin line and writes one JSON line
// per command, in order, to stdout (everything else goes to stderr).
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { commands } from '../../commands/index.js';
import type { CommandContext } from '../../commands/types.js';
import { loadConfig } from '../config.js';
import pino from 'pino';
import { openEngine } from '../cache.js';
import { createLogger } from '../logger.js';
import { plural } from '../plural.js';
import { toJson } from '../render/json.js';
import { toTerminal } from '../render/terminal.js';
import type { Answer } from '../types.js';
import { runMain } from './exit.js';
import { completeCommand, parseCommandLine, promptLine } from './parse.js';

const USAGE = `Usage: npm run ask -- [--corpus DIR] [--json] ["/command text"]
  npm run ask -- "/who Karasin"        answer one command
  npm run ask                          interactive prompt: a question, or a command (Tab completes)
  npm run --silent ask -- --json       one command per stdin line, one JSON line out each`;

/** Runs one typed command; an unknown command or a failure is an error message, never a throw. */
export async function ask(line: string, ctx: CommandContext): Promise<{ answer: Answer } | { error: string }> {
  const parsed = parseCommandLine(line, ctx.commands);
  if ('error' in parsed) return parsed;
  try {
    return { answer: await parsed.command.execute(parsed.input, ctx) };
  } catch (err) {
    return { error: `/${parsed.command.data.name} failed: ${(err as Error).message}` };
  }
}

/**
 * The lines of a stream, split at "\n" alone (readline also splits at a bare "\r", which would
 * turn one command into two); the "\r" of a "\r\n" ending is dropped.
 */
export async function* inputLines(input: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let partial = '';
  for await (const chunk of input) {
    const parts = (partial + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))).split('\n');
    partial = parts.pop()!;
    for (const line of parts) yield line.replace(/\r$/, '');
  }
  partial += decoder.decode();
  if (partial) yield partial.replace(/\r$/, '');
}

async function main(): Promise<number> {
  dotenv.config({ quiet: true });
  const { values, positionals } = parseArgs({
    options: { json: { type: 'boolean', default: false }, corpus: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  // Logs go to stderr, and only from warnings up unless asked: stdout is the answers'.
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, pino.destination(2));
  const { engine } = await openEngine(values.corpus ?? config.corpusDir, { log });
  const ctx: CommandContext = { engine, commands };
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const print = async (line: string) => {
    const result = await ask(line, ctx);
    if (values.json) process.stdout.write(`${JSON.stringify('error' in result ? result : toJson(result.answer))}\n`);
    else if ('error' in result) console.error(result.error);
    else console.log(`${toTerminal(result.answer, { color })}\n`);
    return !('error' in result);
  };

  if (positionals.length > 0) return (await print(positionals.join(' '))) ? 0 : 1;

  if (values.json) {
    // One JSON line out for every line in, blank ones included, so a script can pair them up.
    for await (const line of inputLines(process.stdin)) await print(line);
    return 0;
  }

  const interactive = Boolean(process.stdin.isTTY);
  if (interactive) console.log(`Footnote: ${plural(engine.articles.length, 'article')}. Ask a question, or type a command (/help, Tab completes), or "exit".`);
  const rl = createInterface({
    input: process.stdin,
    ...(interactive && { output: process.stdout, prompt: 'footnote> ', completer: (line: string) => completeCommand(line, commands) }),
  });
  if (interactive) rl.prompt();
  for await (const line of rl) {
    if (interactive && /^(exit|quit)$/i.test(line.trim())) break;
    if (line.trim()) await print(interactive ? promptLine(line) : line);
    if (interactive) rl.prompt();
  }
  rl.close();
  return 0;
}

runMain(main);
