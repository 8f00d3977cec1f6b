// What users and folders get wrong: empty, huge, wordless or hostile queries, odd Unicode,
// unknown commands, an empty corpus and files that cannot be read. Nothing throws; every answer
// says what happened.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import type { CommandContext } from '../commands/types.js';
import { parseCommandLine } from '../src/cli/parse.js';
import { CorpusError, MAX_ARTICLE_BYTES, loadCorpus, readRegularFile } from '../src/corpus.js';
import { Engine, MAX_QUERY_LENGTH } from '../src/engine.js';
import { toDiscord } from '../src/render/discord.js';
import { toJson } from '../src/render/json.js';
import { LIMITS, type Message } from '../src/render/limits.js';
import { toTerminal } from '../src/render/terminal.js';
import type { Answer } from '../src/types.js';
import { asKind, excerptsOf } from './answers.js';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const RFERL = 'rferl-1997-russia-north-korea-weaker-basic-treaty';
const CUT_NOTICE = `Your question was long, so only its first ${MAX_QUERY_LENGTH} characters were used.`;
const isRoot = process.getuid?.() === 0;

let engine: Engine;
let empty: Engine;
const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'footnote-bad-'));
  temps.push(dir);
  return dir;
}
beforeAll(async () => {
  engine = new Engine(await loadCorpus(CORPUS));
  empty = new Engine(await loadCorpus(tempDir()));
});
afterAll(() => {
  for (const dir of temps) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});

const where = (a: Answer) => excerptsOf(a).map((e) => `${e.article.id === RFERL ? 'rferl' : 'kt'}:${e.paragraph.n}`);
const MENTION = /(?<!\\)<[@#][!&]?\d+(?<!\\)>|@everyone|@here/i;

function messageStrings(m: Message): string[] {
  return [m.content ?? '', ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])];
}

/** Renders an answer every way, checking each is whole: Discord within limits, terminal and JSON. */
function renderAll(answer: Answer): { discord: Message; terminal: string; json: string } {
  const discord = toDiscord(answer);
  const embed = discord.embeds[0]!;
  expect(embed.title!.length).toBeLessThanOrEqual(LIMITS.title);
  expect(embed.description!.length).toBeGreaterThan(0);
  expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.description);
  const terminal = toTerminal(answer);
  expect(terminal.length).toBeGreaterThan(0);
  const json = JSON.stringify(toJson(answer));
  expect(JSON.parse(json)).toMatchObject({ command: answer.command, query: answer.query });
  return { discord, terminal, json };
}

describe('an empty or wordless query', () => {
  it('asks /search for a few words when the query is empty or blank', async () => {
    for (const query of ['', '   ', '\n\t', '\u200b\u200f']) {
      const answer = engine.search(query);
      expect(answer).toMatchObject({ total: 0, excerpts: [], heading: 'Search' });
      expect(answer.notice).toMatch(/^Type a few words to look for, e\.g\. \/search /);
      renderAll(answer);
    }
  });

  it('asks /who for a name when the name is empty, punctuation or emoji', async () => {
    for (const name of ['', '?!…', '🤔🤔', '123', '   ']) {
      const answer = engine.who(name);
      expect(answer.notice).toBe('Type a name, e.g. /who Karasin.');
      expect(answer.person).toBeUndefined();
      renderAll(answer);
    }
  });

  it('says a query of only punctuation, emoji or small words has no words to look for', async () => {
    for (const query of ['?!…', '🤔🤔', '---', '"…"', 'the of and', '¶¶ §']) {
      const answer = engine.search(query);
      expect(answer.total).toBe(0);
      expect(answer.notice).toBe(`“${query}” has no words to look for: try names, places or other key words.`);
      expect(engine.treaty(query).notice).toMatch(/has no words to look for/);
      renderAll(answer);
    }
  });

  it('gives the treaty timeline for an empty /treaty', () => {
    expect(asKind(engine.treaty('  '), 'timeline').events.length).toBeGreaterThan(0);
  });
});

describe('a 10,000-character query', () => {
  it('is cut to its first words, with a notice, and still answered', async () => {
    const answer = engine.search('talks on June 16 '.repeat(600));
    expect(answer.query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect('talks on June 16 '.repeat(600).startsWith(answer.query)).toBe(true);
    expect(answer.query).toMatch(/\S$/);
    expect(answer.notice).toBe(CUT_NOTICE);
    expect(where(answer)[0]).toBe('rferl:3');
    renderAll(answer);
  });

  it('is cut at a space, not inside a word', async () => {
    const answer = engine.search('Karasin '.repeat(1300));
    expect(answer.query.split(' ').every((w) => w === 'Karasin')).toBe(true);
    expect(engine.who('Karasin '.repeat(1300))).toMatchObject({ notice: CUT_NOTICE, person: { name: 'Grigory Karasin' } });
  });

  it('of one endless word is cut too and answered with a notice, not an error', async () => {
    const answer = engine.search('x'.repeat(10_000));
    expect(answer.query).toHaveLength(MAX_QUERY_LENGTH);
    expect(answer.total).toBe(0);
    expect(answer.notice).toMatch(/^No paragraph matches/);
    const { discord } = renderAll(answer);
    expect(discord.embeds[0]!.title!.length).toBeLessThanOrEqual(LIMITS.title);
  });

  it('in every command renders within Discord’s limits', async () => {
    const long = '🤔 **@everyone** <@123> '.repeat(400);
    for (const answer of [engine.search(long), engine.who(long), engine.treaty(long)]) renderAll(answer);
  });
});

describe('markdown and mentions in the query', () => {
  const hostile = '**Karasin** @everyone <@123456789012345678> `code` ||x|| @here';

  it('are shown escaped, with no ping left intact', async () => {
    for (const answer of [engine.search(hostile), engine.who(hostile), engine.treaty(hostile), engine.search('@everyone zeppelin')]) {
      const { discord } = renderAll(answer);
      for (const s of messageStrings(discord)) expect(MENTION.test(s), s.slice(0, 80)).toBe(false);
      expect(discord.embeds[0]!.title).not.toMatch(/(?<!\\)\*\*|(?<!\\)`|(?<!\\)\|\|/);
    }
  });

  it('still find what the words ask for', async () => {
    expect(where(engine.search(hostile))).toEqual(['rferl:3', 'rferl:2']);
  });

  it('reach the notice escaped when nothing matches', async () => {
    const answer = engine.search('@everyone **zeppelin**');
    const description = toDiscord(answer).embeds[0]!.description!;
    expect(description).toContain('@\u200beveryone \\*\\*zeppelin\\*\\*');
  });
});

describe('odd Unicode in the query', () => {
  it('reads no-break spaces, tabs and newlines as spaces', async () => {
    for (const query of ['talks\u00a0on\u00a0June\u00a016', 'talks\ton\nJune 16', '\u3000talks on June 16\u2003']) {
      expect(where(engine.search(query))[0], JSON.stringify(query)).toBe('rferl:3');
    }
  });

  it('ignores zero-width characters, byte order marks and direction marks around words', async () => {
    for (const name of ['\u200bKarasin\u200b', '\ufeffKarasin', '\u200fKarasin\u200e', '\u202eKarasin\u202c', '\u0000Karasin\u0007']) {
      expect(engine.who(name).person?.name, JSON.stringify(name)).toBe('Grigory Karasin');
    }
  });

  it('finds a name with a zero-width space inside it', async () => {
    expect(where(engine.search('Kara\u200bsin'))).toEqual(['rferl:3', 'rferl:2']);
  });

  it('folds accents, precomposed or combining, and full-width letters', async () => {
    for (const name of ['Karasín', 'Karasi\u0301n', 'KARASÍN', 'Ｋａｒａｓｉｎ']) {
      expect(engine.who(name).person?.name, JSON.stringify(name)).toBe('Grigory Karasin');
      expect(where(engine.search(name)).sort(), JSON.stringify(name)).toEqual(['rferl:2', 'rferl:3']);
    }
  });

  it('finds decomposed accents in an article, and quotes them as written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nfd.md'), '---\ntitle: Accents\n---\nThe mayor, Ana Pe\u0301rez, opened the new bridge over the river on Sunday.\n');
    const nfd = new Engine(await loadCorpus(dir));
    for (const query of ['Pérez', 'Perez', 'Pe\u0301rez', 'PÉREZ']) {
      const answer = nfd.search(query);
      expect(answer.total, JSON.stringify(query)).toBe(1);
      const e = answer.excerpts[0]!;
      expect(e.text).toContain('Pe\u0301rez');
      expect(e.highlights.map(([s, end]) => e.text.slice(s, end))).toEqual(['Pe\u0301rez']);
    }
  });

  it('does not break on lone surrogates or unassigned code points', async () => {
    for (const query of ['\ud83e', 'Karasin \udd14', '\u{10ffff}\u{e0001}', '\u0301\u0301']) {
      expect(() => renderAll(engine.search(query))).not.toThrow();
      expect(() => renderAll(engine.who(query))).not.toThrow();
    }
  });
});

describe('the command-line parser', () => {
  const parse = (line: string) => parseCommandLine(line, commands);

  it('names the commands when the command is unknown', () => {
    expect(parse('/bogus talks')).toEqual({ error: 'Unknown command /bogus. Commands: /search, /who, /treaty, /quote, /cite, /check, /sources, /add, /remove, /help.' });
    expect(parse('teleport me')).toMatchObject({ error: expect.stringMatching(/^Unknown command \/teleport\./) });
  });

  it('cuts a very long unknown command name in its error', async () => {
    const result = parse(`/${'z'.repeat(5_000)}`);
    expect('error' in result && result.error.length).toBeLessThan(150);
  });

  it('asks for a command when the line is empty or only a slash', async () => {
    for (const line of ['', '   ', '/', '//', '\t']) {
      expect(parse(line)).toEqual({ error: 'Type a command, e.g. /search talks on June 16 (or /help).' });
    }
  });

  it('reads a command with or without its slash, in any case, with the text as its first option', async () => {
    expect(parse('search talks on June 16')).toMatchObject({ command: { data: { name: 'search' } }, input: { query: 'talks on June 16' } });
    expect(parse('/WHO Karasin')).toMatchObject({ command: { data: { name: 'who' } }, input: { name: 'Karasin' } });
    expect(parse('  /treaty   1961  ')).toMatchObject({ command: { data: { name: 'treaty' } }, input: { query: '1961' } });
  });

  it('reads options written "name: value"', async () => {
    expect(parse('/treaty query:1961')).toMatchObject({ input: { query: '1961' } });
    expect(parse('/who name: Karasin')).toMatchObject({ input: { name: 'Karasin' } });
  });

  it('gives a command without text no options, and the command answers with a notice', async () => {
    const ctx: CommandContext = { engine, commands };
    for (const line of ['/search', '/who', '/search query:', '/who name:']) {
      const parsed = parse(line);
      if ('error' in parsed) throw new Error(parsed.error);
      const answer = parsed.command.execute(parsed.input, ctx) as Answer;
      expect(answer.notice, line).toMatch(/^Type a/);
    }
  });

  it('keeps markdown and mentions in the text as typed, for the renderer to escape', async () => {
    expect(parse('/search @everyone **x**')).toMatchObject({ input: { query: '@everyone **x**' } });
  });
});

describe('an empty corpus', () => {
  const ctx = (): CommandContext => ({ engine: empty, commands });

  it('answers every command with a clear notice and throws nothing', async () => {
    const lines = ['/search Karasin', '/search', '/who Karasin', '/who', '/treaty', '/treaty 1961', '/sources', '/help'];
    for (const line of lines) {
      const parsed = parseCommandLine(line, commands);
      if ('error' in parsed) throw new Error(parsed.error);
      const answer = parsed.command.execute(parsed.input, ctx()) as Answer;
      expect(excerptsOf(answer), line).toEqual([]);
      expect(answer.notice ?? (answer.kind === 'help' && answer.lines.join(' ')), line).toBeTruthy();
      renderAll(answer);
    }
  });

  it('says what is missing', async () => {
    expect(empty.search('Karasin').notice).toBe('No paragraph matches “Karasin”.');
    expect(empty.who('Karasin').notice).toBe('No one called “Karasin” appears in the 0 articles.');
    expect(empty.who('Karasin').alternatives).toBeUndefined();
    expect(empty.treaty('').notice).toBe('No dated events about treaties were found in the articles.');
    expect(empty.treaty('1961').notice).toMatch(/^No paragraph about a treaty matches “1961”/);
    expect(empty.sources().notice).toBe('No articles are indexed yet.');
    expect(empty.suggestPeople('')).toEqual([]);
    expect(empty.suggestPeople('Kar')).toEqual([]);
    expect(empty.paragraphCount).toBe(0);
  });

  it('counts zero articles in /help', () => {
    const answer = asKind(commands.find((c) => c.data.name === 'help')!.execute({}, ctx()) as Answer, 'help');
    expect(answer.lines.at(-1)).toMatch(/0 articles, 0 paragraphs indexed\./);
  });
});

describe('corpus files that cannot be read', () => {
  it('skips a folder named like an article, and an invalid UTF-8 file, with a warning naming each', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x.md'));
    writeFileSync(join(dir, 'bad-bytes.md'), Buffer.from([0x54, 0x68, 0x65, 0x20, 0xff, 0xfe, 0x20, 0x65, 0x6e, 0x64, 0x2e]));
    writeFileSync(join(dir, 'ok.md'), 'A readable article with one sentence in it, long enough.');
    const corpus = await loadCorpus(dir);
    expect(corpus.articles.map((a) => a.id)).toEqual(['ok']);
    expect(corpus.warnings).toEqual([
      `skipped ${join(dir, 'bad-bytes.md')}: is not UTF-8 text`,
      `skipped ${join(dir, 'x.md')}: is a folder, not an article file`,
    ]);
    const withWarnings = new Engine(corpus);
    expect(withWarnings.warnings).toEqual(corpus.warnings);
    expect(withWarnings.search('readable article').total).toBe(1);
  });

  it('skips a named pipe without blocking, instead of waiting forever for a writer', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    writeFileSync(join(dir, 'ok.md'), 'A readable article with one sentence in it, long enough.');
    const corpus = await loadCorpus(dir);
    expect(corpus.articles.map((a) => a.id)).toEqual(['ok']);
    expect(corpus.warnings).toEqual([`skipped ${join(dir, 'pipe.md')}: is a named pipe, not an article file`]);
  });

  it('follows a link only to a regular file inside the folder', async () => {
    const dir = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.md'), 'A private note outside the corpus folder, never to be quoted.');
    writeFileSync(join(dir, 'real.md'), 'A readable article with one sentence in it, long enough.');
    symlinkSync(join(dir, 'real.md'), join(dir, 'alias.md'));
    symlinkSync(join(outside, 'secret.md'), join(dir, 'secret.md'));
    symlinkSync('/dev/zero', join(dir, 'zero.md'));
    symlinkSync(join(dir, 'missing.md'), join(dir, 'dangling.md'));
    const corpus = await loadCorpus(dir);
    expect(corpus.articles.map((a) => a.id)).toEqual(['alias', 'real']);
    expect(corpus.warnings).toEqual([
      `skipped ${join(dir, 'dangling.md')}: is a link to nothing`,
      `skipped ${join(dir, 'secret.md')}: is a link to a file outside the folder`,
      `skipped ${join(dir, 'zero.md')}: is a link to a file outside the folder`,
    ]);
  });

  it('refuses a device even inside the folder, and a file over the size limit, reading no more than the limit', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big.md'), 'x');
    truncateSync(join(dir, 'big.md'), MAX_ARTICLE_BYTES + 1);
    expect(() => readRegularFile(dir, 'big.md')).toThrow(`is ${Math.ceil((MAX_ARTICLE_BYTES + 1) / 1e6)} MB; the limit is ${MAX_ARTICLE_BYTES / 1e6} MB`);
    expect(() => readRegularFile('/dev', 'zero')).toThrow('is a device, not an article file');
    expect(() => readRegularFile('/dev', 'null')).toThrow('is a device, not an article file');
  });

  it.skipIf(isRoot)('skips a file it may not read (chmod 000) with a warning naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'locked.md'), 'A locked article with one sentence in it, long enough.');
    writeFileSync(join(dir, 'open.md'), 'An open article with one sentence in it, long enough.');
    chmodSync(join(dir, 'locked.md'), 0o000);
    const corpus = await loadCorpus(dir);
    expect(corpus.articles.map((a) => a.id)).toEqual(['open']);
    expect(corpus.warnings).toEqual([expect.stringMatching(/^skipped .*locked\.md: EACCES/)]);
  });

  it.skipIf(isRoot)('throws a CorpusError for a folder it may not read', async () => {
    const dir = tempDir();
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o000);
    await expect(loadCorpus(locked)).rejects.toThrow(CorpusError);
    await expect(loadCorpus(locked)).rejects.toThrow(/^corpus: cannot read folder .* \(EACCES\)$/);
  });

  it('reads a file with mode 000 when running as root, and skips it otherwise', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'locked.md'), 'A locked article with one sentence in it, long enough.');
    chmodSync(join(dir, 'locked.md'), 0o000);
    const corpus = await loadCorpus(dir);
    expect(corpus.articles.length + corpus.warnings.length).toBe(1);
    if (isRoot) expect(corpus.articles.map((a) => a.id)).toEqual(['locked']);
  });
});
