// Untrusted documents are read in reader processes (child.ts), never on the bot's event loop: a
// hostile file can then only use up its reader, which is killed past a wall-clock deadline or a
// memory limit on everything the process holds (pdf.js's decoded streams live outside the
// JavaScript heap, so a heap limit alone does not hold), and a new one takes its place.
//
// Documents wait in one queue per server and are served round-robin across servers, so one
// server's slow uploads delay only its own: no server may hold every reader at once.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Overrides } from '../article.js';
import type { Source } from '../formats/types.js';
import type { Facts } from '../shelf.js';
import type { Article } from '../types.js';

/** A document for a reader: its bytes, what is known of them, the format (by name) to read it in, and what the uploader said of it. */
export interface Document {
  source: Source;
  format: string;
  overrides: Overrides;
}

export interface ReadRequest extends Document {
  id: number;
}

/** What a reader sends back: ready to read, or one document's outcome. */
export type ReadReply = { ready: true } | ReadOutcome;

type ReadOutcome = { id: number; ok: true; article: Article; facts: Facts } | { id: number; ok: false; problem: string };

/** A document read, with its facts, or the problem completing a sentence about the file ("… took more than 30 s to read"). */
export type Read = { ok: true; article: Article; facts: Facts } | { ok: false; problem: string };

/** Why a reader was killed. */
export type KillReason = 'time' | 'memory' | 'crash';

/** What the pool reports to the operator's metrics (src/metrics.ts). */
export interface ReaderMetrics {
  readerJobs: { set(labels: { state: 'queued' | 'running' }, value: number): void };
  readerKills: { inc(labels: { reason: KillReason }): void };
}

export interface ReaderOptions {
  /**
   * Reader processes at most (READER_PROCESSES). Default: one per core, at least 2, so another
   * server always has one, and at most 4, as each idle reader holds its own copy of the code.
   */
  processes: number;
  /** Time one document may take to read, in milliseconds (READER_TIMEOUT_S). Default 30 s. */
  timeoutMs: number;
  /** Memory one reader may hold, all of it, in MiB (READER_MEMORY_MB). Default 320. */
  memoryMb: number;
  metrics?: ReaderMetrics | undefined;
  log?: { warn(details: object, message: string): void } | undefined;
  /** The reader program; child.ts. Tests give a program of their own that misbehaves on demand. */
  program: string;
}

export const defaultReaderOptions: Readonly<ReaderOptions> = {
  processes: Math.min(4, Math.max(2, availableParallelism())),
  timeoutMs: 30_000,
  memoryMb: 320,
  program: fileURLToPath(new URL('./child.ts', import.meta.url)),
};

/** Where the queue stands for a document that waits for others: the same server's documents ahead of it (none: other servers' fill every reader). */
export interface Waiting {
  ahead: number;
}

interface Job {
  request: ReadRequest;
  queue: string;
  resolve(read: Read): void;
}

interface Reader {
  process: ChildProcess;
  ready: boolean;
  job?: Job | undefined;
  timer?: NodeJS.Timeout | undefined;
}

const STOPPING = 'was not read: the bot is stopping';

/** How often a busy reader's memory is looked at: a flate bomb grows by some hundreds of MB a second. */
const MEMORY_CHECK_MS = 50;

// The reader runs the TypeScript sources as the bot does, under tsx's loader.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PAGE_BYTES = 4096;

/** Bytes a process holds in memory, from /proc; undefined where there is no /proc (then only the heap limit holds). */
function residentBytes(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
  } catch {
    return undefined;
  }
}

export class ReaderPool {
  readonly options: Readonly<ReaderOptions>;
  readonly #readers = new Set<Reader>();
  /** Waiting jobs by server; the map's order is the round-robin's. */
  readonly #queues = new Map<string, Job[]>();
  #ids = 0;
  #watch: NodeJS.Timeout | undefined;
  #closed = false;
  #warm = false;

  constructor(options: Partial<ReaderOptions> = {}) {
    this.options = { ...defaultReaderOptions, ...options };
  }

  /**
   * Reads a document in a reader process, after the documents queued before it for
   * `queue` (a server, or the corpus folder). `waiting` is told once when it waits for other documents.
   */
  read(document: Document, queue: string, waiting?: (where: Waiting) => void): Promise<Read> {
    if (this.#closed) return Promise.resolve({ ok: false, problem: STOPPING });
    return new Promise((resolve) => {
      const job: Job = { request: { id: ++this.#ids, ...document }, queue, resolve };
      const jobs = this.#queues.get(queue) ?? [];
      jobs.push(job);
      this.#queues.set(queue, jobs);
      this.#pump();
      // Told only when it waits for other documents, not for a reader that is starting.
      const ahead = jobs.indexOf(job) + this.#runningFor(queue);
      if (jobs.includes(job) && (ahead > 0 || this.depth.running >= this.options.processes)) waiting?.({ ahead });
    });
  }

  /** Starts every reader now, so that the first documents do not wait for one to start. */
  warm(): void {
    this.#warm = true;
    while (this.#readers.size < this.options.processes) this.#spawn();
  }

  /** Kills every reader; documents still queued are refused. */
  close(): void {
    this.#closed = true;
    this.#refuseWaiting(STOPPING);
    for (const reader of this.#readers) this.#kill(reader, undefined);
  }

  #refuseWaiting(problem: string): void {
    for (const jobs of this.#queues.values()) for (const job of jobs) job.resolve({ ok: false, problem });
    this.#queues.clear();
    this.#report();
  }

  /** Readers at work and documents waiting, for the operator. */
  get depth(): { running: number; queued: number } {
    let queued = 0;
    for (const jobs of this.#queues.values()) queued += jobs.length;
    return { running: [...this.#readers].filter((r) => r.job).length, queued };
  }

  /** The readers at work on `queue`'s documents. */
  #runningFor(queue: string): number {
    let running = 0;
    for (const reader of this.#readers) if (reader.job?.queue === queue) running++;
    return running;
  }

  /** One server may use every reader but one, so another server's document never waits for it. */
  get #perQueue(): number {
    return Math.max(1, this.options.processes - 1);
  }

  /** Gives waiting documents to idle readers, taking servers in turn. */
  #pump(): void {
    for (;;) {
      const queue = [...this.#queues.keys()].find((q) => this.#runningFor(q) < this.#perQueue);
      if (queue === undefined) break;
      const reader = [...this.#readers].find((r) => r.ready && !r.job);
      if (!reader) {
        // Readers still starting will pump when ready.
        if (this.#readers.size < this.options.processes) this.#spawn();
        break;
      }
      const jobs = this.#queues.get(queue)!;
      const job = jobs.shift()!;
      // The server goes to the back of the round.
      this.#queues.delete(queue);
      if (jobs.length) this.#queues.set(queue, jobs);
      this.#start(reader, job);
    }
    this.#report();
  }

  #spawn(): void {
    const heapMb = Math.max(64, Math.floor(this.options.memoryMb * 0.75));
    const child = fork(this.options.program, [], {
      execArgv: ['--import', TSX, `--max-old-space-size=${heapMb}`],
      serialization: 'advanced',
      // Nothing a parser prints belongs in the bot's output (the terminal's JSON lines among it).
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    // Started for a document waiting: it keeps the process alive until it has read it.
    const reader: Reader = { process: child, ready: false };
    this.#readers.add(reader);
    child.on('message', (message: ReadReply) => {
      if ('ready' in message) {
        reader.ready = true;
        this.#pump();
        if (!reader.job) this.#idle(reader);
      } else if (reader.job?.request.id === message.id) {
        const { job } = reader;
        this.#finish(reader);
        job.resolve(message.ok ? { ok: true, article: message.article, facts: message.facts } : { ok: false, problem: message.problem });
        // V8 keeps the memory a large document made it take: a reader holding three quarters of its
        // limit is replaced, so the next document has room, and idle readers stay small. (A reader
        // with the parsers and the language data loaded holds about half of the default limit.)
        if ((residentBytes(child.pid ?? 0) ?? 0) > (this.options.memoryMb * 2 ** 20 * 3) / 4) this.#kill(reader, undefined);
        else this.#pump();
      }
    });
    child.on('exit', (code, signal) => {
      if (!this.#readers.has(reader)) return;
      // A reader that cannot even start (a broken install) would be started again without end:
      // the documents waiting are refused instead, and the next document tries again.
      if (!reader.ready) this.#refuseWaiting('was not read: the reader process could not start');
      // V8 aborts a process whose heap is full.
      this.#kill(reader, signal === 'SIGABRT' || code === 134 ? 'memory' : 'crash');
    });
    child.on('error', () => this.#kill(reader, 'crash'));
  }

  #start(reader: Reader, job: Job): void {
    reader.job = job;
    reader.process.ref();
    (reader.process.channel as { ref?(): void } | undefined)?.ref?.();
    reader.timer = setTimeout(() => this.#kill(reader, 'time'), this.options.timeoutMs);
    this.#watch ??= setInterval(() => this.#checkMemory(), MEMORY_CHECK_MS);
    reader.process.send(job.request);
  }

  #checkMemory(): void {
    for (const reader of this.#readers) {
      if (!reader.job || reader.process.pid === undefined) continue;
      if ((residentBytes(reader.process.pid) ?? 0) > this.options.memoryMb * 2 ** 20) this.#kill(reader, 'memory');
    }
  }

  /** The reader's job is over: it waits for the next, without keeping the process alive. */
  #finish(reader: Reader): void {
    clearTimeout(reader.timer);
    reader.job = undefined;
    reader.timer = undefined;
    this.#idle(reader);
    if (![...this.#readers].some((r) => r.job)) {
      clearInterval(this.#watch);
      this.#watch = undefined;
    }
  }

  #idle(reader: Reader): void {
    reader.process.unref();
    (reader.process.channel as { unref?(): void } | undefined)?.unref?.();
  }

  /** Stops a reader; its document, if any, is refused with the reason. A new reader starts when one is needed. */
  #kill(reader: Reader, reason: KillReason | undefined): void {
    if (!this.#readers.delete(reader)) return;
    const { job } = reader;
    this.#finish(reader);
    reader.process.kill('SIGKILL');
    if (job && reason) {
      this.options.metrics?.readerKills.inc({ reason });
      this.options.log?.warn({ reason, file: job.request.source.file, queue: job.queue }, 'a reader was stopped');
      job.resolve({ ok: false, problem: PROBLEMS[reason](this.options) });
    } else job?.resolve({ ok: false, problem: STOPPING });
    if (this.#closed) return;
    // A warm pool stays warm: a reader takes seconds to start (tsx, the parsers, the language
    // model), and without this the next document after a kill (another server's, often) would
    // wait for one. Only in place of a reader that had started, so a broken install does not
    // start readers without end; and once the killed one is gone, so that the memory it was
    // killed for is given back before its successor takes any.
    if (this.#warm && reader.ready) {
      const replace = () => {
        if (this.#closed) return;
        this.warm();
        this.#pump();
      };
      // A reader that died by itself (a full heap, a crash) is gone already.
      if (reader.process.exitCode !== null || reader.process.signalCode !== null) replace();
      else reader.process.once('exit', replace);
    }
    this.#pump();
  }

  #report(): void {
    const { running, queued } = this.depth;
    this.options.metrics?.readerJobs.set({ state: 'running' }, running);
    this.options.metrics?.readerJobs.set({ state: 'queued' }, queued);
  }
}

const PROBLEMS: Record<KillReason, (options: ReaderOptions) => string> = {
  time: ({ timeoutMs }) => `took more than ${timeoutMs / 1000} s to read, so I stopped`,
  memory: ({ memoryMb }) => `needs more than ${memoryMb} MB of memory to read, so I stopped`,
  crash: () => 'made the reader fail, so I could not read it',
};

let readers: ReaderPool | undefined;

/**
 * The process's readers: made with the defaults on first use (a test, `npm run ask` reading a
 * folder), or as the bot configured them with `useReaders` before anything was read.
 */
export function sharedReaders(): ReaderPool {
  return (readers ??= new ReaderPool());
}

/** Sets the process's readers (from the bot's configuration, with its metrics); any earlier ones are stopped. */
export function useReaders(options: Partial<ReaderOptions>): ReaderPool {
  readers?.close();
  return (readers = new ReaderPool(options));
}
