// Starting the bot: configuration, corpus, engine, then the discord.js client. `npm start` runs
// this through main.ts; the end-to-end tests run the very same function.
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { DestinationStream } from 'pino';
import { commands } from '../../commands/index.js';
import type { Command } from '../../commands/types.js';
import { loadConfig, requireToken, type Config } from '../config.js';
import { loadCorpus } from '../corpus.js';
import { Engine } from '../engine.js';
import { createLogger, type Logger } from '../logger.js';
import { NO_PINGS, handleInteraction, type BotContext } from './interactions.js';

export interface Bot {
  client: Client<true>;
  engine: Engine;
  logger: Logger;
  stop(): Promise<void>;
}

/** A discord.js client that answers the registry's commands from `engine`. */
export function createClient(config: Config, ctx: BotContext): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_PINGS,
    ...(config.apiUrl && { rest: { api: config.apiUrl } }),
  });
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, ctx));
  client.on(Events.Error, (err) => ctx.logger.error({ err }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shard) => ctx.logger.warn({ code: event.code, shard }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard) => ctx.logger.info({ shard }, 'gateway resumed'));
  return client;
}

export interface StartOptions {
  /** Where the logs go; stdout by default. */
  logStream?: DestinationStream;
  /** The commands to serve; the registry by default. */
  commands?: readonly Command[];
}

export async function startBot(env: NodeJS.ProcessEnv = process.env, options: StartOptions = {}): Promise<Bot> {
  const config = loadConfig(env);
  const token = requireToken(config);
  const logger = createLogger(config.logLevel, options.logStream);
  const corpus = loadCorpus(config.corpusDir);
  for (const warning of corpus.warnings) logger.warn(warning);
  const engine = new Engine(corpus);
  logger.info({ articles: engine.articles.length, paragraphs: engine.paragraphCount, people: engine.people.length }, 'corpus indexed');

  const client = createClient(config, { engine, commands: options.commands ?? commands, logger });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(token);
  } catch (err) {
    await client.destroy();
    throw err;
  }
  const readyClient = await ready;
  logger.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'ready');
  return {
    client: readyClient,
    engine,
    logger,
    stop: () => client.destroy(),
  };
}
