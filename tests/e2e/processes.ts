/**
 * The bot's scripts as real child processes, the way `npm start` and `npm run start:sharded` run them (tsx,
 * without npm's own process and notices), with their output collected line by line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startFakeDiscord, type FakeDiscord } from '../discord/fake-discord.js';
import type { LogRecord } from './harness.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/** What a script that ran to its end did: its exit code and all it wrote. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` (a path) with `args` to its end, `input` on its standard input. */
export function runScript(script: string, args: string[], { input, cwd, env }: { input?: string; cwd: string; env: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [script, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export type OnTestFinished = (fn: () => Promise<void> | void) => void;

/** A running script: its output so far, and how it ended. */
export interface ScriptProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Its stdout lines that are JSON log records. */
  logs(): LogRecord[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `script` with `env`. It gets its own process group, which tsx's node process and any shards it forks
 * inherit, so the kill when the test ends reaches them all.
 */
export function startScript(script: string, env: NodeJS.ProcessEnv, onTestFinished: OnTestFinished): ScriptProcess {
  const child = spawn(TSX, [script], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (into: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      into.push(...lines);
    };
  };
  child.stdout!.on('data', collect(stdout));
  child.stderr!.on('data', collect(stderr));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  onTestFinished(async () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The whole group is gone already.
    }
    await exited;
  });
  const parse = (line: string): LogRecord[] => {
    try {
      return line.startsWith('{') ? [JSON.parse(line) as LogRecord] : [];
    } catch {
      return [];
    }
  };
  return { child, stdout, stderr, exited, logs: () => stdout.flatMap(parse) };
}

/** Handles that would keep a process alive: sockets, servers, timers and file watchers. */
export const openHandles = () => process.getActiveResourcesInfo().filter((kind) => /TCP|Timeout|FSEvent|StatWatcher/.test(kind));

/** The kinds of handle open now that were not open (as many times) in `before`. */
export function leftSince(before: string[]): string[] {
  const remaining = [...before];
  return openHandles().filter((kind) => {
    const index = remaining.indexOf(kind);
    if (index === -1) return true;
    remaining.splice(index, 1);
    return false;
  });
}

/** A fake Discord for one test, stopped when it ends (after the child is killed: cleanups run in reverse). */
export async function fakeFor(onTestFinished: OnTestFinished): Promise<FakeDiscord> {
  const fake = await startFakeDiscord();
  onTestFinished(() => fake.stop());
  return fake;
}

/**
 * The first log line with `msg` on the child's stdout, once it is there. The limit only catches a line that
 * never comes: starting the bot (the corpus, PGlite) can take a minute on a loaded machine.
 */
export async function waitForLog(bot: ScriptProcess, msg: string, timeoutMs = 150_000): Promise<LogRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = bot.logs().find((record) => record.msg === msg);
    if (found) return found;
    if (bot.child.exitCode !== null) throw new Error(`npm start exited with ${bot.child.exitCode} before logging "${msg}": ${bot.stderr.join('\n')}`);
    if (Date.now() > deadline) throw new Error(`npm start did not log "${msg}" within ${timeoutMs} ms; stdout: ${bot.stdout.join('\n')}`);
    await sleep(25);
  }
}
