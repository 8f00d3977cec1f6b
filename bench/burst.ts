// `npm run bench:burst`: one server's uploads against another server's questions, as the
// reliability report measured them. The bot runs as `npm start` runs it, in a process of its own;
// the local Discord of the tests (tests/discord/) runs in this one and serves the attachments.
// Server A already holds 137 Brown Corpus articles and uploads 30 more at once while server B
// asks 60 questions; prints B's acknowledgement latency (median, p99, max) and the uploads' outcome.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PermissionFlagsBits } from 'discord.js';
import { writeBrownCorpus } from '../scripts/make-brown-corpus.js';
import { deployCommands } from '../src/bot/deploy.js';
import { loadConfig } from '../src/config.js';
import { DEFAULT_MEMBER_PERMISSIONS, startFakeDiscord, type SentInteraction } from '../tests/discord/fake-discord.js';
import { botEnv, percentile } from '../tests/e2e/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const A = '1100000000000000002';
const B = '1100000000000000004';
const ROUNDS = Number(process.argv[2] ?? 5);

const ackMs = (sent: SentInteraction) => sent.replies.find((r) => r.kind === 'callback' && r.status < 300)?.elapsedMs ?? Infinity;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'footnote-burst-'));
  const brown = join(work, 'brown');
  writeBrownCorpus(brown, { withSeeds: false });
  const names = readdirSync(brown).filter((n) => n.endsWith('.md')).sort();
  const data = join(work, 'data');
  mkdirSync(join(data, 'guilds', A), { recursive: true });
  for (const name of names.slice(0, 137)) cpSync(join(brown, name), join(data, 'guilds', A, name));

  const fake = await startFakeDiscord({ guildId: A, replyTimeoutMs: 30_000 });
  const env = { ...botEnv(fake), DATA_DIR: data, LOG_LEVEL: 'warn' };
  await deployCommands(loadConfig(env));
  const bot = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['src/bot/main.ts'], { cwd: ROOT, env, stdio: 'ignore', detached: true });
  try {
    while (!fake.requests.some((r) => r.route === 'GET /gateway/bot') || !(await ready(fake))) await sleep(100);
    const quiet: number[] = [];
    const busy: number[] = [];
    let added = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // The same 60 questions alone, then during 30 uploads (new files each round: no duplicates).
      quiet.push(...(await questions(fake)).map(ackMs));
      const uploads = names.slice(137 + round * 30, 167 + round * 30).map((name) => fake.sendCommand('add', { file: { filename: name, bytes: readFileSync(join(brown, name)) } }, { guildId: A, permissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild }));
      busy.push(...(await questions(fake)).map(ackMs));
      const messages = await Promise.all(uploads.map((u) => u.answer()));
      added += messages.filter((m) => m.embeds?.[0]?.title?.startsWith('Added: ')).length;
    }
    const line = (label: string, ms: number[]) => `${label}: median ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms, max ${Math.max(...ms)} ms (${ms.length} questions)`;
    console.log(line('server B alone', quiet));
    console.log(line('server B during server A uploading 30 articles', busy));
    console.log(`server A: ${added} of ${ROUNDS * 30} uploads added`);
  } finally {
    process.kill(-bot.pid!, 'SIGKILL');
    await fake.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Whether the bot answers yet. */
async function ready(fake: Awaited<ReturnType<typeof startFakeDiscord>>): Promise<boolean> {
  try {
    // Throws until the bot has identified on the gateway.
    await fake.sendCommand('sources', {}, { guildId: B }).answer();
    return true;
  } catch {
    return false;
  }
}

/** Server B's 60 questions, 5 ms apart; resolves when all are answered. */
async function questions(fake: Awaited<ReturnType<typeof startFakeDiscord>>): Promise<SentInteraction[]> {
  const sent: SentInteraction[] = [];
  for (let i = 0; i < 60; i++) {
    sent.push(fake.sendCommand('search', { query: i % 2 ? 'treaty 1961' : 'talks on June 16' }, { guildId: B }));
    await sleep(5);
  }
  await Promise.all(sent.map((s) => s.answer()));
  return sent;
}

await main();
