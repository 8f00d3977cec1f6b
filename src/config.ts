// Configuration, read once from the environment (and `.env`), validated and frozen. Every
// variable is described in `.env.example`.
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { defaultReaderOptions } from './reading/pool.js';
import { SNOWFLAKE } from './store.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(`config: ${message}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** The bot's token; only the bot and `npm run deploy` need it. */
  token: string | undefined;
  /** Register commands in this server only (instant); globally when unset. */
  guildId: string | undefined;
  /** The application id; read from Discord with the token when unset. */
  applicationId: string | undefined;
  /** Folder of the articles. Default: the repository's `corpus/`. */
  corpusDir: string;
  /** Where the embedded database keeps servers' own articles (added with /add). Default: the repository's `data/`. */
  dataDir: string;
  /**
   * A Postgres server for servers' own articles, shared by every bot process and host that uses
   * it (postgres://user:password@host:5432/database). Unset: the embedded database in DATA_DIR.
   */
  databaseUrl: string | undefined;
  /** Memory for servers' indexes kept loaded, in bytes (from INDEX_MEMORY_MB). Default 512 MiB. */
  indexMemoryBytes: number;
  /** A server's index unused this long is dropped from memory (from INDEX_IDLE_MINUTES). Default 60 minutes. */
  indexIdleMs: number;
  /** Base of Discord's REST API (for a proxy or a local test server); discord.js's own when unset. */
  apiUrl: string | undefined;
  logLevel: LogLevel;
  /** Reader processes for uploaded and folder documents (READER_PROCESSES). Default: one per core, 2 to 4. */
  readerProcesses: number;
  /** Memory one reader process may hold, in MiB (READER_MEMORY_MB); past it the document is refused. Default 320. */
  readerMemoryMb: number;
  /** Time one document may take to read, in milliseconds (from READER_TIMEOUT_S); past it the document is refused. Default 30 s. */
  readerTimeoutMs: number;
  /** Deadline for downloading a file (an attachment or a link given to /add), in milliseconds. Default 10 000. */
  downloadTimeoutMs: number;
  /**
   * Test-only: links given to /add and `npm run add` may reach loopback addresses (127.0.0.1),
   * where the tests serve their pages. Never set it on a bot people use: a link could then reach
   * services on the bot's own machine. From `TEST_ONLY_ALLOW_LOOPBACK_LINKS=true`. Default false.
   */
  testOnlyAllowLoopbackLinks: boolean;
  /**
   * The port of `/metrics` and `/healthz` (0: any free one); undefined, the default, serves neither.
   * A shard of `npm run start:sharded` adds its shard number, so the shards of one host do not
   * collide. From METRICS_PORT.
   */
  metricsPort: number | undefined;
  /** The address they listen on (METRICS_HOST). Default 127.0.0.1: this machine only. */
  metricsHost: string;
}

export const DEFAULT_CORPUS_DIR = fileURLToPath(new URL('../corpus', import.meta.url));
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data', import.meta.url));


function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** A whole number setting of at least `least`, or `fallback` when unset. */
function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, least: number): number {
  const value = optional(env, name) ?? String(fallback);
  if (!/^\d{1,7}$/.test(value) || Number(value) < least) throw new ConfigError(`${name} must be a whole number, ${least} or more, got ${JSON.stringify(value)}`);
  return Number(value);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const guildId = optional(env, 'DISCORD_GUILD_ID');
  const applicationId = optional(env, 'DISCORD_APPLICATION_ID');
  for (const [name, value] of [['DISCORD_GUILD_ID', guildId], ['DISCORD_APPLICATION_ID', applicationId]] as const) {
    if (value && !SNOWFLAKE.test(value)) throw new ConfigError(`${name} must be a Discord id (17–20 digits), got ${JSON.stringify(value)}`);
  }
  const apiUrl = optional(env, 'DISCORD_API_URL');
  if (apiUrl && !URL.canParse(apiUrl)) throw new ConfigError(`DISCORD_API_URL must be a URL, got ${JSON.stringify(apiUrl)}`);
  const logLevel = (optional(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  }
  const timeout = optional(env, 'DOWNLOAD_TIMEOUT_MS') ?? '10000';
  if (!/^\d{1,7}$/.test(timeout) || Number(timeout) < 100) throw new ConfigError(`DOWNLOAD_TIMEOUT_MS must be a number of milliseconds (100 or more), got ${JSON.stringify(timeout)}`);
  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must be a postgres:// address, e.g. postgres://footnote:secret@localhost:5432/footnote');
  const memory = whole(env, 'INDEX_MEMORY_MB', 512, 16);
  const idle = whole(env, 'INDEX_IDLE_MINUTES', 60, 1);
  const readerProcesses = whole(env, 'READER_PROCESSES', defaultReaderOptions.processes, 2);
  const readerMemoryMb = whole(env, 'READER_MEMORY_MB', defaultReaderOptions.memoryMb, 128);
  const readerTimeoutS = whole(env, 'READER_TIMEOUT_S', defaultReaderOptions.timeoutMs / 1000, 1);
  const loopback = (optional(env, 'TEST_ONLY_ALLOW_LOOPBACK_LINKS') ?? 'false').toLowerCase();
  if (loopback !== 'true' && loopback !== 'false') throw new ConfigError(`TEST_ONLY_ALLOW_LOOPBACK_LINKS must be true or false, got ${JSON.stringify(loopback)}`);
  const metricsPort = optional(env, 'METRICS_PORT');
  if (metricsPort !== undefined && (!/^\d{1,5}$/.test(metricsPort) || Number(metricsPort) > 65_535)) {
    throw new ConfigError(`METRICS_PORT must be a port number from 0 to 65535, got ${JSON.stringify(metricsPort)}`);
  }
  const metricsHost = optional(env, 'METRICS_HOST') ?? '127.0.0.1';
  if (!isIP(metricsHost) && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(metricsHost)) {
    throw new ConfigError(`METRICS_HOST must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(metricsHost)}`);
  }
  // discord.js's ShardingManager gives each shard process its number in SHARDS.
  const shard = env.SHARDING_MANAGER === 'true' && /^\d+$/.test(env.SHARDS ?? '') ? Number(env.SHARDS) : 0;
  return Object.freeze({
    token: optional(env, 'DISCORD_TOKEN'),
    guildId,
    applicationId,
    corpusDir: optional(env, 'CORPUS_DIR') ?? DEFAULT_CORPUS_DIR,
    dataDir: optional(env, 'DATA_DIR') ?? DEFAULT_DATA_DIR,
    databaseUrl,
    indexMemoryBytes: memory * 1024 * 1024,
    indexIdleMs: idle * 60_000,
    apiUrl,
    logLevel: logLevel as LogLevel,
    readerProcesses,
    readerMemoryMb,
    readerTimeoutMs: readerTimeoutS * 1000,
    downloadTimeoutMs: Number(timeout),
    testOnlyAllowLoopbackLinks: loopback === 'true',
    metricsPort: metricsPort === undefined ? undefined : Number(metricsPort) === 0 ? 0 : Number(metricsPort) + shard,
    metricsHost,
  });
}

/** The token, or a ConfigError that says what is missing and what works without it. */
export function requireToken(config: Config): string {
  if (config.token) return config.token;
  throw new ConfigError(
    'DISCORD_TOKEN is not set. Put the bot token in .env (see .env.example and the README). ' +
      'To try every command without Discord, run: npm run ask -- "/who Karasin"',
  );
}
