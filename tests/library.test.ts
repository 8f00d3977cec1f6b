// Each server's own articles (`Library` over the `FileStore`): what /add accepts and how it is
// stored, what it refuses and why, file names that cannot escape the server's folder, loading and removing.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArticle } from '../src/article.js';
import { Engine } from '../src/engine.js';
import { FileStore, slugOf } from '../src/file-store.js';
import { Library, MAX_UPLOAD_BYTES, type Upload } from '../src/library.js';
import type { Article } from '../src/types.js';
import { PARAGRAPHS, TITLE, journalPdf } from './pdf/journal.js';
import { makePdf } from './pdf/make-pdf.js';

const A = '111111111111111111';
const B = '222222222222222222';
const enc = (s: string) => new TextEncoder().encode(s);

const BODY = [
  'The harbour workers voted on Tuesday to end a strike that had closed the port for eleven days.',
  'Union leaders said the new contract raised wages by six percent and limited night shifts.',
  'Shipping companies welcomed the vote and said the backlog of containers would clear within a week.',
];
const MD = `---\ntitle: Harbour strike ends after eleven days\nsource: The Port Gazette\ndate: 2021-03-09\n---\n${BODY.join('\n\n')}\n`;

const PAGE = `<!doctype html>
<html><head>
<title>Moscow and Pyongyang sign a pact | The Daily Planet</title>
<meta property="og:title" content="Moscow and Pyongyang sign a pact">
<meta property="og:site_name" content="The Daily Planet">
<meta name="author" content="Clark Kent">
<meta property="article:published_time" content="2024-06-19T10:00:00Z">
<script>window.tracker = "SCRIPT-TEXT";</script>
</head><body>
<header><div class="masthead">HEADER-TEXT The Daily Planet</div>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a> NAV-TEXT</nav></header>
<main><article>
<h1>Moscow and Pyongyang sign a pact</h1>
<p>Russian President Vladimir Putin and North Korean leader Kim Jong-un signed a comprehensive strategic partnership agreement in Pyongyang on Wednesday.</p>
<p>The agreement obliges each side to provide military assistance without delay if the other comes under armed attack, according to state media.</p>
<p>Analysts in Seoul said the pact revived commitments that had lapsed when the 1961 treaty was abrogated in 1996.</p>
</article></main>
<script>console.log("MORE-SCRIPT-TEXT")</script>
<footer><p>Copyright 2024 The Daily Planet. All rights reserved. FOOTER-TEXT</p></footer>
</body></html>`;

let dataDir: string;
let engine: Engine;
let library: Library;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-library-'));
  engine = new Engine({ dir: dataDir, articles: [], warnings: [] });
  library = libraryOver(engine);
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const folder = (guildId: string) => join(dataDir, 'guilds', guildId);
const files = (guildId: string) => (existsSync(folder(guildId)) ? readdirSync(folder(guildId)) : []);

function libraryOver(over: Engine): Library {
  return new Library(new FileStore(dataDir, over), { links: { timeoutMs: 1000 } });
}

async function added(guildId: string, upload: Upload): Promise<Article> {
  const result = await library.add(guildId, upload);
  if (!result.ok) throw new Error(`expected the upload to be added, got: ${result.reason}`);
  return result.article;
}

async function refusal(guildId: string, upload: Upload): Promise<string> {
  const result = await library.add(guildId, upload);
  if (result.ok) throw new Error(`expected a refusal, but ${result.article.id} was added`);
  return result.reason;
}

/** What a fresh start reads back from the data folder. */
async function reloaded(): Promise<{ articles: Article[]; warnings: string[] }> {
  const fresh = new Engine({ dir: dataDir, articles: [], warnings: [] });
  const warnings = await new FileStore(dataDir, fresh).open();
  return { articles: fresh.articles, warnings };
}

/** Text that makes a valid article, different for each `n`. */
const articleText = (n: number) => `The council met for the ${n}th time and approved the budget for the coming year.\n\nMembers said the vote number ${n} followed a long debate about roads and schools.\n`;

describe('adding articles', () => {
  it('adds a markdown file with its front matter, marked with the server and an id prefixed by it', async () => {
    const article = await added(A, { fileName: 'harbour-strike.md', bytes: enc(MD) });
    expect(article).toMatchObject({
      id: `${A}-harbour-strike`,
      guildId: A,
      title: 'Harbour strike ends after eleven days',
      source: 'The Port Gazette',
      date: '2021-03-09',
    });
    expect(article.paragraphs.map((p) => p.text)).toEqual(BODY);
    expect(article.paragraphs.every((p) => p.articleId === article.id)).toBe(true);
    expect(files(A)).toEqual(['harbour-strike.md']);
  });

  it('adds a plain text file, taking its first headline-like line as the title', async () => {
    const article = await added(A, { fileName: 'Notes.TXT', bytes: enc(`Harbour strike ends after eleven days\n\n${BODY.join('\n\n')}`) });
    expect(article.title).toBe('Harbour strike ends after eleven days');
    expect(article.paragraphs.map((p) => p.text)).toEqual(BODY);
  });

  it('keeps every paragraph of a text with no headline, the first one included', async () => {
    const article = await added(A, { fileName: 'plain.txt', bytes: enc(BODY.join('\n\n')) });
    expect(article.paragraphs.map((p) => p.text)).toEqual(BODY);
  });

  it('reduces an HTML page to the article text, without navigation, header, footer or scripts', async () => {
    const article = await added(A, { fileName: 'pact.html', bytes: enc(PAGE) });
    const texts = article.paragraphs.map((p) => p.text);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/^Russian President Vladimir Putin and North Korean leader Kim Jong-un signed/);
    expect(texts[2]).toMatch(/abrogated in 1996\.$/);
    const stored = readFileSync(join(folder(A), 'pact.md'), 'utf8');
    for (const chrome of ['NAV-TEXT', 'HEADER-TEXT', 'FOOTER-TEXT', 'SCRIPT-TEXT', 'Home', '<', 'tracker']) {
      expect(stored).not.toContain(chrome);
    }
  });

  it("reads the title, source, author and date from an HTML page's metadata", async () => {
    const article = await added(A, { fileName: 'pact.htm', bytes: enc(PAGE) });
    expect(article).toMatchObject({
      title: 'Moscow and Pyongyang sign a pact',
      source: 'The Daily Planet',
      author: 'Clark Kent',
      date: '2024-06-19',
    });
  });

  it("lets the uploader's title, source, date and url win over what the file says", async () => {
    const overrides = { title: 'A title I chose', source: 'My own notes', date: '1 May 2020', url: 'https://example.org/strike' };
    for (const [fileName, text] of [['strike.md', MD], ['pact.html', PAGE]] as const) {
      const article = await added(A, { fileName, bytes: enc(text), ...overrides });
      expect(article).toMatchObject({ title: 'A title I chose', source: 'My own notes', date: '2020-05-01', url: 'https://example.org/strike' });
    }
  });

  it('stores a title with quotes and backslashes exactly as typed', async () => {
    const title = 'Russia: "Weaker" treaty \\ a C:\\path and \'single\' quotes';
    const article = await added(A, { fileName: 'q.md', bytes: enc(MD), title });
    expect(article.title).toBe(title);
    expect((await reloaded()).articles.find((a) => a.id === article.id)?.title).toBe(title);
  });

  it('accepts a file of exactly 1 MB and a UTF-8 byte order mark', async () => {
    const filler = `${'word '.repeat(100).trim()}.\n\n`;
    const text = `\ufeff${MD}\n`;
    const padding = MAX_UPLOAD_BYTES - enc(text).byteLength;
    const big = enc(text + filler.repeat(Math.floor(padding / filler.length)));
    const bytes = new Uint8Array(MAX_UPLOAD_BYTES).fill(0x20);
    bytes.set(big);
    expect(bytes.byteLength).toBe(MAX_UPLOAD_BYTES);
    expect((await added(A, { fileName: 'big.md', bytes })).title).toBe('Harbour strike ends after eleven days');
  });
});

describe('adding PDFs and Word documents', () => {
  it('stores a PDF as Markdown that reads back with its pages and footnotes, after a restart too', async () => {
    const article = await added(A, { fileName: 'Journal Article.pdf', bytes: await journalPdf() });
    expect(article).toMatchObject({ id: `${A}-journal-article`, guildId: A, title: TITLE });
    expect(article.paragraphs.filter((p) => p.kind === 'body').map((p) => p.text)).toEqual(PARAGRAPHS);
    expect(files(A)).toEqual(['journal-article.md']);
    const stored = readFileSync(join(folder(A), 'journal-article.md'), 'utf8');
    expect(stored).toContain('<!-- page 2 -->');
    expect(stored).toContain('[^1]: Treaty of Friendship');
    const { articles } = await reloaded();
    expect(articles).toEqual([article]);
    expect(engine.search('weaker basic treaty', { scope: A }).excerpts[0]?.paragraph).toMatchObject({ articleId: article.id, page: 1 });
  });

  it('says why a scanned PDF or a damaged Word file cannot be added, and stores nothing', async () => {
    expect(await refusal(A, { fileName: 'scan.pdf', bytes: await makePdf({ pages: [{ lines: [] }] }) })).toBe('“scan.pdf” has no text to quote: it looks like a scanned PDF, pictures of pages without a text layer.');
    expect(await refusal(A, { fileName: 'notes.docx', bytes: enc('plain text saved as .docx') })).toBe('“notes.docx” is not a Word document (.docx): it is not even a zip file.');
    expect(files(A)).toEqual([]);
  });
});

describe('refusing uploads, with a reason', () => {
  it.each(['slides.pptx', 'setup.exe', 'README', 'archive.md.zip', 'page.html.exe'])('refuses the wrong file type %s', async (fileName) => {
    expect(await refusal(A, { fileName, bytes: enc(MD) })).toBe(`Only .txt, .md, .html, .htm, .pdf, .docx files can be added; “${fileName}” is not one.`);
    expect(files(A)).toEqual([]);
  });

  it('refuses a file over 1 MB, saying how big it is', async () => {
    const bytes = new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(0x61);
    expect(await refusal(A, { fileName: 'huge.md', bytes })).toMatch(/is 1001 KB; the limit is 1 MB/);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const bytes = new Uint8Array([...enc('The harbour workers voted '), 0xff, 0xfe, 0xc3, 0x28, ...enc(' to end the strike.')]);
    expect(await refusal(A, { fileName: 'latin1.txt', bytes })).toMatch(/is not UTF-8 text/);
  });

  it.each(['yesterday', '2024-13-45', '2023-02-30', '1997-06-20 or so', '31 April 2001'])('refuses the date %s, which is not a real date, instead of keeping its year', async (date) => {
    expect(await refusal(A, { fileName: 'a.md', bytes: enc(MD), date })).toBe(`“${date}” is not a date I can read; write it like 1997-06-20.`);
    expect(files(A)).toEqual([]);
  });

  it.each([['1997-06-20', '1997-06-20'], ['20 June 1997', '1997-06-20'], ['Sept. 13, 2023', '2023-09-13'], ['June 1997', '1997-06'], ['2024-02-29', '2024-02-29'], ['1961', '1961']])(
    'keeps the date %s as %s',
    async (date, iso) => {
      expect((await added(A, { fileName: 'a.md', bytes: enc(MD), date })).date).toBe(iso);
    },
  );

  it.each(['javascript:alert(1)', 'ftp://example.org/x', 'example.org', 'https://exa mple.org'])('refuses the address %s', async (url) => {
    expect(await refusal(A, { fileName: 'a.md', bytes: enc(MD), url })).toMatch(/is not a web address \(http:\/\/ or https:\/\/\)/);
  });

  it('refuses a file that yields no paragraphs, only short lines', async () => {
    expect(await refusal(A, { fileName: 'menu.txt', bytes: enc('Home\nNews\nSport\n\nAbout us\nContact') })).toBe('“menu.txt” has no paragraphs (only headings or short lines).');
    expect(await refusal(A, { fileName: 'empty.md', bytes: enc('') })).toBe('“empty.md” has no text.');
    expect(await refusal(A, { fileName: 'nav.html', bytes: enc('<html><body><nav><a href="/">Home</a></nav></body></html>') })).toBe('“nav.html” has no article in it that I could find (only navigation, or no text).');
    expect(files(A)).toEqual([]);
  });

  it('refuses a text already visible to the server, naming the article it duplicates', async () => {
    const first = await added(A, { fileName: 'harbour.md', bytes: enc(MD) });
    // Same paragraphs, other metadata and another file name: still the same text.
    const again = enc(`Another headline for the same story\n\n${BODY.join('\n\n')}`);
    expect(first.guildId).toBe(A);
    expect(await refusal(A, { fileName: 'copy.txt', bytes: again })).toBe('This text is already here, as “Harbour strike ends after eleven days”.');
    expect(files(A)).toEqual(['harbour.md']);
  });

  it('finds a duplicate among thousands of articles without reading them', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => parseArticle(`a${i}.md`, articleText(i)));
    const crowded = new Engine({ dir: dataDir, articles: many, warnings: [] });
    // Reading an article's text would throw: only the hashes may be looked at.
    for (const a of many) Object.defineProperty(a, 'paragraphs', { get: () => { throw new Error('read the text of every article'); } });
    const result = await libraryOver(crowded).add(A, { fileName: 'again.txt', bytes: enc(articleText(1234)) });
    expect(result).toEqual({ ok: false, reason: 'This text is already here, as “The council met for the 1234th time and approved the budget for the coming year.”.' });
  });

  it('adds the same text to another server, which cannot see the first copy', async () => {
    await added(A, { fileName: 'harbour.md', bytes: enc(MD) });
    expect((await added(B, { fileName: 'harbour.md', bytes: enc(MD) })).id).toBe(`${B}-harbour`);
  });

  it('rejects a server id that is not a Discord snowflake', async () => {
    for (const guildId of ['../x', '12', 'abc', '', `${A}/../${B}`, '1'.repeat(21)]) {
      await expect(library.add(guildId, { fileName: 'a.md', bytes: enc(MD) })).rejects.toThrow(/^file-store: not a server id/);
    }
    expect(existsSync(join(dataDir, 'guilds'))).toBe(false);
  });
});

describe('file names', () => {
  const hostile = ['../../etc/passwd.md', '..\\..\\x.md', '/abs/path.md', 'C:\\Windows\\win.md', 'a\u0000b.md', 'Ünïcödé Ñame.md', 'Привет мир.md', '.md', '....md', '-.md', ' .txt', '.hidden.md', 'CON.md', '%2e%2e%2fx.md'];

  it.each(hostile)('stores %j as a safe slug inside the server folder', async (fileName) => {
    const article = await added(A, { fileName, bytes: enc(MD) });
    const [name, ...more] = files(A);
    expect(more).toEqual([]);
    expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.md$/);
    expect(resolve(article.file)).toBe(resolve(folder(A), name!));
    expect(relative(folder(A), article.file).includes(sep)).toBe(false);
    expect(article.id).toBe(`${A}-${name!.slice(0, -3)}`);
    expect(await library.remove(A, article.id)).toMatchObject({ id: article.id });
  });

  it('names unicode files by their letters without accents', async () => {
    expect(slugOf('Ünïcödé Ñame.md')).toBe('unicode-name');
    expect(slugOf('../../etc/passwd.md')).toBe('passwd');
    expect(slugOf('..\\..\\x.md')).toBe('x');
    expect(slugOf('Привет.md')).toBe('article');
  });

  // Characters that matter to a slug: separators, dots, dashes, accents, other scripts, emoji, NUL.
  const fileNames = fc.string({
    unit: fc.oneof(fc.constantFrom('.', '/', '\\', '-', ' ', '\u0000', 'é', '\u0301', 'Ж', '😀', 'ß', 'ﬁ', '_', '~'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })),
    maxLength: 120,
  });

  it('makes every file name a slug of at most 50 characters that does not end in a dash', async () => {
    fc.assert(
      fc.property(fileNames, (name) => {
        const slug = slugOf(name);
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(50);
      }),
    );
  });

  it('gives two uploads with the same name distinct files', async () => {
    const first = await added(A, { fileName: 'notes.md', bytes: enc(articleText(1)) });
    const second = await added(A, { fileName: 'notes.md', bytes: enc(articleText(2)) });
    const third = await added(A, { fileName: 'NOTES.txt', bytes: enc(articleText(3)) });
    expect([first.id, second.id, third.id]).toEqual([`${A}-notes`, `${A}-notes-2`, `${A}-notes-3`]);
    expect(files(A).sort()).toEqual(['notes-2.md', 'notes-3.md', 'notes.md']);
    expect(readFileSync(first.file, 'utf8')).toContain('1th time');
    expect(readFileSync(second.file, 'utf8')).toContain('2th time');
  });

  it('can remove an article whose long name got a number, or was cut at a dash', async () => {
    const long = `${'x'.repeat(50)}.md`;
    const cut = `${'a'.repeat(49)} and more.md`;
    const ids: string[] = [];
    for (const [i, fileName] of [long, long, cut].entries()) ids.push((await added(A, { fileName, bytes: enc(articleText(i)) })).id);
    expect(ids[1]).toBe(`${A}-${'x'.repeat(50)}-2`);
    expect(ids[2]).toBe(`${A}-${'a'.repeat(49)}`);
    for (const id of ids) expect(await library.remove(A, id)).toMatchObject({ id });
    expect(files(A)).toEqual([]);
  });
});

describe('storage', () => {
  it('writes atomically: no temporary file is left, and the file parses as the article returned', async () => {
    const article = await added(A, { fileName: 'pact.html', bytes: enc(PAGE) });
    expect(files(A)).toEqual(['pact.md']);
    const reread = parseArticle(article.file, readFileSync(article.file, 'utf8'));
    expect(reread.title).toBe(article.title);
    expect(reread.paragraphs.map((p) => p.text)).toEqual(article.paragraphs.map((p) => p.text));
  });

  it("loads every server's articles, each marked with its server and an id prefixed by it", async () => {
    await added(A, { fileName: 'strike.md', bytes: enc(MD) });
    await added(A, { fileName: 'council.txt', bytes: enc(articleText(1)) });
    await added(B, { fileName: 'strike.md', bytes: enc(MD) });
    const { articles, warnings } = await reloaded();
    expect(warnings).toEqual([]);
    expect(articles.map((a) => [a.guildId, a.id]).sort()).toEqual(
      [[A, `${A}-council`], [A, `${A}-strike`], [B, `${B}-strike`]],
    );
    for (const a of articles) expect(a.paragraphs.every((p) => p.articleId === a.id)).toBe(true);
  });

  it('loads nothing from an empty data folder, skips folders that are not server ids and warns about broken files', async () => {
    expect(await reloaded()).toEqual({ articles: [], warnings: [] });
    mkdirSync(join(dataDir, 'guilds', 'not-a-server'), { recursive: true });
    writeFileSync(join(dataDir, 'guilds', 'not-a-server', 'x.md'), MD);
    mkdirSync(folder(A), { recursive: true });
    writeFileSync(join(folder(A), 'broken.md'), '---\ntitle: never closed\n');
    const { articles, warnings } = await reloaded();
    expect(articles).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('broken.md');
  });
});

describe('a write that fails', () => {
  it('says the disk is full, adds nothing and leaves no temporary file', async () => {
    mkdirSync(folder(A), { recursive: true });
    // Writing to /dev/full fails with ENOSPC, as a full disk does; the temporary file is a link to it.
    const name = `.harbour.md.${process.pid}.tmp`;
    symlinkSync('/dev/full', join(folder(A), name));
    const result = await library.add(A, { fileName: 'harbour.md', bytes: enc(MD) });
    expect(result).toEqual({ ok: false, reason: 'The article could not be saved: the bot’s disk is full. Nothing was added; please tell the bot’s operator.' });
    expect(files(A)).toEqual([]);
  });

  it('says what went wrong when the server folder cannot be made', async () => {
    mkdirSync(join(dataDir, 'guilds'), { recursive: true });
    writeFileSync(folder(A), 'a file where the server folder should be');
    expect(await library.add(A, { fileName: 'harbour.md', bytes: enc(MD) })).toEqual({
      ok: false,
      reason: 'The article could not be saved (EEXIST). Nothing was added; please try again later.',
    });
  });

  it('leaves nothing behind that survives a restart: loading removes unfinished temporary files', async () => {
    await added(A, { fileName: 'strike.md', bytes: enc(MD) });
    writeFileSync(join(folder(A), '.council.md.4242.tmp'), 'half an article');
    const { articles, warnings } = await reloaded();
    expect([articles.map((a) => a.id), warnings]).toEqual([[`${A}-strike`], []]);
    expect(files(A)).toEqual(['strike.md']);
  });
});

describe('removing articles', () => {
  it("deletes only that server's file, and the article from the engine", async () => {
    const a = await added(A, { fileName: 'strike.md', bytes: enc(MD) });
    const b = await added(B, { fileName: 'strike.md', bytes: enc(MD) });
    expect(await library.remove(A, a.id)).toMatchObject({ id: a.id, title: a.title });
    expect(files(A)).toEqual([]);
    expect(files(B)).toEqual(['strike.md']);
    expect(engine.article(a.id)).toBeUndefined();
    expect((await reloaded()).articles.map((x) => x.id)).toEqual([b.id]);
    expect(await library.remove(A, a.id)).toBeUndefined();
  });

  it("refuses another server's article id", async () => {
    const b = await added(B, { fileName: 'strike.md', bytes: enc(MD) });
    expect(await library.remove(A, b.id)).toBeUndefined();
    expect(await library.remove(A, `${A}-strike`)).toBeUndefined();
    expect(files(B)).toEqual(['strike.md']);
  });

  it('refuses crafted ids that would reach outside the server folder', async () => {
    await added(A, { fileName: 'strike.md', bytes: enc(MD) });
    await added(B, { fileName: 'strike.md', bytes: enc(MD) });
    writeFileSync(join(dataDir, 'secret.md'), 'secret');
    for (const id of [
      `${A}-../${B}/strike`,
      `${A}-..\\${B}\\strike`,
      `${A}-../../secret`,
      `${A}-/etc/passwd`,
      `${A}-strike.md`,
      `${A}-.strike`,
      `${A}-`,
      `${A}-strike\u0000`,
      'strike',
      `../${A}-strike`,
    ]) {
      expect(await library.remove(A, id), id).toBeUndefined();
    }
    expect(await library.remove('../..', 'x')).toBeUndefined();
    expect(files(A)).toEqual(['strike.md']);
    expect(files(B)).toEqual(['strike.md']);
    expect(existsSync(join(dataDir, 'secret.md'))).toBe(true);
  });
});
