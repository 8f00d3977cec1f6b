// `npm run start:sharded`: the bot as several processes, one per group of guilds, for when
// Discord requires sharding (from 2,500 servers). Each shard is the ordinary bot (main.ts) in
// its own process; the manager only spawns and watches them. The manager opens the engine
// first so the shards all start from the persisted index instead of each building it.
import { REST, Routes, ShardingManager } from 'discord.js';
import dotenv from 'dotenv';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { openEngine } from '../cache.js';
import { ConfigError, loadConfig, requireToken } from '../config.js';
import { CorpusError } from '../corpus.js';
import { createLogger } from '../logger.js';

dotenv.config({ quiet: true });

try {
  const config = loadConfig();
  const token = requireToken(config);
  const logger = createLogger(config.logLevel, pino.destination(1));
  openEngine(config.corpusDir, { log: logger });

  // Discord's recommendation, asked through DISCORD_API_URL when set (the manager's own
  // look-up always asks discord.com); SHARD_COUNT overrides it.
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(token);
  const totalShards = Number(process.env.SHARD_COUNT) || ((await rest.get(Routes.gatewayBot())) as { shards: number }).shards;

  const manager = new ShardingManager(fileURLToPath(new URL('main.ts', import.meta.url)), {
    token,
    totalShards,
    execArgv: ['--import', 'tsx'],
  });
  manager.on('shardCreate', (shard) => {
    logger.info({ shard: shard.id, totalShards }, 'shard started');
    shard.on('death', () => logger.warn({ shard: shard.id }, 'shard process exited'));
  });
  await manager.spawn({ delay: 0 });
  logger.info({ totalShards }, 'all shards ready');
  const shutdown = () => {
    for (const shard of manager.shards.values()) shard.kill();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (err) {
  console.error(
    err instanceof ConfigError || err instanceof CorpusError ? `footnote: ${err.message}` : `footnote: could not start the shards: ${(err as Error).message}`,
  );
  process.exit(1);
}
