// The persisted index (`openEngine`): built and written on first open, loaded on the next, and
// rebuilt, never served stale, when an article file changes, appears or goes, or when the cache
// file is truncated, corrupt, malformed or from another version. A read-only folder still works.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFile, openEngine } from '../src/cache.js';
import { readFolder } from '../src/corpus.js';
import type { Engine } from '../src/engine.js';
import { toJson } from '../src/render/json.js';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const RFERL = 'rferl-1997-russia-north-korea-weaker-basic-treaty';
const isRoot = process.getuid?.() === 0;

const NEW_ARTICLE = `---
title: Lighthouse keepers restore the old beacon
source: The Coast Herald
---
Mayor Margarethe Vollstedt said on Friday that the restoration of the lighthouse beacon would finish before the summer season.

Volunteers painted the lighthouse tower white and red, and the harbour kept its fishing fleet in port during the works.
`;

/** A logger that remembers what it was told. */
function recorder() {
  const lines: Array<[level: string, ...args: unknown[]]> = [];
  return {
    lines,
    debug: (...args: unknown[]) => void lines.push(['debug', ...args]),
    info: (...args: unknown[]) => void lines.push(['info', ...args]),
    warn: (...args: unknown[]) => void lines.push(['warn', ...args]),
  };
}

let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footnote-cache-'));
  for (const name of readdirSync(CORPUS).filter((n) => n.endsWith('.md'))) copyFileSync(join(CORPUS, name), join(dir, name));
});
afterEach(async () => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

/** Several answers, as plain JSON: what "answers identically" compares. */
function answers(engine: Engine) {
  return [
    engine.search('treaty 1961'),
    engine.search('Korea', { page: 1 }),
    engine.who('Karasin'),
    engine.who('Putin'),
    engine.treaty(''),
    engine.treaty('defense'),
    engine.sources(),
    engine.quote(RFERL, 3),
  ].map(toJson);
}

/** Rewrites a file with other text of the same length, and a later modification time. */
function editSameSize(file: string, from: string, to: string): void {
  expect(to).toHaveLength(from.length);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  const { mtime } = statSync(file);
  writeFileSync(file, text.replace(from, to));
  utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
}

describe('opening a corpus folder', () => {
  it('builds the index on first open and writes the cache, then loads it on the second', async () => {
    const first = await openEngine(dir);
    expect(first.fromCache).toBe(false);
    expect(existsSync(cacheFile(dir))).toBe(true);
    expect(readdirSync(join(dir, '.cache'))).toEqual(['footnote-index.json']);
    const second = await openEngine(dir);
    expect(second.fromCache).toBe(true);
    expect(second.state).toEqual(first.state);
  });

  it('answers identically from the cache and from the articles', async () => {
    const built = (await openEngine(dir)).engine;
    const cached = await openEngine(dir);
    expect(cached.fromCache).toBe(true);
    expect(answers(cached.engine)).toEqual(answers(built));
    expect(cached.engine.paragraphCount).toBe(built.paragraphCount);
    expect(cached.engine.people.map((p) => p.name)).toEqual(built.people.map((p) => p.name));
    expect(cached.engine.suggestSearches('kor')).toEqual(built.suggestSearches('kor'));
  });

  it('keeps working after a cached engine is updated, as a built one would', async () => {
    await openEngine(dir);
    const cached = (await openEngine(dir)).engine;
    const built = (await openEngine(dir, { useCache: false })).engine;
    for (const engine of [cached, built]) engine.update({ remove: [RFERL] });
    expect(answers(cached)).toEqual(answers(built));
  });

  it('neither reads nor writes a cache when asked not to', async () => {
    expect((await openEngine(dir, { useCache: false })).fromCache).toBe(false);
    expect(existsSync(join(dir, '.cache'))).toBe(false);
    await openEngine(dir);
    expect((await openEngine(dir, { useCache: false })).fromCache).toBe(false);
  });

  it('ignores the cache folder and other files when deciding whether the folder changed', async () => {
    const { state } = await openEngine(dir);
    writeFileSync(join(dir, 'notes.json'), 'not an article');
    writeFileSync(join(dir, '.hidden.md'), NEW_ARTICLE);
    expect(readFolder(dir).state).toEqual(state);
    expect((await openEngine(dir)).fromCache).toBe(true);
  });
});

describe('a stale cache is rebuilt, never served', () => {
  it('rebuilds when an article file changes, and serves the new text', async () => {
    await openEngine(dir);
    writeFileSync(join(dir, `${RFERL}.md`), `${readFileSync(join(dir, `${RFERL}.md`), 'utf8')}\n\nA zeppelin was seen over the harbour as the delegations left the talks on Tuesday.\n`);
    const reopened = await openEngine(dir);
    expect(reopened.fromCache).toBe(false);
    expect(reopened.engine.search('zeppelin').excerpts[0]?.article.id).toBe(RFERL);
    expect((await openEngine(dir)).fromCache).toBe(true);
    expect((await openEngine(dir)).engine.search('zeppelin').total).toBe(1);
  });

  it('rebuilds when a file is edited without changing its size', async () => {
    await openEngine(dir);
    editSameSize(join(dir, `${RFERL}.md`), 'Siberian logging camps', 'Siberian walrus camps!');
    const reopened = await openEngine(dir);
    expect(reopened.fromCache).toBe(false);
    expect(reopened.engine.search('walrus').total).toBe(1);
    expect(reopened.engine.search('logging').total).toBe(0);
  });

  it('rebuilds when a file is edited keeping its size and putting its modification time back', async () => {
    const file = join(dir, `${RFERL}.md`);
    const then = new Date('2024-01-01T00:00:00Z');
    utimesSync(file, then, then);
    await openEngine(dir);
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('Grigory Karasin', 'Grigory Karasov'));
    utimesSync(file, then, then);
    expect([statSync(file).size, statSync(file).mtimeMs]).toEqual([before.size, before.mtimeMs]);
    const reopened = await openEngine(dir);
    expect(reopened.fromCache).toBe(false);
    expect(reopened.engine.who('Karasov').person?.name).toBe('Grigory Karasov');
    expect(reopened.engine.who('Karasin').person?.name).not.toBe('Grigory Karasin');
  });

  it('rebuilds when an article file is added', async () => {
    await openEngine(dir);
    writeFileSync(join(dir, 'lighthouse.txt'), NEW_ARTICLE);
    const reopened = await openEngine(dir);
    expect(reopened.fromCache).toBe(false);
    expect(reopened.engine.search('lighthouse beacon').excerpts[0]?.article.id).toBe('lighthouse');
    expect(reopened.engine.who('Vollstedt').person?.name).toBe('Margarethe Vollstedt');
  });

  it('rebuilds when an article file is deleted, and the article is gone', async () => {
    await openEngine(dir);
    unlinkSync(join(dir, `${RFERL}.md`));
    const reopened = await openEngine(dir);
    expect(reopened.fromCache).toBe(false);
    expect(reopened.engine.article(RFERL)).toBeUndefined();
    expect(reopened.engine.who('Karasin').person).toBeUndefined();
    expect(reopened.engine.sources().total).toBe(1);
  });
});

/** The stored cache with its first article rewritten. */
function withFirstArticle(stored: Record<string, unknown>, rewrite: (article: Record<string, unknown>) => Record<string, unknown>) {
  const snapshot = stored.snapshot as { articles: Array<Record<string, unknown>> };
  return { ...stored, snapshot: { ...snapshot, articles: [rewrite(snapshot.articles[0]!), ...snapshot.articles.slice(1)] } };
}

describe('a damaged cache is rebuilt without throwing', () => {
  async function damaged(write: (file: string) => void) {
    const expected = answers((await openEngine(dir, { useCache: false })).engine);
    await openEngine(dir);
    write(cacheFile(dir));
    const log = recorder();
    const reopened = await openEngine(dir, { log });
    expect(reopened.fromCache).toBe(false);
    expect(answers(reopened.engine)).toEqual(expected);
    // And the cache is good again afterwards.
    const again = await openEngine(dir);
    expect(again.fromCache).toBe(true);
    expect(answers(again.engine)).toEqual(expected);
    return log;
  }

  it('rebuilds from a truncated cache file', async () => {
    const log = await damaged((file) => writeFileSync(file, readFileSync(file).subarray(0, Math.floor(statSync(file).size / 2))));
    expect(log.lines).toContainEqual(['debug', { reason: 'cache is truncated or corrupt' }, 'building the index']);
  });

  it('rebuilds from an empty cache file', async () => {
    await damaged((file) => writeFileSync(file, ''));
  });

  it('rebuilds from a cache file of random bytes', async () => {
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    await damaged((file) => writeFileSync(file, bytes));
  });

  it('rebuilds from a cache made for other files or another version', async () => {
    const log = await damaged((file) => {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { fingerprint: string };
      writeFileSync(file, JSON.stringify({ ...stored, fingerprint: 'f'.repeat(64) }));
    });
    expect(log.lines).toContainEqual(['debug', { reason: 'cache is for other files or another version' }, 'building the index']);
  });

  it.each([
    ['JSON that is not an object', () => '42'],
    ['a null snapshot', (s: Record<string, unknown>) => JSON.stringify({ ...s, snapshot: null })],
    ['articles that are not a list', (s: Record<string, unknown>) => JSON.stringify({ ...s, snapshot: { ...(s.snapshot as object), articles: 'x' } })],
    ['an index that is not MiniSearch’s', (s: Record<string, unknown>) => JSON.stringify({ ...s, snapshot: { ...(s.snapshot as object), index: { nonsense: true } } })],
    ['no articles at all', (s: Record<string, unknown>) => JSON.stringify({ ...s, snapshot: { ...(s.snapshot as object), articles: [] } })],
    ['an article with no paragraphs', (s: Record<string, unknown>) => JSON.stringify(withFirstArticle(s, (a) => ({ ...a, paragraphs: [] })))],
    ['an article whose paragraphs are misnumbered', (s: Record<string, unknown>) => JSON.stringify(withFirstArticle(s, (a) => ({ ...a, paragraphs: (a.paragraphs as Array<{ n: number }>).map((p) => ({ ...p, n: 7 })) })))],
    ['no facts for an article', (s: Record<string, unknown>) => JSON.stringify({ ...s, snapshot: { ...(s.snapshot as object), facts: {} } })],
    ['an index of other paragraphs', (s: Record<string, unknown>) => JSON.stringify(withFirstArticle(s, (a) => ({ ...a, paragraphs: (a.paragraphs as unknown[]).slice(0, 1) })))],
  ])('rebuilds from a cache with the right fingerprint but %s', async (_what, rewrite) => {
    await damaged((file) => writeFileSync(file, rewrite(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));
  });

  it('removes the temporary files of cache writes that never finished', async () => {
    await openEngine(dir);
    const leftover = join(dir, '.cache', '.footnote-index.json.12345.tmp');
    writeFileSync(leftover, 'half a cache');
    expect((await openEngine(dir)).fromCache).toBe(true);
    expect(existsSync(leftover)).toBe(false);
    expect(readdirSync(join(dir, '.cache'))).toEqual(['footnote-index.json']);
  });

  it('still opens when a file stands where the cache folder should be', async () => {
    await openEngine(dir);
    rmSync(join(dir, '.cache'), { recursive: true });
    writeFileSync(join(dir, '.cache'), 'a file where the cache folder should be');
    const log = recorder();
    const opened = await openEngine(dir, { log });
    expect(opened.fromCache).toBe(false);
    expect(opened.engine.sources().total).toBe(2);
    expect(log.lines.some(([level, , msg]) => level === 'debug' && msg === 'could not write the index cache')).toBe(true);
  });
});

describe('a read-only corpus folder', () => {
  it.skipIf(isRoot)('still opens, without writing a cache', async () => {
    chmodSync(dir, 0o555);
    const log = recorder();
    const opened = await openEngine(dir, { log });
    expect(opened.fromCache).toBe(false);
    expect(opened.engine.search('Karasin').total).toBeGreaterThan(0);
    expect(existsSync(join(dir, '.cache'))).toBe(false);
    expect(log.lines.filter(([level]) => level === 'warn')).toEqual([]);
    expect((await openEngine(dir)).fromCache).toBe(false);
  });
});
