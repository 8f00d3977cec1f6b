// The database servers' own articles live in: PostgreSQL, embedded or shared. Without
// DATABASE_URL it is PGlite (Postgres compiled to WebAssembly, in-process, its files under
// DATA_DIR/db/): nothing to install. With DATABASE_URL it is a Postgres server (through `pg`),
// which several bot processes and hosts share. Both run the same SQL; the schema is brought up to
// date by numbered migrations when the database is opened, under a lock, so two processes
// starting together migrate once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

/** The embedded database in `dir`, created on first use. */
async function embedded(dir: string): Promise<Database> {
  mkdirSync(dir, { recursive: true });
  const lite = await PGlite.create(dir);
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
  try {
    db = url ? server(url) : await embedded(join(dataDir, 'db'));
    await migrate(db);
    return db;
  } catch (err) {
    await db?.close().catch(() => undefined);
    if (err instanceof DatabaseError) throw err;
    const where = url ? `the Postgres server of DATABASE_URL (${db?.label ?? 'unreadable address'})` : `the embedded database in ${join(dataDir, 'db')}`;
    const fix = url ? 'Check DATABASE_URL and that the server is up, or leave DATABASE_URL empty for the embedded database.' : 'Check that DATA_DIR is writable and that no other Footnote process uses it.';
    throw new DatabaseError(`could not open ${where}: ${(err as Error).message}. ${fix}`);
  }
}
