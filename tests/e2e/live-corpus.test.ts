/**
 * The live corpus, through the real bot: an article written into the corpus folder while the bot runs is
 * answered from within moments, without a restart, and the persisted index is brought up to date when the bot
 * stops (not while it answers), so the next start loads it instead of rebuilding.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openEngine } from '../../src/cache.js';
import { DEFAULT_CORPUS_DIR } from '../../src/config.js';
import { isArticleFile } from '../../src/corpus.js';
import { ask, startFootnote, type Footnote } from './harness.js';

const ARTICLE = `---
title: Ferry talks resume across the strait
source: The Harbour Gazette
date: 2024-03-02
---
Negotiators from both ports resumed the ferry talks on Monday and agreed on a winter timetable for the lighthouse route.
`;

let corpus: string;
let footnote: Footnote | undefined;

afterEach(async () => {
  await footnote?.stop();
  footnote = undefined;
  rmSync(corpus, { recursive: true, force: true });
});

describe('a corpus folder that changes while the bot runs', () => {
  it('answers from an article added to the folder, and leaves a current index cache behind when it stops', async () => {
    corpus = mkdtempSync(join(tmpdir(), 'footnote-live-'));
    cpSync(DEFAULT_CORPUS_DIR, corpus, { recursive: true, filter: (src) => src === DEFAULT_CORPUS_DIR || isArticleFile(src.split('/').pop()!) });
    footnote = await startFootnote({ env: { CORPUS_DIR: corpus } });
    expect((await ask(footnote.fake, 'search', { query: 'ferry timetable' })).reply.quotes).toEqual([]);

    writeFileSync(join(corpus, 'ferry-talks.md'), ARTICLE);
    await vi.waitFor(() => expect(footnote!.bot.engine.search('ferry timetable').total).toBe(1), { timeout: 30_000, interval: 50 });
    const answered = await ask(footnote.fake, 'search', { query: 'ferry timetable' });
    expect(answered.reply.quotes.map((q) => q.title)).toEqual(['Ferry talks resume across the strait']);

    await footnote.stop();
    footnote = undefined;
    const reopened = await openEngine(corpus);
    expect(reopened.fromCache).toBe(true);
    expect(reopened.engine.search('ferry timetable').total).toBe(1);
  });
});
