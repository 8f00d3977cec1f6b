/**
 * The reader pool after a kill: a warm pool starts a reader in place of the one it killed, so the
 * next document, another server's most often, does not wait seconds for one to start. Kills are
 * brought about by real files (./e2e/hostile.ts), not by reaching into the pool.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ReaderPool } from '../src/reading/pool.js';
import { slowPdf } from './e2e/hostile.js';

const ARTICLE = `---
title: "Harbour council approves the new quay"
---
The harbour council met on Tuesday and approved the new quay after a long debate about the fishing fleet.
`;

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
