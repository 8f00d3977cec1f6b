// `npm run add -- URL|FILE` as a real child process: a Word file and a link (to a local server,
// allowed by the test-only setting) become `.md` files with front matter in the corpus folder,
// which the CLI then quotes; a link refused, and a duplicate, get one line and a non-zero exit.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBadServer, type BadServer } from './e2e/bad-server.js';
import { TITLE, journalPdf } from './pdf/journal.js';

const ROOT = join(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], extra: Record<string, string> = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const name of ['CORPUS_DIR', 'LOG_LEVEL', 'TEST_ONLY_ALLOW_LOOPBACK_LINKS']) if (!(name in extra)) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [join(ROOT, script), ...args], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const LOOPBACK = { TEST_ONLY_ALLOW_LOOPBACK_LINKS: 'true' };
let tmp: string;
let corpus: string;
let site: BadServer;
const runs: Record<string, Run> = {};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'footnote-cli-add-'));
  corpus = join(tmp, 'corpus');
  site = await startBadServer({ '/papers/old-allies.pdf': { type: 'application/pdf', body: await journalPdf() } });
  const doc = new Document({
    sections: [{ children: [new Paragraph({ text: 'Seminar notes on the alliance', heading: HeadingLevel.TITLE }), new Paragraph('The seminar read the 1961 treaty and the 2024 treaty side by side this week.')] }],
  });
  writeFileSync(join(tmp, 'Seminar Notes.docx'), await Packer.toBuffer(doc));
  mkdirSync(corpus);
  // One after the other: each reads the folder the one before wrote to.
  runs.docx = await run('src/cli/add.ts', ['--corpus', corpus, join(tmp, 'Seminar Notes.docx')]);
  runs.link = await run('src/cli/add.ts', ['--corpus', corpus, '--source', 'Journal of Northeast Asian Studies', site.url('/papers/old-allies.pdf')], LOOPBACK);
  runs.again = await run('src/cli/add.ts', ['--corpus', corpus, site.url('/papers/old-allies.pdf')], LOOPBACK);
  runs.private = await run('src/cli/add.ts', ['--corpus', corpus, site.url('/papers/old-allies.pdf')]);
  runs.sources = await run('src/cli/ask.ts', ['--corpus', corpus, '--json', '/sources']);
}, 120_000);
afterAll(async () => {
  await site.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm run add', () => {
  it('writes a Word file into the corpus folder as Markdown with front matter', () => {
    expect(runs.docx).toMatchObject({ code: 0, stderr: '' });
    expect(runs.docx!.stdout).toContain(`Added “Seminar notes on the alliance” to ${join(corpus, 'seminar-notes.md')}: 1 paragraph.`);
    expect(readFileSync(join(corpus, 'seminar-notes.md'), 'utf8')).toBe('---\ntitle: Seminar notes on the alliance\n---\nThe seminar read the 1961 treaty and the 2024 treaty side by side this week.\n');
  });

  it('fetches a PDF from a link, keeping the link, the source given and the pages', () => {
    expect(runs.link).toMatchObject({ code: 0, stderr: '' });
    const stored = readFileSync(join(corpus, 'old-allies.md'), 'utf8');
    expect(stored).toMatch(new RegExp(`^---\\ntitle: '${TITLE}'\\nsource: Journal of Northeast Asian Studies\\nauthor: Ann Example\\nurl: '?${site.url('/papers/old-allies.pdf').replace(/[.?]/g, '\\$&')}'?\\n---\\n<!-- page 1 -->\\n`));
  });

  it('refuses a text the corpus already has, and a link to this machine without the test-only setting', () => {
    expect(runs.again!.code).toBe(1);
    expect(runs.again!.stderr).toBe(`footnote: this text is already in the corpus, as “${TITLE}” (${join(corpus, 'old-allies.md')}).\n`);
    expect(runs.private!.code).toBe(1);
    expect(runs.private!.stderr).toMatch(/^footnote: Could not download the link 127\.0\.0\.1:\d+: 127\.0\.0\.1 is not a public web address\. Nothing was added\.\n$/);
    expect(readdirSync(corpus).filter((n) => n.endsWith('.md')).sort()).toEqual(['old-allies.md', 'seminar-notes.md']);
  });

  it('adds articles /sources then lists with their paragraph counts', () => {
    const sources = JSON.parse(runs.sources!.stdout) as { articles: Array<{ title: string; paragraphs: number }> };
    expect(sources.articles.map((a) => [a.title, a.paragraphs])).toEqual([
      [TITLE, 10],
      ['Seminar notes on the alliance', 1],
    ]);
  });
});
