// The terminal adapter (`npm run ask`, `npm run add`) and `npm start`, run as real child processes
// (tsx, as npm runs them). The processes start in beforeAll; the tests read their output.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { completeCommand, promptLine } from '../src/cli/parse.js';
import { startBadServer, type BadServer } from './e2e/bad-server.js';
import { runScript, type Run } from './e2e/processes.js';
import { TITLE, journalPdf } from './pdf/journal.js';

const ROOT = join(import.meta.dirname, '..');
const ASK = join(ROOT, 'src', 'cli', 'ask.ts');
const ADD = join(ROOT, 'src', 'cli', 'add.ts');
const BOT = join(ROOT, 'src', 'bot', 'main.ts');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'articles');


/** The environment without anything of ours a developer may have set (runs are in a folder without .env). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['CORPUS_DIR', 'LOG_LEVEL', 'DISCORD_GUILD_ID', 'DISCORD_APPLICATION_ID', 'DISCORD_API_URL', 'FORCE_COLOR', 'TEST_ONLY_ALLOW_LOOPBACK_LINKS']) delete env[name];
  return { ...env, ...extra };
}

function run(script: string, args: string[], { input, cwd = tmp, env = cleanEnv() }: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return runScript(script, args, { input, cwd, env });
}

let tmp: string;
const STDIN_COMMANDS = ['/who Karasin', '', '/bogus talks', '/search talks on June 16', '   ', 'treaty 1961', '/sources', '/treaty', '/help', '/search zeppelin'];

let runs: Record<string, Run>;
beforeAll(async () => {
  // The runs' working folder (no .env in it), and another corpus: the fixture articles and a
  // broken file, copied so no index cache lands in tests/.
  tmp = mkdtempSync(join(tmpdir(), 'footnote-cli-'));
  const other = join(tmp, 'other-corpus');
  mkdirSync(other);
  for (const name of ['harbour-strike.md', 'river-festival.txt']) copyFileSync(join(FIXTURES, name), join(other, name));
  writeFileSync(join(other, 'unclosed.md'), '---\ntitle: Never closed\nThe body never starts.\n');

  // Started together: each is a Node process loading discord.js, so they take a moment.
  const entries = await Promise.all(
    Object.entries({
      json: () => run(ASK, ['--json'], { input: `${STDIN_COMMANDS.join('\n')}\n` }),
      other: () => run(ASK, ['--json', '--corpus', other], { input: '/sources\n/search dockworkers pay rise\n/who Maria Okafor\n' }),
      crlf: () => run(ASK, ['--json'], { input: '/search talks on\rJune 16\r\n/who Karasin\r\n\r\n/search treaty 1961' }),
      who: () => run(ASK, ['/who Karasin']),
      check: () => run(ASK, ['/check Karasin said the talks began on June 16. 👍 https://x.example']),
      cite: () => run(ASK, ['--json', '/cite article:Russia Moscow style:chicago paragraph:3']),
      missing: () => run(ASK, ['--corpus', join(tmp, 'nowhere'), '/sources']),
      bot: () => run(BOT, [], { env: cleanEnv({ DISCORD_TOKEN: '' }) }),
    }).map(async ([name, start]) => [name, await start()] as const),
  );
  runs = Object.fromEntries(entries);
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const jsonLines = (r: Run) => r.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('npm run ask -- "/check …" and "/cite …"', () => {
  it('checks a message as Find sources does, claim by claim', () => {
    expect(runs.check!.code).toBe(0);
    expect(runs.check!.stdout).toMatch(/^Find sources\n1 claim\n\n1\. “Karasin said the talks began on June 16\.”\n {2}“Karasin and his North Korean counterpart/);
  });

  it('cites an article in the style asked for, with the paragraph as locator', () => {
    expect(jsonLines(runs.cite!)).toEqual([
      {
        kind: 'citation',
        command: 'cite',
        query: 'rferl-1997-russia-north-korea-weaker-basic-treaty ¶3',
        results: [],
        article: 'rferl-1997-russia-north-korea-weaker-basic-treaty',
        style: 'Chicago 17th edition (author-date)',
        reference: 'RFE/RL. 1997. “Russia: Moscow And North Korea To Sign Weaker Basic Treaty,” June 20, 1997.',
        inText: '(RFE/RL 1997, para. 3)',
      },
    ]);
  });
});

describe('npm run ask -- --json', () => {
  it('writes exactly one JSON line per input line, in order, blank lines included', () => {
    const lines = jsonLines(runs.json!);
    expect(lines).toHaveLength(STDIN_COMMANDS.length);
    expect(runs.json!.stdout.endsWith('\n')).toBe(true);
    expect(lines.map((l) => l.command ?? 'error')).toEqual(['who', 'error', 'error', 'search', 'error', 'treaty', 'sources', 'treaty', 'help', 'search']);
    expect(lines.map((l) => l.query ?? null)).toEqual(['Karasin', null, null, 'talks on June 16', null, '1961', '', '', '', 'zeppelin']);
    expect(runs.json!.code).toBe(0);
  });

  it('answers an unknown command or a blank line with {"error": …} and goes on', () => {
    expect(jsonLines(runs.json!)[1]).toEqual({ error: 'Type a command, e.g. /search talks on June 16 (or /help).' });
    expect(jsonLines(runs.json!)[2]).toEqual({ error: 'Unknown command /bogus. Commands: /search, /who, /treaty, /quote, /cite, /check, /sources, /add, /remove, /help.' });
  });

  it('keeps a line with a carriage return inside it one line, and reads CRLF endings', () => {
    const lines = jsonLines(runs.crlf!);
    expect(lines.map((l) => [l.command ?? 'error', l.query ?? null])).toEqual([
      ['search', 'talks on June 16'],
      ['who', 'Karasin'],
      ['error', null],
      ['search', 'treaty 1961'],
    ]);
  });

  it('gives each result its text, article, title, source, date, paragraph, score and excerpt', () => {
    const search = jsonLines(runs.json!)[3]!;
    const results = search.results as Array<Record<string, unknown>>;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['text', 'article', 'title', 'source', 'date', 'paragraph', 'score', 'excerpt']));
      expect(typeof r.text).toBe('string');
      expect(typeof r.paragraph).toBe('number');
      expect(typeof r.score).toBe('number');
      expect(r.text as string).toContain((r.excerpt as string).replace(/^… |…$| …$/g, '').split(' … ')[0]);
    }
    expect(results[0]).toMatchObject({
      article: 'rferl-1997-russia-north-korea-weaker-basic-treaty',
      title: 'Russia: Moscow And North Korea To Sign Weaker Basic Treaty',
      source: 'RFE/RL',
      date: '1997-06-20',
      paragraph: 3,
    });
    expect(search.total).toBe(results.length);
  });

  it('gives /who its person: name, role and articles', () => {
    const who = jsonLines(runs.json!)[0]!;
    expect(who.person).toMatchObject({
      name: 'Grigory Karasin',
      role: 'Russian Deputy Foreign Minister',
      articles: ['rferl-1997-russia-north-korea-weaker-basic-treaty'],
    });
    expect((who.results as Array<{ paragraph: number }>).map((r) => r.paragraph)).toEqual([2, 3]);
  });

  it('gives /treaty 1961 both 1961 paragraphs first, and /treaty the timeline', () => {
    const [, , , , , treaty1961, , timeline] = jsonLines(runs.json!);
    const top2 = (treaty1961!.results as Array<{ article: string; paragraph: number }>).slice(0, 2).map((r) => `${r.article.slice(0, 5)}:${r.paragraph}`);
    expect(top2.sort()).toEqual(['korea:3', 'rferl:2']);
    const events = timeline!.events as Array<{ when: string }>;
    expect(events[0]!.when).toBe('1961');
    expect(events.map((e) => e.when)).toEqual([...events.map((e) => e.when)].sort());
  });

  it('gives /sources the articles and a notice when nothing matches', () => {
    const lines = jsonLines(runs.json!);
    expect((lines[6]!.articles as unknown[]).length).toBe(2);
    expect(lines[9]!).toMatchObject({ results: [], total: 0, notice: 'No paragraph matches “zeppelin”.' });
  });

  it('writes nothing but JSON to stdout, and logs nothing on a clean corpus', () => {
    expect(runs.json!.stdout.split('\n').filter(Boolean).every((l) => l.startsWith('{'))).toBe(true);
    expect(runs.json!.stderr).not.toMatch(/footnote:|Error/);
  });

  it('indexes another folder with --corpus DIR', () => {
    const r = runs.other!;
    const [sources, search, who] = jsonLines(r);
    expect((sources!.articles as Array<{ id: string }>).map((a) => a.id)).toEqual(['harbour-strike', 'river-festival']);
    expect((search!.results as Array<{ article: string; paragraph: number }>)[0]).toMatchObject({ article: 'harbour-strike', paragraph: 3 });
    expect(who!.person).toMatchObject({ name: 'Maria Okafor', articles: ['harbour-strike'] });
    expect(r.code).toBe(0);
  });

  it('writes the warning about a skipped file to stderr only', () => {
    const r = runs.other!;
    expect(jsonLines(r)).toHaveLength(3);
    expect(r.stderr).toMatch(/skipped .*unclosed\.md: front matter opened with .*---.* is never closed/);
    expect(r.stdout).not.toContain('unclosed');
  });
});

describe('npm run ask -- "/command"', () => {
  it('prints /who Karasin as readable text with the citation', () => {
    const r = runs.who!;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Grigory Karasin');
    expect(r.stdout).toContain('Russian Deputy Foreign Minister');
    expect(r.stdout).toContain('— Russia: Moscow And North Korea To Sign Weaker Basic Treaty · RFE/RL · 20 June 1997 · ¶2');
    expect(r.stdout).toMatch(/“… Prior to the talks Russian Deputy Foreign Minister Grigory Karasin said/);
    expect(r.stdout).not.toContain('\x1b[');
    expect(() => JSON.parse(r.stdout)).toThrow();
  });

  it('exits 2 with one line, no stack trace, when the corpus folder is missing', () => {
    const r = runs.missing!;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^footnote: corpus: folder not found: .*nowhere$/);
  });
});

describe('npm start without a token', () => {
  it('exits non-zero with one line naming DISCORD_TOKEN and npm run ask, and no stack trace', () => {
    const r = runs.bot!;
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^footnote: config: DISCORD_TOKEN is not set\./);
    expect(lines[0]).toContain('npm run ask');
    expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
  });
});

describe('the interactive prompt', () => {
  it('takes text without a slash as a /search, and a command as typed', () => {
    expect(promptLine('who signed the treaty in 1961?')).toBe('/search who signed the treaty in 1961?');
    expect(promptLine('treaty 1961')).toBe('/search treaty 1961');
    expect(promptLine('/who Karasin')).toBe('/who Karasin');
    expect(promptLine('  /treaty 1961')).toBe('  /treaty 1961');
  });

  it('completes command names on Tab, and nothing else', () => {
    expect(completeCommand('/wh', commands)).toEqual([['/who '], '/wh']);
    expect(completeCommand('/S', commands)[0]).toEqual(['/search ', '/sources ']);
    expect(completeCommand('/', commands)[0]).toHaveLength(commands.length);
    expect(completeCommand('/zz', commands)).toEqual([[], '/zz']);
    expect(completeCommand('/who Kar', commands)).toEqual([[], '/who Kar']);
    expect(completeCommand('treaty', commands)).toEqual([[], 'treaty']);
  });
});

const LOOPBACK = { TEST_ONLY_ALLOW_LOOPBACK_LINKS: 'true' };
let corpus: string;
let site: BadServer;
const added: Record<string, Run> = {};

describe('npm run add', () => {
  beforeAll(async () => {
    corpus = join(tmp, 'corpus');
    site = await startBadServer({ '/papers/old-allies.pdf': { type: 'application/pdf', body: await journalPdf() } });
    const doc = new Document({
      sections: [{ children: [new Paragraph({ text: 'Seminar notes on the alliance', heading: HeadingLevel.TITLE }), new Paragraph('The seminar read the 1961 treaty and the 2024 treaty side by side this week.')] }],
    });
    writeFileSync(join(tmp, 'Seminar Notes.docx'), await Packer.toBuffer(doc));
    mkdirSync(corpus);
    // One after the other: each reads the folder the one before wrote to.
    added.docx = await run(ADD, ['--corpus', corpus, join(tmp, 'Seminar Notes.docx')]);
    added.link = await run(ADD, ['--corpus', corpus, '--source', 'Journal of Northeast Asian Studies', site.url('/papers/old-allies.pdf')], { env: cleanEnv(LOOPBACK) });
    added.again = await run(ADD, ['--corpus', corpus, site.url('/papers/old-allies.pdf')], { env: cleanEnv(LOOPBACK) });
    added.private = await run(ADD, ['--corpus', corpus, site.url('/papers/old-allies.pdf')]);
    added.sources = await run(ASK, ['--corpus', corpus, '--json', '/sources']);
  });
  afterAll(() => site.stop());

  it('writes a Word file into the corpus folder as Markdown with front matter', () => {
    expect(added.docx).toMatchObject({ code: 0, stderr: '' });
    expect(added.docx!.stdout).toContain(`Added “Seminar notes on the alliance” to ${join(corpus, 'seminar-notes.md')}: 1 paragraph.`);
    expect(readFileSync(join(corpus, 'seminar-notes.md'), 'utf8')).toBe('---\ntitle: Seminar notes on the alliance\n---\nThe seminar read the 1961 treaty and the 2024 treaty side by side this week.\n');
  });

  it('fetches a PDF from a link, keeping the link, the source given and the pages', () => {
    expect(added.link).toMatchObject({ code: 0, stderr: '' });
    const stored = readFileSync(join(corpus, 'old-allies.md'), 'utf8');
    expect(stored).toMatch(new RegExp(`^---\\ntitle: '${TITLE}'\\nsource: Journal of Northeast Asian Studies\\nauthor: Ann Example\\nurl: '?${site.url('/papers/old-allies.pdf').replace(/[.?]/g, '\\$&')}'?\\n---\\n<!-- page 1 -->\\n`));
  });

  it('refuses a text the corpus already has, and a link to this machine without the test-only setting', () => {
    expect(added.again!.code).toBe(1);
    expect(added.again!.stderr).toBe(`footnote: this text is already in the corpus, as “${TITLE}” (${join(corpus, 'old-allies.md')}).\n`);
    expect(added.private!.code).toBe(1);
    expect(added.private!.stderr).toMatch(/^footnote: Could not download the link 127\.0\.0\.1:\d+: 127\.0\.0\.1 is not a public web address\. Nothing was added\.\n$/);
    expect(readdirSync(corpus).filter((n) => n.endsWith('.md')).sort()).toEqual(['old-allies.md', 'seminar-notes.md']);
  });

  it('adds articles /sources then lists with their paragraph counts', () => {
    const sources = JSON.parse(added.sources!.stdout) as { articles: Array<{ title: string; paragraphs: number }> };
    expect(sources.articles.map((a) => [a.title, a.paragraphs])).toEqual([
      [TITLE, 10],
      ['Seminar notes on the alliance', 1],
    ]);
  });
});
