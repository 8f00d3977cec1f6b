// The reader processes (src/reading/): documents read away from the bot's event loop, a reader
// that takes too long or too much memory killed and replaced, servers served in turn. The pool is
// real; the misbehaving reader is a program of the tests' own (reading/unruly-reader.ts) that
// hangs, grows or dies on demand, and the real reader (child.ts) reads a real article. A warm
// pool's kills are brought about by a real file (./e2e/hostile.ts), not by reaching into the pool.
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ReaderPool, type Document, type KillReason, type ReaderMetrics } from '../src/reading/pool.js';
import { QUAY_ARTICLE as ARTICLE } from './e2e/harness.js';
import { slowPdf } from './e2e/hostile.js';

const UNRULY = fileURLToPath(new URL('./reading/unruly-reader.ts', import.meta.url));

const doc = (file: string, text = file): Document => ({ source: { file, bytes: new TextEncoder().encode(text) }, format: 'text', overrides: {} });

/** What the pool reported: kills by reason, and the last depth of each state. */
function recorder() {
  const kills: KillReason[] = [];
  const jobs: Record<string, number> = {};
  const metrics: ReaderMetrics = {
    readerJobs: { set: ({ state }, value) => void (jobs[state] = value) },
    readerKills: { inc: ({ reason }) => void kills.push(reason) },
  };
  return { kills, jobs, metrics };
}

let pool: ReaderPool | undefined;
afterEach(() => {
  pool?.close();
  pool = undefined;
});

describe('ReaderPool', () => {
  it('reads an article in a reader process, with what the uploader said over the file, and its people', async () => {
    pool = new ReaderPool({ processes: 2 });
    const text = '---\ntitle: Harbour news\n---\n\nHarbour master Jane Doe said the port would reopen on Monday after the storm.\n';
    const read = await pool.read({ ...doc('harbour.md', text), overrides: { source: 'The Gazette' } }, 'A');
    expect(read).toMatchObject({ ok: true, article: { id: 'harbour', title: 'Harbour news', source: 'The Gazette', paragraphs: [{ n: 1, kind: 'body' }] } });
    expect(read.ok && read.facts.people.map((p) => p.name)).toContain('Jane Doe');
  });

  it('refuses a document that is not in its format with the reader’s reason', async () => {
    pool = new ReaderPool({ processes: 2 });
    expect(await pool.read({ ...doc('empty.md', ''), format: 'text' }, 'A')).toEqual({ ok: false, problem: 'has no text' });
  });

  it('stops a document past the deadline, saying so, and reads the next one in a new reader', async () => {
    const { kills, metrics } = recorder();
    pool = new ReaderPool({ program: UNRULY, processes: 2, timeoutMs: 1000, metrics });
    expect(await pool.read(doc('spin.txt'), 'A')).toEqual({ ok: false, problem: 'took more than 1 s to read, so I stopped' });
    expect(await pool.read(doc('slow-0.txt'), 'A')).toMatchObject({ ok: true, article: { id: 'slow-0.txt' } });
    expect(kills).toEqual(['time']);
  });

  it('stops a reader whose memory passes the limit, memory outside the JavaScript heap included', async () => {
    const { kills, metrics } = recorder();
    pool = new ReaderPool({ program: UNRULY, processes: 2, memoryMb: 200, timeoutMs: 60_000, metrics });
    expect(await pool.read(doc('grow.txt'), 'A')).toEqual({ ok: false, problem: 'needs more than 200 MB of memory to read, so I stopped' });
    expect(kills).toEqual(['memory']);
    expect(await pool.read(doc('slow-0.txt'), 'A')).toMatchObject({ ok: true });
  });

  it('replaces a reader that dies, and refuses only the document it was reading', async () => {
    const { kills, metrics } = recorder();
    pool = new ReaderPool({ program: UNRULY, processes: 2, metrics });
    expect(await pool.read(doc('crash.txt'), 'A')).toEqual({ ok: false, problem: 'made the reader fail, so I could not read it' });
    expect(await pool.read(doc('slow-0.txt'), 'A')).toMatchObject({ ok: true });
    expect(kills).toEqual(['crash']);
  });

  it('serves servers in turn: a server’s document is read while another server’s slow ones wait, and the waiting are told where they stand', async () => {
    const { jobs, metrics } = recorder();
    pool = new ReaderPool({ program: UNRULY, processes: 2, timeoutMs: 120_000, metrics });
    const told: Array<[string, number]> = [];
    const slow = ['a1', 'a2', 'a3'].map((name) => pool!.read(doc(`${name}-slow-100000.txt`), 'A', ({ ahead }) => told.push([name, ahead])));
    const b = await pool.read(doc('b-slow-0.txt'), 'B');
    expect(b).toMatchObject({ ok: true, article: { id: 'b-slow-0.txt' } });
    // A's first is still being read, its others wait: one reader is never enough for one server.
    expect(pool.depth).toEqual({ running: 1, queued: 2 });
    expect(jobs).toEqual({ running: 1, queued: 2 });
    expect(told.filter(([name]) => name !== 'a1')).toEqual([
      ['a2', 1],
      ['a3', 2],
    ]);
    pool.close();
    expect(await Promise.all(slow)).toEqual(Array(3).fill({ ok: false, problem: 'was not read: the bot is stopping' }));
  });
});

/** This process's reader processes, from /proc: children whose command line runs the reader. */
function readers(): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('reading/child.ts')) count++;
    } catch {
      // Gone between the listing and the read.
    }
  }
  return count;
}

describe('a warm reader pool', () => {
  const pool = new ReaderPool({ processes: 2, timeoutMs: 2000, memoryMb: 384 });

  afterAll(() => pool.close());

  it('replaces the readers it kills without waiting for a document to ask, and they read another queue’s document', async () => {
    pool.warm();
    const slow = slowPdf();
    const killed = await Promise.all(['first', 'second'].map((name) => pool.read({ source: { file: `${name}.pdf`, bytes: new Uint8Array(slow.bytes) }, format: 'PDF', overrides: {} }, name)));
    expect(killed.map((read) => (read.ok ? 'read' : read.problem))).toEqual(['took more than 2 s to read, so I stopped', 'took more than 2 s to read, so I stopped']);
    // Both readers were killed; both are started again without a document asking for them.
    for (let waited = 0; readers() < 2 && waited < 60_000; waited += 100) await sleep(100);
    expect(readers()).toBe(2);
    // And they read: a document from another queue.
    const read = await pool.read({ source: { file: 'quay.md', bytes: new TextEncoder().encode(ARTICLE) }, format: 'text', overrides: {} }, 'B');
    expect(read.ok && read.article.title).toBe('Harbour council approves the new quay');
    expect(readers()).toBe(2);
  }, 120_000);
});
