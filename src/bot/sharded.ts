// `npm run start:sharded`: the bot as several processes, one per group of guilds, for when
// Discord requires sharding (from 2,500 servers). Each shard is the ordinary bot (main.ts) in
// its own process; the manager only spawns and watches them. The manager opens the engine
// first so the shards all start from the persisted index instead of each building it.
import { REST, Routes, ShardingManager } from 'discord.js';
import dotenv from 'dotenv';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import pino from 'pino';
import { openEngine } from '../cache.js';
import { ConfigError, loadConfig, requireToken } from '../config.js';
import { CorpusError } from '../corpus.js';
import { createLogger } from '../logger.js';

dotenv.config({ quiet: true });

/** How long a shard gets to log out and exit on shutdown before the manager exits anyway. */
const SHARD_STOP_TIMEOUT_MS = 10_000;

let manager: ShardingManager | undefined;
let stopping = false;

/**
 * Asks every shard process to stop (SIGTERM, no respawn) and waits until they have exited, so that the
 * manager is the last to go: none is left running (or unreaped) without it.
 */
async function stopShards(): Promise<void> {
  stopping = true;
  const exits = [...(manager?.shards.values() ?? [])].flatMap((shard) => {
    const child = shard.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return [];
    const exited = once(child, 'exit');
    shard.kill();
    return [exited];
  });
  await Promise.race([Promise.all(exits), sleep(SHARD_STOP_TIMEOUT_MS)]);
}

/**
 * The shards this host runs: SHARD_LIST ("0,1,2,3") when several hosts share the shards, each
 * its own list with the same SHARD_COUNT; all of them otherwise.
 */
function shardsOfThisHost(list: string | undefined, totalShards: number): number[] {
  if (!list?.trim()) return [...Array(totalShards).keys()];
  const ids = list.split(',').map((id) => id.trim());
  if (!ids.every((id) => /^\d+$/.test(id) && Number(id) < totalShards)) {
    throw new ConfigError(`SHARD_LIST must be shard numbers from 0 to ${totalShards - 1}, separated by commas, got ${JSON.stringify(list)}`);
  }
  return [...new Set(ids.map(Number))].sort((a, b) => a - b);
}

try {
  const config = loadConfig();
  const token = requireToken(config);
  const logger = createLogger(config.logLevel, pino.destination(1));
  await openEngine(config.corpusDir, { log: logger });

  // Discord's recommendation, asked through DISCORD_API_URL when set (the manager's own
  // look-up always asks discord.com); SHARD_COUNT overrides it.
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(token);
  const totalShards = Number(process.env.SHARD_COUNT) || ((await rest.get(Routes.gatewayBot())) as { shards: number }).shards;
  const shardList = shardsOfThisHost(process.env.SHARD_LIST, totalShards);
  if (shardList.length > 1 && !config.databaseUrl) {
    throw new ConfigError('shards share servers’ articles through a Postgres server: set DATABASE_URL (the embedded database belongs to one process)');
  }

  manager = new ShardingManager(fileURLToPath(new URL('main.ts', import.meta.url)), {
    token,
    totalShards,
    shardList,
    execArgv: ['--import', 'tsx'],
  });
  manager.on('shardCreate', (shard) => {
    // Logged on every (re)spawn, with the shard's process id (`pid` is the manager's own).
    shard.on('spawn', (child: ChildProcess | Worker) => logger.info({ shard: shard.id, totalShards, shardPid: 'pid' in child ? child.pid : undefined }, 'shard started'));
    // discord.js respawns a shard that died; one stopped on purpose is no news.
    shard.on('death', () => {
      if (!stopping) logger.warn({ shard: shard.id }, 'shard process exited');
    });
  });
  // Before spawning: a signal while the shards start must stop them too, not leave them behind.
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    logger.info({ signal }, 'shutting down');
    void stopShards().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await manager.spawn({ delay: 0 });
  logger.info({ totalShards, shardList }, 'all shards ready');
} catch (err) {
  // A shard that fails to start because we are shutting down is no error; shutdown() exits.
  if (!stopping) {
    console.error(
      err instanceof ConfigError || err instanceof CorpusError ? `footnote: ${err.message}` : `footnote: could not start the shards: ${(err as Error).message}`,
    );
    // The shards already running (and the one discord.js is respawning) must not outlive the manager.
    await stopShards();
    process.exit(1);
  }
}
