// Starting the bot: configuration, corpus, engine, then the discord.js client. `npm start` runs
// this through main.ts; the end-to-end tests run the very same function.
import { Client, Events, GatewayIntentBits, Status } from 'discord.js';
import type { DestinationStream } from 'pino';
import { commands } from '../../commands/index.js';
import type { Command } from '../../commands/types.js';
import { loadConfig, requireToken, type Config } from '../config.js';
import { openEngine, writeCache, type FolderState } from '../cache.js';
import type { Engine } from '../engine.js';
import { openDatabase } from '../database.js';
import { useReaders } from '../reading/pool.js';
import { ServerStore } from '../server-store.js';
import { Library } from '../library.js';
import type { ArticleStore } from '../store.js';
import { watchCorpus } from '../watch.js';
import { Sessions } from './sessions.js';
import { createLogger, type Logger } from '../logger.js';
import { countingErrors, createMetrics, type Metrics } from '../metrics.js';
import { startMonitor, type Monitor } from './monitor.js';
import { NO_PINGS, guardRawInteractions, handleInteraction, warmUp, warmUpCitations, type BotContext } from './interactions.js';

export interface Bot {
  client: Client<true>;
  engine: Engine;
  /** Servers' own articles. */
  store: ArticleStore;
  logger: Logger;
  metrics: Metrics;
  /** Where `/metrics` and `/healthz` are served; undefined unless METRICS_PORT is set. */
  monitorUrl: string | undefined;
  stop(): Promise<void>;
}

/** A discord.js client that answers the registry's commands from `engine`. */
export function createClient(config: Config, ctx: BotContext): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_PINGS,
    ...(config.apiUrl && { rest: { api: config.apiUrl } }),
  });
  guardRawInteractions(client, ctx);
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, ctx));
  client.on(Events.Error, (err) => ctx.logger.error({ err }, 'discord client error'));
  // discord.js reconnects by itself after most closes; ShardDisconnect means it gave up, and the bot hears nothing more.
  client.on(Events.ShardReconnecting, (shard) => ctx.logger.warn({ shard }, 'gateway connection lost, reconnecting'));
  client.on(Events.ShardResume, (shard) => ctx.logger.info({ shard }, 'gateway resumed'));
  client.on(Events.ShardDisconnect, (event, shard) => ctx.logger.error({ code: event.code, shard }, 'gateway disconnected for good; restart the bot'));
  return client;
}

export interface StartOptions {
  /** Where the logs go; stdout by default. */
  logStream?: DestinationStream;
  /** The commands to serve; the registry by default. */
  commands?: readonly Command[];
  /** How long a reply's buttons work; Discord's 15 minutes by default (tests shorten it). */
  sessionLifetimeMs?: number;
}

export async function startBot(env: NodeJS.ProcessEnv = process.env, options: StartOptions = {}): Promise<Bot> {
  const startedAt = performance.now();
  const config = loadConfig(env);
  const token = requireToken(config);
  const logger = createLogger(config.logLevel, options.logStream);
  const metrics = createMetrics({ process: config.metricsPort !== undefined });
  // Documents are read in these processes, never on the event loop that answers every server.
  const readers = useReaders({ processes: config.readerProcesses, memoryMb: config.readerMemoryMb, timeoutMs: config.readerTimeoutMs, log: logger, metrics });
  readers.warm();
  const opened = await openEngine(config.corpusDir, { log: logger });
  const { engine } = opened;
  logger.info(
    { articles: engine.articles.length, paragraphs: engine.paragraphCount, people: engine.people.length, fromCache: opened.fromCache },
    'corpus indexed',
  );
  // After live edits the cache is brought up to date when the bot stops, not while it answers:
  // at 100,000 paragraphs writing it blocks for seconds, past Discord's deadline for anyone
  // asking then. If the process dies instead, the next start sees the changed files and rebuilds.
  let changed: FolderState | undefined;
  const stopWatching = watchCorpus(config.corpusDir, engine, opened.state, {
    logger,
    onChange: (state) => {
      changed = state;
    },
  });

  // Servers' own articles are in the database, each server's index loaded when it first asks:
  // start-up reads none of them, however many servers there are.
  const db = countingErrors(await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }), metrics.databaseErrors);
  const store = new ServerStore(db, { shared: engine, memoryBytes: config.indexMemoryBytes, idleMs: config.indexIdleMs, dataDir: config.dataDir, log: logger });
  metrics.watchIndexCache(() => store.memory);
  void (await store.open()).imported;
  // The shared corpus is served all the same: a full disk takes down only servers' own articles.
  if (db.unavailable) logger.error({ database: db.label }, `servers’ own articles are unavailable until a restart: ${db.unavailable}`);
  else logger.info({ database: db.label, indexMemoryMiB: Math.round(config.indexMemoryBytes / 2 ** 20) }, 'servers’ articles in the database');
  const library = new Library(store, { links: { timeoutMs: config.downloadTimeoutMs, allowLoopback: config.testOnlyAllowLoopbackLinks } });
  const sessions = new Sessions(options.sessionLifetimeMs);
  const ctx = { engine, commands: options.commands ?? commands, logger, library, sessions, downloadTimeoutMs: config.downloadTimeoutMs, metrics };
  warmUp(ctx);
  const client = createClient(config, ctx);
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  let monitor: Monitor | undefined;
  // Stopping twice (a signal during a stop, a test's cleanup) stops once.
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopOnce());
  const stopOnce = async () => {
    stopWatching();
    sessions.clear();
    if (changed) writeCache(config.corpusDir, changed, engine, logger);
    changed = undefined;
    // Closing the connection on purpose is not losing it.
    client.removeAllListeners(Events.ShardReconnecting);
    await client.destroy();
    readers.close();
    await monitor?.close();
    await store.close();
    await db.close();
  };
  try {
    // Before logging in, so a probe sees 503 while the bot connects rather than no answer.
    if (config.metricsPort !== undefined) {
      monitor = await startMonitor(
        metrics,
        () => ({
          ready: client.isReady(),
          gatewayConnected: client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready),
          uptimeSeconds: Math.round((performance.now() - startedAt) / 1000),
        }),
        { host: config.metricsHost, port: config.metricsPort },
      );
      logger.info({ url: monitor.url }, 'serving /metrics and /healthz');
    }
    await client.login(token);
  } catch (err) {
    await stop();
    throw err;
  }
  // While the gateway handshake is under way, so start-up takes no longer.
  warmUpCitations(ctx);
  const readyClient = await ready;
  logger.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'ready');
  return {
    client: readyClient,
    engine,
    store,
    logger,
    metrics,
    monitorUrl: monitor?.url,
    stop,
  };
}
