// The live corpus: `applyFolderChanges` brings the engine in step with the folder (added, changed,
// deleted files; a broken edit keeps the last good version), and `watchCorpus` does it on its
// own, a burst of writes making one update, and stops cleanly.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openEngine, writeCache, type FolderState } from '../src/cache.js';
import type { Engine } from '../src/engine.js';
import { applyFolderChanges, watchCorpus } from '../src/watch.js';
import { TITLE, journalPdf } from './pdf/journal.js';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const RFERL = 'rferl-1997-russia-north-korea-weaker-basic-treaty';

const article = (title: string, words: string) => `---
title: ${title}
---
The council met on Tuesday and talked about ${words} for most of the long afternoon session.

Members said the ${words} question would come back at the next meeting after the summer break.
`;

/** A logger that records the messages the watcher logs. */
function fakeLogger() {
  const infos: Array<{ fields: unknown; msg: unknown }> = [];
  const warns: string[] = [];
  return {
    infos,
    warns,
    updates: () => infos.filter((i) => i.msg === 'corpus updated').length,
    info: (fields: unknown, msg?: unknown) => void infos.push({ fields, msg }),
    warn: (msg: unknown) => void warns.push(String(msg)),
  };
}

let dir: string;
let engine: Engine;
let state: FolderState;
let logger: ReturnType<typeof fakeLogger>;
const stops: Array<() => void> = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footnote-watch-'));
  for (const name of readdirSync(CORPUS).filter((n) => n.endsWith('.md'))) copyFileSync(join(CORPUS, name), join(dir, name));
  ({ engine, state } = await openEngine(dir, { useCache: false }));
  logger = fakeLogger();
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a file and moves its modification time on, so even a same-size edit is a change. */
function write(name: string, text: string): void {
  const file = join(dir, name);
  let before: Date | undefined;
  try {
    before = statSync(file).mtime;
  } catch {
    // A new file.
  }
  writeFileSync(file, text);
  if (before) utimesSync(file, before, new Date(before.getTime() + 2000));
}

const apply = async () => (state = await applyFolderChanges(dir, engine, state, logger));

describe('applyFolderChanges', () => {
  it('adds a new article file to the engine', async () => {
    write('walrus.md', article('The walrus debate in the council', 'walrus'));
    await apply();
    expect(engine.search('walrus').excerpts[0]?.article.id).toBe('walrus');
    expect(engine.articles.map((a) => a.id)).toContain('walrus');
    expect(logger.infos).toEqual([{ fields: { changed: ['walrus'], removed: [], paragraphs: engine.paragraphCount }, msg: 'corpus updated' }]);
  });

  it('adds .txt files as well, and ignores other and hidden files', async () => {
    write('walrus.txt', article('The walrus debate in the council', 'walrus'));
    write('notes.json', 'not an article');
    write('.draft.md', article('A hidden draft about penguins', 'penguin'));
    await apply();
    expect(engine.search('walrus').total).toBe(2);
    expect(engine.search('penguin').total).toBe(0);
    expect(engine.articles.map((a) => a.id).sort()).toEqual(['korea-times-nk-russia-treaty-concerns-overblown', RFERL, 'walrus']);
    expect(logger.warns).toEqual([]);
  });

  it('adds a PDF, a Word file and a web page put in the folder, read by the same readers as /add', async () => {
    writeFileSync(join(dir, 'old-allies.pdf'), await journalPdf());
    const doc = new Document({ sections: [{ children: [new Paragraph('The walrus colony on the northern shore grew again this year, the rangers said.')] }] });
    writeFileSync(join(dir, 'rangers.docx'), await Packer.toBuffer(doc));
    write('penguins.html', '<html><body><article><p>The penguin keepers at the city zoo counted forty new chicks this spring.</p></article></body></html>');
    await apply();
    expect(engine.article('old-allies')).toMatchObject({ title: TITLE });
    expect(engine.search('walrus colony').excerpts[0]?.article.id).toBe('rangers');
    expect(engine.search('penguin chicks').excerpts[0]?.article.id).toBe('penguins');
    expect(engine.search('weaker basic treaty consultations').excerpts[0]?.paragraph).toMatchObject({ articleId: 'old-allies', page: 1, n: 3 });
    expect(logger.warns).toEqual([]);
  });

  it('serves the new text of a changed file, and not the old', async () => {
    const file = join(dir, `${RFERL}.md`);
    write(`${RFERL}.md`, readFileSync(file, 'utf8').replace('Siberian logging camps', 'Siberian walrus camps!'));
    await apply();
    expect(engine.search('walrus').excerpts[0]?.article.id).toBe(RFERL);
    expect(engine.search('logging').total).toBe(0);
    expect(engine.articles).toHaveLength(2);
  });

  it('sees an edit that keeps the size and puts the modification time back', async () => {
    const file = join(dir, `${RFERL}.md`);
    const { atime, mtime } = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('Siberian logging camps', 'Siberian walrus camps!'));
    utimesSync(file, atime, mtime);
    await apply();
    expect(engine.search('walrus').excerpts[0]?.article.id).toBe(RFERL);
  });

  it('reads again only the files whose stamp changed, and nothing when none did', async () => {
    const before = state;
    await apply();
    expect(state).toBe(before);
    expect(logger.infos).toEqual([]);
  });

  it('removes a deleted file’s article and the people only it introduced', async () => {
    expect(engine.who('Karasin').person).toBeDefined();
    unlinkSync(join(dir, `${RFERL}.md`));
    await apply();
    expect(engine.article(RFERL)).toBeUndefined();
    expect(engine.search('Karasin').total).toBe(0);
    expect(engine.who('Karasin').person).toBeUndefined();
    expect(logger.infos[0]?.fields).toMatchObject({ changed: [], removed: [`${RFERL}.md`] });
  });

  it('returns the same state and logs nothing when nothing changed', async () => {
    const before = state;
    expect(await apply()).toBe(before);
    expect(logger.infos).toEqual([]);
    expect(logger.warns).toEqual([]);
  });

  it.each([
    ['front matter that is never closed', '---\ntitle: Half saved\n'],
    ['only short lines', 'Home\nNews\nSport\n'],
    ['an empty file', ''],
    ['bytes that are not UTF-8', Buffer.from([0x54, 0x68, 0xff, 0xfe, 0x65])],
  ])('keeps the last good version of a file changed to %s, with a warning', async (_what, broken) => {
    const before = engine.article(RFERL);
    writeFileSync(join(dir, `${RFERL}.md`), broken);
    await apply();
    expect(engine.article(RFERL)).toEqual(before);
    expect(engine.search('Karasin').excerpts[0]?.article.id).toBe(RFERL);
    expect(logger.warns).toHaveLength(1);
    expect(logger.warns[0]).toContain(`kept the previous version of ${join(dir, `${RFERL}.md`)}`);
  });

  it('picks up the file again once it is fixed', async () => {
    const good = readFileSync(join(dir, `${RFERL}.md`), 'utf8');
    write(`${RFERL}.md`, '---\ntitle: Half saved\n');
    await apply();
    write(`${RFERL}.md`, good.replace('Siberian logging camps', 'Siberian walrus camps!'));
    await apply();
    expect(engine.search('walrus').excerpts[0]?.article.id).toBe(RFERL);
  });

  it('does not add a new file that cannot be read, and warns about it', async () => {
    write('broken.md', '---\ntitle: never closed\n');
    await apply();
    expect(engine.article('broken')).toBeUndefined();
    expect(logger.warns[0]).toContain('broken.md');
  });
});

describe('watchCorpus', () => {
  const DEBOUNCE = 40;
  const watching = (onChange?: (s: FolderState) => void) => {
    const stop = watchCorpus(dir, engine, state, { logger, debounceMs: DEBOUNCE, ...(onChange && { onChange }) });
    stops.push(stop);
    return stop;
  };
  const quiet = () => new Promise((resolve) => setTimeout(resolve, DEBOUNCE * 5));

  it('updates the engine when a file is added', async () => {
    watching();
    write('walrus.md', article('The walrus debate in the council', 'walrus'));
    await vi.waitFor(() => expect(engine.search('walrus').total).toBe(2), { timeout: 30_000, interval: 10 });
    expect(logger.updates()).toBe(1);
  });

  it('coalesces a burst of writes to several files into one update', async () => {
    const changes: FolderState[] = [];
    watching((s) => changes.push(s));
    for (let i = 0; i < 5; i++) write(`note-${i}.md`, article(`Council notes number ${i} of the spring`, `topic${i}`));
    write(`${RFERL}.md`, readFileSync(join(dir, `${RFERL}.md`), 'utf8').replace('Siberian logging camps', 'Siberian walrus camps!'));
    unlinkSync(join(dir, 'korea-times-nk-russia-treaty-concerns-overblown.md'));
    await vi.waitFor(() => expect(logger.updates()).toBe(1), { timeout: 30_000, interval: 10 });
    await quiet();
    expect(logger.updates()).toBe(1);
    expect(changes).toHaveLength(1);
    expect(logger.infos[0]?.fields).toMatchObject({ removed: ['korea-times-nk-russia-treaty-concerns-overblown.md'] });
    expect((logger.infos[0]?.fields as { changed: string[] }).changed.sort()).toEqual(['note-0', 'note-1', 'note-2', 'note-3', 'note-4', RFERL]);
    expect(engine.articles.map((a) => a.id)).toHaveLength(6);
    expect(engine.search('walrus').total).toBe(1);
    expect([...changes[0]!.keys()]).toHaveLength(6);
  });

  it('is not woken again by writing the cache from onChange', async () => {
    watching((next) => writeCache(dir, next, engine));
    write('walrus.md', article('The walrus debate in the council', 'walrus'));
    await vi.waitFor(() => expect(logger.updates()).toBe(1), { timeout: 30_000, interval: 10 });
    await quiet();
    expect(logger.updates()).toBe(1);
    expect((await openEngine(dir)).fromCache).toBe(true);
  });

  it('warns, and does not throw, when the folder disappears', async () => {
    watching();
    rmSync(dir, { recursive: true, force: true });
    await vi.waitFor(() => expect(logger.warns.some((w) => w.startsWith(`could not rescan ${dir}`) || w.startsWith(`stopped watching ${dir}`))).toBe(true), {
      timeout: 30_000,
      interval: 10,
    });
  });

  it('stops: no watcher or timer left running, and later writes change nothing', async () => {
    const watchers = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    // The watchers of earlier tests, stopped after each, finish closing first.
    await vi.waitFor(() => expect(watchers()).toBe(0), { timeout: 30_000, interval: 10 });
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const clearTimer = vi.spyOn(globalThis, 'clearTimeout');
    try {
      const stop = watching();
      expect(watchers()).toBe(1);
      // Stop while a rescan is pending: its timer must be cleared, and never fire.
      write('walrus.md', article('The walrus debate in the council', 'walrus'));
      const rescans = () => setTimer.mock.calls.flatMap((call, i) => (call[1] === DEBOUNCE ? [setTimer.mock.results[i]!.value as NodeJS.Timeout] : []));
      await vi.waitFor(() => expect(rescans().length).toBeGreaterThan(0), { timeout: 30_000, interval: 1 });
      const pending = rescans().at(-1);
      clearTimer.mockClear();
      stop();
      expect(clearTimer).toHaveBeenCalledWith(pending);
    } finally {
      setTimer.mockRestore();
      clearTimer.mockRestore();
    }
    await vi.waitFor(() => expect(watchers()).toBe(0), { timeout: 30_000, interval: 10 });
    write('penguin.md', article('The penguin debate in the council', 'penguin'));
    await quiet();
    expect(logger.updates()).toBe(0);
    expect(engine.search('walrus').total).toBe(0);
    expect(engine.search('penguin').total).toBe(0);
  });
});
