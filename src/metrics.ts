// What operators scrape from `/metrics` (src/bot/monitor.ts): one prom-client registry per bot,
// never the library's global one, so every bot (and every test) counts only what it did. The rest
// of the code sees the narrow interfaces below, whose label values are checked by the compiler: a
// misspelt outcome or reason would otherwise become a new series nobody's alert looks at.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from './database.js';

/** How an interaction ended: answered, answered with an apology, too late for Discord, or for a command the bot does not have. */
export type InteractionOutcome = 'answered' | 'failed' | 'expired' | 'unknown_command';
/** A slash or message command, a button or menu under a reply, or autocomplete while typing. */
export type InteractionKind = 'command' | 'component' | 'autocomplete';
export type ReaderJobState = 'queued' | 'running';
/** Why the reader pool killed a worker: past its deadline, over its memory, or it died by itself. */
export type ReaderKillReason = 'time' | 'memory' | 'crash';

export interface Metrics {
  readonly registry: Registry;
  /** How long each interaction took to handle, by kind, command and outcome; its count is the interactions. */
  readonly interactions: { observe(labels: { kind: InteractionKind; command: string; outcome: InteractionOutcome }, seconds: number): void };
  /** Uploads waiting for a reader, and being read, now: set by the reader pool. */
  readonly readerJobs: { set(labels: { state: ReaderJobState }, jobs: number): void };
  /** Reader workers the pool killed, by why. */
  readonly readerKills: { inc(labels: { reason: ReaderKillReason }, kills?: number): void };
  /** Statements and transactions the database refused or failed, by SQLSTATE or system error code. */
  readonly databaseErrors: { inc(labels: { operation: 'query' | 'transaction'; code: string }): void };
  /** Reports the loaded server indexes (ServerStore.memory) at each scrape. */
  watchIndexCache(memory: () => { servers: number; bytes: number }): void;
}

export interface MetricsOptions {
  /**
   * Also Node's own: memory (RSS, heap), CPU, event-loop delay, garbage collection. Only for a bot
   * that serves them: they start process-wide observers that are never stopped.
   */
  process?: boolean;
}

/**
 * Buckets in seconds: Discord wants an acknowledgement within 3 s, and the bot defers after 1 s,
 * so the buckets are finest below 3 s; uploads take up to the download and reading deadlines.
 */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.process) collectDefaultMetrics({ register: registry, prefix: 'footnote_' });
  const registers = [registry];
  const interactions = new Histogram({
    name: 'footnote_interaction_duration_seconds',
    help: 'Time from an interaction reaching the bot to its reply being accepted (or failing), by kind, command and outcome',
    labelNames: ['kind', 'command', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const readerJobs = new Gauge({ name: 'footnote_reader_jobs', help: 'Uploads waiting for a reader (queued) and being read (running)', labelNames: ['state'] as const, registers });
  const readerKills = new Counter({ name: 'footnote_reader_kills_total', help: 'Reader workers killed, by reason: time, memory or crash', labelNames: ['reason'] as const, registers });
  const databaseErrors = new Counter({
    name: 'footnote_database_errors_total',
    help: 'Database statements and transactions that failed, by operation and error code',
    labelNames: ['operation', 'code'] as const,
    registers,
  });
  let memory: () => { servers: number; bytes: number } = () => ({ servers: 0, bytes: 0 });
  new Gauge({ name: 'footnote_index_cache_bytes', help: 'About how many bytes the loaded servers’ indexes take (bounded by INDEX_MEMORY_MB)', registers, collect() { this.set(memory().bytes); } });
  new Gauge({ name: 'footnote_index_cache_servers', help: 'Servers whose index is loaded in memory', registers, collect() { this.set(memory().servers); } });
  // Both states exist from the start, so a dashboard shows 0 rather than no data before the first upload.
  for (const state of ['queued', 'running'] as const) readerJobs.set({ state }, 0);
  return {
    registry,
    interactions,
    readerJobs,
    readerKills,
    databaseErrors,
    watchIndexCache(read) {
      memory = read;
    },
  };
}

/** An error's SQLSTATE ("53100") or system code ("ECONNREFUSED"); anything else is "other", so the label cannot grow without bound. */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(?:[0-9A-Z]{5}|E[A-Z]{2,20})$/.test(code) ? code : 'other';
}

/**
 * `db`, with each statement or transaction that fails counted. A failed statement inside a
 * transaction is counted once, as the transaction it fails.
 */
export function countingErrors(db: Database, errors: Metrics['databaseErrors']): Database {
  const counted = <T>(operation: 'query' | 'transaction', work: Promise<T>): Promise<T> =>
    work.catch((err: unknown) => {
      errors.inc({ operation, code: errorCode(err) });
      throw err;
    });
  return {
    query: <T>(sql: string, params?: unknown[]) => counted('query', db.query<T>(sql, params)),
    transaction: (work) => counted('transaction', db.transaction(work)),
    close: () => db.close(),
    label: db.label,
    shared: db.shared,
    // Read through: the embedded database becomes unavailable when it stops.
    get unavailable() {
      return db.unavailable;
    },
    diskFull: () => db.diskFull(),
  };
}
