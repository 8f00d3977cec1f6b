// Opening the embedded database (PGlite) when it cannot be opened: DATA_DIR under a file or not
// writable, its files damaged, its disk full. Each failure is one line giving the real reason
// and what to do, never "undefined" nor Emscripten's "Aborted(). Build with -sASSERTIONS".
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError, DatabaseUnavailable, DISK_FULL, openDatabase } from '../src/database.js';

const isRoot = process.getuid?.() === 0;
const DAMAGED = /^database: could not open the embedded database in (\S+): it stopped: ([^\n]+)\. Its files in DATA_DIR may be damaged: if no other Footnote process is using them, restore \1 from a backup, or move it aside to start with an empty one\.$/;

let tmp: string;
let made: Promise<string> | undefined;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'footnote-database-'));
});

/** A DATA_DIR with a good database in it, made once (its creation takes seconds), to copy. */
function goodDataDir(): Promise<string> {
  return (made ??= (async () => {
    const dataDir = join(tmp, 'good');
    const db = await openDatabase({ dataDir });
    await db.close();
    return dataDir;
  })());
}
afterAll(() => {
  chmodSync(tmp, 0o700);
  rmSync(tmp, { recursive: true, force: true });
});

/** Why opening the embedded database in `dataDir` fails: the DatabaseError's message. */
async function refusal(dataDir: string): Promise<string> {
  const err = await openDatabase({ dataDir }).then(
    async (db) => {
      await db.close();
      throw new Error(`expected ${dataDir} not to open`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseError);
  const { message } = err as DatabaseError;
  expect(message).not.toMatch(/undefined|Aborted|ASSERTIONS|\.\./);
  expect(message).not.toContain('\n');
  return message;
}

/** Every regular file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** Overwrites `path` with as many random bytes as it holds. */
function garble(path: string): void {
  writeFileSync(path, randomBytes(Math.max(statSync(path).size, 64)));
}

describe('a DATA_DIR that cannot be written to', () => {
  it('says so when a file stands where a folder should be', async () => {
    writeFileSync(join(tmp, 'file'), 'not a folder');
    expect(await refusal(join(tmp, 'file', 'sub'))).toBe(
      `database: could not open the embedded database in ${join(tmp, 'file', 'sub', 'db')}: DATA_DIR is not a folder Footnote can write to: ${join(tmp, 'file')} is a file, not a folder. Set DATA_DIR to one it can.`,
    );
  });

  // Root may write anywhere, so a folder's permissions stop only other users.
  it.skipIf(isRoot)('says so when the folder is read-only', async () => {
    const locked = join(tmp, 'locked');
    mkdirSync(locked, { mode: 0o500 });
    expect(await refusal(join(locked, 'data'))).toBe(
      `database: could not open the embedded database in ${join(locked, 'data', 'db')}: DATA_DIR is not a folder Footnote can write to: ${locked} cannot be written to (EACCES). Set DATA_DIR to one it can.`,
    );
  });
});

describe('a damaged database', () => {
  let good: string;
  beforeAll(async () => {
    good = await goodDataDir();
  }, 180_000);

  /** A copy of the good DATA_DIR, damaged by `damage` (given its db folder). */
  function damaged(name: string, damage: (db: string) => void): string {
    const dataDir = join(tmp, name);
    cpSync(good, dataDir, { recursive: true });
    damage(join(dataDir, 'db'));
    return dataDir;
  }

  it('gives Postgres’s reason for a garbled control file, and points at the files rather than at permissions', async () => {
    const message = await refusal(damaged('control', (db) => garble(join(db, 'global', 'pg_control'))));
    expect(message).toMatch(DAMAGED);
    expect(DAMAGED.exec(message)![2]).toBe('database files are incompatible with server');
  });

  it('gives Postgres’s reason for a garbled write-ahead log, where PGlite itself only aborts', async () => {
    const message = await refusal(damaged('wal', (db) => filesUnder(join(db, 'pg_wal')).forEach(garble)));
    expect(DAMAGED.exec(message)?.[2]).toMatch(/^could not locate a valid checkpoint record/);
  });

  it('gives Postgres’s reason for a version file that is not one, with the real folder in it', async () => {
    const dataDir = damaged('version', (db) => writeFileSync(join(db, 'PG_VERSION'), 'garbage\n'));
    const message = await refusal(dataDir);
    expect(DAMAGED.exec(message)?.[2]).toBe(`"${join(dataDir, 'db')}" is not a valid data directory`);
  });

  it('says the same when every file is garbage', async () => {
    expect(await refusal(damaged('all', (db) => filesUnder(db).forEach(garble)))).toMatch(DAMAGED);
  });
});

/** Whether this process may mount a small tmpfs, a disk that can be filled (root with CAP_SYS_ADMIN). */
function canMount(): boolean {
  if (!isRoot || process.platform !== 'linux') return false;
  const probe = mkdtempSync(join(tmpdir(), 'footnote-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

describe.runIf(canMount())('a full disk', () => {
  let disk: string;
  let good: string;
  beforeAll(async () => {
    good = await goodDataDir();
    disk = mkdtempSync(join(tmpdir(), 'footnote-full-'));
    // Room for the database and a little more, then nothing.
    const bytes = filesUnder(good).reduce((sum, path) => sum + statSync(path).size, 0);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(bytes / 2 ** 20) + 8}m`, 'tmpfs', disk]);
    cpSync(good, join(disk, 'existing'), { recursive: true });
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(disk, 'filler')}`, 'bs=1M'], { stdio: 'ignore' });
    } catch {
      // dd stops, failing, when the disk is full: as meant.
    }
  }, 180_000);
  afterAll(() => {
    // Lazily: a file PGlite left open must not keep the disk mounted.
    if (disk) execFileSync('umount', ['-l', disk]);
    rmSync(disk, { recursive: true, force: true });
  });

  it('opens a database on a full disk unavailable, with the reason, so the bot still serves the shared corpus', async () => {
    for (const dataDir of [join(disk, 'existing'), join(disk, 'new')]) {
      const db = await openDatabase({ dataDir });
      expect(db.unavailable).toBe(DISK_FULL);
      await expect(db.query('select 1')).rejects.toThrow(new DatabaseUnavailable(DISK_FULL));
      await db.close();
    }
  });
});
