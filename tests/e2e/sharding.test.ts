/**
 * `npm run start:sharded` as it really runs: the discord.js ShardingManager (src/bot/sharded.ts) in a child
 * process, forking one bot process (src/bot/main.ts) per shard, all logged in to the local test Discord.
 *
 * The fake gateway is shard-aware like Discord: each connection identifies as `[id, count]`, gets only the
 * guilds with `(guild_id >> 22) % count === id`, and receives the interactions of those guilds (DMs: shard 0).
 * Every process logs JSON lines with its own `pid` to the same stdout, so a test can tell which shard
 * process answered an interaction: the manager logs each shard's `shardPid`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/bot/deploy.js';
import { DEFAULT_CORPUS_DIR, loadConfig } from '../../src/config.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../discord/fake-discord.js';
import { leftSince, openHandles, startScript, type OnTestFinished, type ScriptProcess } from './processes.js';
import { LEVEL, ask, type LogRecord } from './harness.js';
import { startPostgres, type PostgresHandle } from '../postgres-server.js';


/**
 * Starting the manager and two tsx shard processes takes several seconds on a 2-core machine, and a minute or
 * more when other work loads it: these limits only catch a start that never comes.
 */
const START_TIMEOUT_MS = 150_000;
const TEST_TIMEOUT_MS = 240_000;

/** Discord's rule: a guild belongs to shard `(guild_id >> 22) % shard_count`. */
const shardOf = (guildId: string, count: number) => Number((BigInt(guildId) >> 22n) % BigInt(count));

/** A second guild the bot is in, one shard away from the fake's own guild (the timestamp part differs by one). */
const OTHER_GUILD = { id: '1100000000004194306', channelId: '1100000000004194307' };


/** Whether a process is still there; an exited one its parent has not reaped yet (a zombie) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}



/**
 * Waits until at least `count` log lines match, and returns them. Fails early, with the output, if the manager
 * exited, unless `afterExit` (the shards, which share its stdout, may outlive it).
 */
async function waitForLogs(
  run: ScriptProcess,
  match: (record: LogRecord) => boolean,
  { count = 1, timeoutMs = START_TIMEOUT_MS, afterExit = false }: { count?: number; timeoutMs?: number; afterExit?: boolean } = {},
): Promise<LogRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = run.logs().filter(match);
    if (found.length >= count) return found;
    const output = `stdout:\n${run.stdout.join('\n')}\nstderr:\n${run.stderr.join('\n')}`;
    if (run.child.exitCode !== null && !afterExit) throw new Error(`start:sharded exited with ${run.child.exitCode} before logging ${count} matching line(s); ${output}`);
    if (Date.now() > deadline) throw new Error(`start:sharded did not log ${count} matching line(s) within ${timeoutMs} ms; ${output}`);
    await sleep(25);
  }
}

const msg = (text: string) => (record: LogRecord) => record.msg === text;

// Shards are processes: they share servers' articles through a Postgres server, a real one here.
let postgres: PostgresHandle;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres?.stop());

/** A fake Discord with a second guild, and the environment `npm run start:sharded` gets, with its own DATA_DIR and the test's Postgres. */
async function setUp(onTestFinished: OnTestFinished, discord: FakeDiscordOptions, extraEnv: NodeJS.ProcessEnv) {
  const fake = await startFakeDiscord({ otherGuilds: [OTHER_GUILD], ...discord });
  let stopped: Promise<void> | undefined;
  const stopFake = () => (stopped ??= fake.stop());
  onTestFinished(stopFake);
  const dataDir = mkdtempSync(join(tmpdir(), 'footnote-sharding-'));
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  const { SHARD_COUNT: _count, SHARDS: _shards, SHARD_LIST: _list, DISCORD_GUILD_ID: _guild, DATABASE_URL: _db, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    DISCORD_TOKEN: fake.botToken,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_APPLICATION_ID: fake.applicationId,
    CORPUS_DIR: DEFAULT_CORPUS_DIR,
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    DATABASE_URL: postgres.url,
    ...extraEnv,
  };
  // Global commands (no DISCORD_GUILD_ID), as a bot big enough to shard registers them: every guild has them.
  await deployCommands(loadConfig(env));
  return { fake, env, stopFake };
}

/**
 * Waits for the manager's 'all shards ready' and every shard's own 'ready'; returns the pid of each
 * shard by id (of those this host runs: `shards`, all by default), and the manager's.
 */
async function waitUntilReady(run: ScriptProcess, totalShards: number, shards = [...Array(totalShards).keys()]): Promise<{ managerPid: number; shardPids: number[] }> {
  const [all] = await waitForLogs(run, msg('all shards ready'));
  expect(all).toMatchObject({ level: LEVEL.info, totalShards });
  const ready = await waitForLogs(run, msg('ready'), { count: shards.length });
  const started = run.logs().filter(msg('shard started'));
  expect(started.map((record) => record.shard).sort()).toEqual(shards);
  const shardPids: number[] = [];
  for (const record of started) shardPids[Number(record.shard)] = Number(record.shardPid);
  // Each shard process is ready with its own guilds only: one each here.
  expect(ready.map((record) => record.pid).sort()).toEqual(shards.map((id) => shardPids[id]).sort());
  for (const record of ready) expect(record).toMatchObject({ user: 'Footnote', guilds: 1 });
  return { managerPid: Number(all!.pid), shardPids };
}

/** Asks `/who Karasin` in `guildId` (null: a DM) and checks the person card came back through, and from, shard `owner`. */
async function expectAnsweredByOwner(fake: FakeDiscord, run: ScriptProcess, shardPids: number[], guildId: string | null, owner: number): Promise<void> {
  const { sent, reply } = await ask(fake, 'who', { name: 'Karasin' }, { guildId });
  expect(reply.title).toBe('Grigory Karasin');
  expect(reply.blocks[0]).toBe('Russian Deputy Foreign Minister');
  // The gateway connection it was dispatched on, and the process that answered it.
  expect(fake.shardOf(sent.id)).toBe(owner);
  const [answered] = await waitForLogs(run, (record) => record.msg === 'answered' && record.interactionId === sent.id, { timeoutMs: 30_000 });
  expect(answered).toMatchObject({ pid: shardPids[owner], command: 'who', guildId });
}

// One child at a time (the describe's tests run in order): side by side they would starve each other of CPU.
describe('npm run start:sharded against the local test Discord', () => {
  it(
    'with SHARD_COUNT=2 runs two shard processes, each answering its own guild, and stops them all on SIGTERM',
    async ({ onTestFinished }) => {
      const before = openHandles();
      // The fake recommends 1 shard: SHARD_COUNT wins.
      const { fake, env, stopFake } = await setUp(onTestFinished, {}, { SHARD_COUNT: '2' });
      const guilds = [fake.guildId, OTHER_GUILD.id];
      expect(guilds.map((guild) => shardOf(guild, 2)).sort()).toEqual([0, 1]);

      const run = startScript('src/bot/sharded.ts', env, onTestFinished);
      const { managerPid, shardPids } = await waitUntilReady(run, 2);
      expect(fake.identifiedShards.sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);

      for (const guild of guilds) await expectAnsweredByOwner(fake, run, shardPids, guild, shardOf(guild, 2));

      process.kill(run.child.pid!, 'SIGTERM');

      expect(await run.exited).toEqual({ code: 0, signal: null });
      // The manager waits for its shards, so by the time it is gone they are too.
      for (const pid of [managerPid, ...shardPids]) expect(isRunning(pid), `process ${pid} still running`).toBe(false);
      expect(run.logs().filter(msg('shutting down')).map((record) => record.pid).sort()).toEqual([managerPid, ...shardPids].sort());
      expect(run.logs().filter((record) => record.level >= LEVEL.warn)).toEqual([]);
      expect(run.stderr.join('\n').trim()).toBe('');
      await expect.poll(() => fake.gatewayConnections).toBe(0);

      await stopFake();
      // Nothing of the run is left open in the test process either (the fake's server and sockets included).
      await expect.poll(() => leftSince(before)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'with SHARD_LIST runs only the shards of this host (another host runs the rest), each answering its own guilds',
    async ({ onTestFinished }) => {
      const { fake, env } = await setUp(onTestFinished, {}, { SHARD_COUNT: '2', SHARD_LIST: '1' });
      const [mine] = [fake.guildId, OTHER_GUILD.id].filter((guild) => shardOf(guild, 2) === 1);
      const run = startScript('src/bot/sharded.ts', env, onTestFinished);
      const { shardPids } = await waitUntilReady(run, 2, [1]);
      expect(fake.identifiedShards).toEqual([[1, 2]]);
      await expectAnsweredByOwner(fake, run, shardPids, mine!, 1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses two shards without DATABASE_URL, saying why: the embedded database is one process’s',
    async ({ onTestFinished }) => {
      const { env } = await setUp(onTestFinished, {}, { SHARD_COUNT: '2' });
      const run = startScript('src/bot/sharded.ts', { ...env, DATABASE_URL: '' }, onTestFinished);
      expect((await run.exited).code).toBe(1);
      expect(run.stderr.join('\n')).toMatch(/^footnote: config: shards share servers’ articles through a Postgres server: set DATABASE_URL/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "without SHARD_COUNT uses Discord's recommended count, sends DMs to shard 0, and the shards exit when the manager is killed",
    async ({ onTestFinished }) => {
      const { fake, env } = await setUp(onTestFinished, { recommendedShards: 2 }, {});

      const run = startScript('src/bot/sharded.ts', env, onTestFinished);
      const { managerPid, shardPids } = await waitUntilReady(run, 2);
      expect(fake.identifiedShards.sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);

      await expectAnsweredByOwner(fake, run, shardPids, null, 0);

      // A manager that dies without its shutdown (SIGKILL, a crash) must not leave its shards connected on their own.
      process.kill(managerPid, 'SIGKILL');

      const gone = await waitForLogs(run, msg('the shard manager is gone; shutting down'), { count: 2, timeoutMs: 60_000, afterExit: true });
      expect(gone.map((record) => record.pid).sort()).toEqual([...shardPids].sort());
      await expect.poll(() => [managerPid, ...shardPids].filter(isRunning), { timeout: 60_000 }).toEqual([]);
      await expect.poll(() => fake.gatewayConnections).toBe(0);
      await run.exited;
    },
    TEST_TIMEOUT_MS,
  );
});
