// The database servers' own articles live in: PostgreSQL, embedded or shared. Without
// DATABASE_URL it is PGlite (Postgres compiled to WebAssembly, in-process, its files under
// DATA_DIR/db/): nothing to install. With DATABASE_URL it is a Postgres server (through `pg`),
// which several bot processes and hosts share. Both run the same SQL; the schema is brought up to
// date by numbered migrations when the database is opened, under a lock, so two processes
// starting together migrate once. A database that cannot be used now (a Postgres server that does
// not answer, PGlite stopped or on a full disk) fails with DatabaseUnavailable, whose reason a
// member can read, never with a hang: the bot goes on answering from what needs no database.
import { accessSync, constants, mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** The database could not be opened: said in one line, with what to check. */
export class DatabaseError extends Error {
  constructor(message: string) {
    super(`database: ${message}`);
    this.name = 'DatabaseError';
  }
}

/**
 * The database cannot be used now (unreachable, or the embedded one stopped): `reason` says so
 * in words for a member, e.g. "the database is unreachable; try again in a minute".
 */
export class DatabaseUnavailable extends Error {
  constructor(
    readonly reason: string,
    /** What the database or the network said, for the operator's log. */
    options?: { cause: unknown },
  ) {
    super(`database: ${reason}`, options);
    this.name = 'DatabaseUnavailable';
  }
}

export const UNREACHABLE = 'the database is unreachable; try again in a minute';
export const DISK_FULL = 'the bot’s disk is full; please tell the bot’s operator';

/** How the network says a server cannot be reached, and Postgres that it is shutting down or starting (57P01–57P03). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03']);

/** Whether `err` means the Postgres server could not be reached, rather than a statement failing. */
function unreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08'))) return true;
  // pg reports a lost or never-made connection in words only.
  return err instanceof Error && /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout)/.test(err.message);
}

/** What runs a statement: the database, or a transaction on it. */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Which database this is, for the logs (no password). */
  readonly label: string;
  /** Whether other processes may change it (a Postgres server), or it is this process's alone (PGlite). */
  readonly shared: boolean;
  /** Why it cannot be used until the bot restarts (the embedded one stopped, or could not open on a full disk); undefined while it can. */
  readonly unavailable: string | undefined;
  /** Whether its disk has too little room left to take a write safely; only the embedded database's disk is known here. */
  diskFull(): boolean;
}

/**
 * The schema, one migration (a list of statements) per step, never edited once released: a database is at the version of
 * the last step applied (`footnote_schema`), and opening it applies the steps after that.
 */
const MIGRATIONS: ReadonlyArray<readonly string[]> = [
  [
    `create table servers (
    guild_id text primary key,
    -- Counts the changes to the server's articles: a process holding its index compares it on use.
    version integer not null default 0
  )`,
    `create table articles (
    guild_id text not null references servers (guild_id) on delete cascade,
    slug text not null,
    -- The text as a reader compares it, hashed: the same text twice in one server is refused here.
    content_hash text not null,
    article jsonb not null,
    added_at timestamptz not null default now(),
    primary key (guild_id, slug),
    unique (guild_id, content_hash)
  )`,
    `-- Each server's index, built once when its articles change and loaded when the server asks.
  create table server_indexes (
    guild_id text primary key references servers (guild_id) on delete cascade,
    version integer not null,
    -- The code that built it: an index built by other code is rebuilt rather than trusted.
    code text not null,
    snapshot bytea not null
  )`,
    `-- Servers whose DATA_DIR/guilds/<id>/ files (the store before the database) were imported.
  create table imported_folders (
    guild_id text primary key,
    imported integer not null,
    skipped integer not null,
    imported_at timestamptz not null default now()
  )`,
  ],
];

/** Any number, the same in every process, naming the lock migrations are applied under. */
const MIGRATION_LOCK = 4_207_113;

async function migrate(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('create table if not exists footnote_schema (version integer not null)');
    const [row] = await tx.query<{ version: number }>('select max(version) as version from footnote_schema');
    const at = row?.version ?? 0;
    if (at > MIGRATIONS.length) throw new DatabaseError(`its schema (version ${at}) is newer than this Footnote's (${MIGRATIONS.length}); upgrade Footnote`);
    for (let v = at; v < MIGRATIONS.length; v++) {
      // One statement per query: the extended protocol, which both drivers use, takes no more.
      for (const statement of MIGRATIONS[v]!) await tx.query(statement);
      await tx.query('insert into footnote_schema (version) values ($1)', [v + 1]);
    }
  });
}

/**
 * The least free space the embedded database's disk must keep for a write to be tried. Postgres
 * writes its log in segments of 16 MiB, a checkpoint may start a new one, and an upload's rows and
 * saved index take a few MB more: PGlite that runs out of room in the middle of that stops for
 * good, and may not open again on that disk.
 */
export const DISK_MARGIN_BYTES = 64 * 2 ** 20;

function diskFullAt(dir: string): boolean {
  const { bavail, bsize } = statfsSync(dir);
  return bavail * bsize < DISK_MARGIN_BYTES;
}

/**
 * A database that answers every call with `reason`: the embedded one when it could not be opened
 * on a full disk, so the bot still serves the shared corpus.
 */
function unavailableDatabase(label: string, reason: string): Database {
  const refuse = () => Promise.reject(new DatabaseUnavailable(reason));
  return { query: refuse, transaction: refuse, close: async () => undefined, label, shared: false, unavailable: reason, diskFull: () => false };
}

/** PGlite's own errors are Postgres's, with a SQLSTATE; any other of its failures (an abort of its WebAssembly, "Aborted()") leaves it unusable. */
function fatal(err: unknown): boolean {
  return !(err instanceof DatabaseUnavailable) && typeof (err as { code?: unknown } | undefined)?.code !== 'string';
}

/**
 * The embedded database in `dir`, created on first use; `said` hears each line Postgres logs as it
 * stops. After a failure of PGlite itself rather than of a statement it is closed and never called
 * again: every call is refused at once, where calling it would hang or spin.
 */
async function embedded(dir: string, said: (line: string) => void): Promise<Database> {
  mkdirSync(dir, { recursive: true });
  const label = `PGlite in ${dir}`;
  if (diskFullAt(dir)) return unavailableDatabase(label, DISK_FULL);
  // Postgres gives its reason on stderr (FATAL, PANIC, or its own name before a start-up error);
  // PGlite throws only "PGlite failed to initialize properly" or Emscripten's "Aborted()".
  const onStderr = (text: string) => {
    const reason = /\b(?:FATAL|PANIC):\s+(.*)$|^postgres: (.*)$/.exec(text);
    if (reason) said((reason[1] ?? reason[2]!).replaceAll('/pglite/data', dir));
    return false;
  };
  const lite = await PGlite.create(dir, { onStderr });
  let stopped: string | undefined;
  // What a transaction's own code threw: its failure, not PGlite's.
  const thrownByWork = new WeakSet<object>();
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    if (stopped) throw new DatabaseUnavailable(stopped);
    try {
      return await run();
    } catch (err) {
      if (!fatal(err) || thrownByWork.has(err as object)) throw err;
      stopped ??= diskFullAt(dir) ? DISK_FULL : 'the embedded database stopped after an error; please tell the bot’s operator';
      await lite.close().catch(() => undefined);
      throw new DatabaseUnavailable(stopped);
    }
  };
  const on = (q: Pick<PGlite, 'query'>): Queryable => ({ query: <T>(sql: string, params?: unknown[]) => call(async () => (await q.query<T>(sql, params)).rows) });
  return {
    ...on(lite),
    transaction: (work) =>
      call(() =>
        lite.transaction(async (tx) => {
          try {
            return await work(on(tx));
          } catch (err) {
            if (typeof err === 'object' && err !== null) thrownByWork.add(err);
            throw err;
          }
        }),
      ),
    close: () => (stopped ? Promise.resolve() : lite.close()),
    label,
    shared: false,
    get unavailable() {
      return stopped;
    },
    diskFull: () => diskFullAt(dir),
  };
}

/** `err`, or the reason it gives a member when it means the server could not be reached. */
function asUnavailable(err: unknown): unknown {
  return unreachable(err) ? new DatabaseUnavailable(UNREACHABLE, { cause: err }) : err;
}

/**
 * How long connecting to the Postgres server, and waiting for a statement's answer, may take: a
 * host that drops packets would otherwise hold each caller for the system's TCP timeout, minutes.
 * Every statement here is small; the longest, saving a large server's index, takes well under a second.
 */
const CONNECT_TIMEOUT_MS = 5000;
const QUERY_TIMEOUT_MS = 15_000;

/** A Postgres server, through a small pool of connections. */
function server(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS });
  // An idle connection the server drops (a restart) is replaced at the next query; it must not end the process.
  pool.on('error', () => undefined);
  const on = (q: pg.Pool | pg.PoolClient): Queryable => ({ query: async <T>(sql: string, params?: unknown[]) => (await q.query(sql, params)).rows as T[] });
  const { hostname, port, pathname } = new URL(url);
  return {
    async query<T>(sql: string, params?: unknown[]) {
      try {
        return await on(pool).query<T>(sql, params);
      } catch (err) {
        throw asUnavailable(err);
      }
    },
    async transaction(work) {
      const client = await pool.connect().catch((err: unknown) => Promise.reject(asUnavailable(err)));
      try {
        await client.query('begin');
        const result = await work(on(client));
        await client.query('commit');
        client.release();
        return result;
      } catch (err) {
        // A connection that stopped answering is dropped, not asked to roll back: the server rolls
        // back a transaction whose connection is gone, and the pool must not hand it out again.
        if (unreachable(err)) {
          client.release(err as Error);
          throw asUnavailable(err);
        }
        await client.query('rollback').catch(() => undefined);
        client.release();
        throw err;
      }
    },
    close: () => pool.end(),
    label: `Postgres at ${hostname}:${port || 5432}${pathname}`,
    shared: true,
    // Unreachable is a moment's state, said per call: the pool connects again when it can.
    unavailable: undefined,
    diskFull: () => false,
  };
}

/**
 * Opens the database (Postgres at `url`, else PGlite under `dataDir`) and brings its schema up to
 * date. The embedded one on a disk too full to open it safely is opened `unavailable`, not refused:
 * the bot then serves the shared corpus.
 */
export async function openDatabase({ url, dataDir }: { url?: string | undefined; dataDir: string }): Promise<Database> {
  let db: Database | undefined;
  let said: string | undefined;
  const dir = join(dataDir, 'db');
  try {
    db = url ? server(url) : await embedded(dir, (line) => (said = line));
    if (!db.unavailable) await migrate(db);
    return db;
  } catch (err) {
    await db?.close().catch(() => undefined);
    if (err instanceof DatabaseError) throw err;
    if (!url) throw new DatabaseError(`could not open the embedded database in ${dir}: ${embeddedProblem(err, dir, said)}`);
    throw new DatabaseError(
      `could not open the Postgres server of DATABASE_URL (${db?.label ?? 'unreadable address'}): ${reasonOf(err instanceof DatabaseUnavailable && err.cause ? err.cause : err)}. Check DATABASE_URL and that the server is up, or leave DATABASE_URL empty for the embedded database.`,
    );
  }
}

/** Emscripten's errno numbers (its FS.ErrnoError carries only the number, no message) for the codes worth naming. */
const EMSCRIPTEN_ERRNO: Readonly<Record<number, string>> = { 2: 'EACCES', 19: 'EDQUOT', 29: 'EIO', 44: 'ENOENT', 51: 'ENOSPC', 54: 'ENOTDIR', 63: 'EPERM', 69: 'EROFS' };

/** The error code of `err`: Node's, or the one an Emscripten file-system error stands for. */
function codeOf(err: unknown): string | undefined {
  const { code, errno, name } = (err ?? {}) as { code?: unknown; errno?: unknown; name?: unknown };
  if (typeof code === 'string') return code;
  if (name === 'ErrnoError' && typeof errno === 'number') return EMSCRIPTEN_ERRNO[errno] ?? `errno ${errno}`;
  return undefined;
}

/** What went wrong, in the error's own words where it has some, without a final full stop. */
function reasonOf(err: unknown, said?: string): string {
  if (said) return said.replace(/\.$/, '');
  const message = err instanceof Error ? err.message.trim().replace(/\.$/, '') : '';
  // "Aborted(). Build with -sASSERTIONS for more info" is Emscripten's, and says nothing about the database.
  if (message && !/^Aborted\(/.test(message)) return message;
  return codeOf(err) ?? 'it gave no reason';
}

/** Why Footnote cannot write in `dir` (a folder's path, a file in the way, a code), or undefined when it can. */
function unwritable(dir: string): string | undefined {
  // The folder may not exist yet: what matters is the nearest part of the path that does (a file
  // on the way, /data/notes.txt/db, makes stat say ENOTDIR below it).
  let at = dir;
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) return `${at} is a file, not a folder`;
      accessSync(at, constants.W_OK);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(at) === at) return `${at} cannot be written to (${code ?? 'EACCES'})`;
      at = dirname(at);
    }
  }
}

/** Whether the disk `dir` is on is below the margin a write needs; false when that cannot be told. */
function diskFull(dir: string): boolean {
  try {
    return diskFullAt(dir);
  } catch {
    return false;
  }
}

/** Why the embedded database in `dir` could not be opened, and what to do about it. */
function embeddedProblem(err: unknown, dir: string, said: string | undefined): string {
  const reason = reasonOf(err, said);
  const code = codeOf(err);
  const folder = unwritable(dir);
  if (folder) return `DATA_DIR is not a folder Footnote can write to: ${folder}. Set DATA_DIR to one it can.`;
  if (code === 'ENOSPC' || code === 'EDQUOT' || /no space left on device|disk quota exceeded/i.test(reason) || diskFull(dir)) {
    return `the disk it is on is full (${reason}). Free some space there, or move DATA_DIR to a larger disk, and start Footnote again.`;
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /permission denied|read-only file system/i.test(reason)) {
    return `Footnote may not write to its files (${reason}). Check who owns the files in ${dir} and that the disk is not mounted read-only.`;
  }
  return `it stopped: ${reason}. Its files in DATA_DIR may be damaged: if no other Footnote process is using them, restore ${dir} from a backup, or move it aside to start with an empty one.`;
}
