// The database servers' own articles live in: PostgreSQL, embedded or shared. Without
// DATABASE_URL it is PGlite (Postgres compiled to WebAssembly, in-process, its files under
// DATA_DIR/db/): nothing to install. With DATABASE_URL it is a Postgres server (through `pg`),
// which several bot processes and hosts share. Both run the same SQL; the schema is brought up to
// date by numbered migrations when the database is opened, under a lock, so two processes
// starting together migrate once.
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

/** The embedded database in `dir`, created on first use; `said` hears each line Postgres logs as it stops. */
async function embedded(dir: string, said: (line: string) => void): Promise<Database> {
  mkdirSync(dir, { recursive: true });
  // Postgres gives its reason on stderr (FATAL, PANIC, or its own name before a start-up error);
  // PGlite throws only "PGlite failed to initialize properly" or Emscripten's "Aborted()".
  const onStderr = (text: string) => {
    const reason = /\b(?:FATAL|PANIC):\s+(.*)$|^postgres: (.*)$/.exec(text);
    if (reason) said((reason[1] ?? reason[2]!).replaceAll('/pglite/data', dir));
    return false;
  };
  const lite = await PGlite.create(dir, { onStderr });
  const on = (q: Pick<PGlite, 'query'>): Queryable => ({ query: async <T>(sql: string, params?: unknown[]) => (await q.query<T>(sql, params)).rows });
  return {
    ...on(lite),
    transaction: (work) => lite.transaction((tx) => work(on(tx))),
    close: () => lite.close(),
    label: `PGlite in ${dir}`,
    shared: false,
  };
}

/** A Postgres server, through a small pool of connections. */
function server(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle connection the server drops (a restart) is replaced at the next query; it must not end the process.
  pool.on('error', () => undefined);
  const on = (q: pg.Pool | pg.PoolClient): Queryable => ({ query: async <T>(sql: string, params?: unknown[]) => (await q.query(sql, params)).rows as T[] });
  const { hostname, port, pathname } = new URL(url);
  return {
    ...on(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(on(client));
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    label: `Postgres at ${hostname}:${port || 5432}${pathname}`,
    shared: true,
  };
}

/** Opens the database (Postgres at `url`, else PGlite under `dataDir`) and brings its schema up to date. */
export async function openDatabase({ url, dataDir }: { url?: string | undefined; dataDir: string }): Promise<Database> {
  let db: Database | undefined;
  let said: string | undefined;
  const dir = join(dataDir, 'db');
  try {
    db = url ? server(url) : await embedded(dir, (line) => (said = line));
    await migrate(db);
    return db;
  } catch (err) {
    await db?.close().catch(() => undefined);
    if (err instanceof DatabaseError) throw err;
    if (!url) throw new DatabaseError(`could not open the embedded database in ${dir}: ${embeddedProblem(err, dir, said)}`);
    throw new DatabaseError(
      `could not open the Postgres server of DATABASE_URL (${db?.label ?? 'unreadable address'}): ${reasonOf(err)}. Check DATABASE_URL and that the server is up, or leave DATABASE_URL empty for the embedded database.`,
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

/** Whether the disk `dir` is on has less than a megabyte left, which no start of Postgres survives. */
function diskFull(dir: string): boolean {
  try {
    const { bavail, bsize } = statfsSync(dir);
    return bavail * bsize < 2 ** 20;
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
