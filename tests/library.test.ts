// Each server's own articles (`Library` over the `ServerStore`, in the embedded database): what
// /add accepts and how it is stored, what it refuses and why, names that cannot reach another
// server's articles, reading back after a restart, importing the files of the store before the
// database, and removing.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseArticle, toMarkdown } from '../src/article.js';
import type { Database } from '../src/database.js';
import { Engine } from '../src/engine.js';
import { Library, MAX_UPLOAD_BYTES, type Upload } from '../src/library.js';
import { slugOf, type ServerStore, type ServerStoreOptions } from '../src/server-store.js';
import type { Article } from '../src/types.js';
import { storeOn, testStore, type TestStore } from './store.js';
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

let stores: TestStore;
let library: Library;
const shared = new Engine({ dir: '.', articles: [], warnings: [] });
beforeAll(async () => {
  stores = await testStore(shared);
});
/** The stores a test made beside the library's: closed before the next test, so none saves into it. */
const opened: ServerStore[] = [];
beforeEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  await stores.reset();
  library = stores.library;
});
afterAll(() => stores.close());

/** A store like the bot's over the test database, with other options. */
function storeOver(options: Partial<ServerStoreOptions> = {}, db: Database = stores.db): ServerStore {
  const store = storeOn(db, shared, { dataDir: stores.dataDir, ...options });
  opened.push(store);
  return store;
}
/** The names a server's articles are stored under: their ids without the server's prefix. */
const files = async (guildId: string) => (await stores.store.list(guildId)).map((a) => a.id.slice(guildId.length + 1)).sort();
const row = async (guildId: string, slug: string) =>
  (await stores.db.query<{ article: Article }>('select article from articles where guild_id = $1 and slug = $2', [guildId, slug]))[0]?.article;

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

/** What a fresh start (a new store, nothing in memory) reads back for a server. */
async function reloaded(guildId: string): Promise<Article[]> {
  return storeOver().list(guildId);
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
    expect(await files(A)).toEqual(['harbour-strike']);
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
    const stored = JSON.stringify(await row(A, 'pact'));
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
    expect((await reloaded(A)).find((a) => a.id === article.id)?.title).toBe(title);
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
  it('stores a PDF that reads back with its pages and footnotes, after a restart too', async () => {
    const article = await added(A, { fileName: 'Journal Article.pdf', bytes: await journalPdf() });
    expect(article).toMatchObject({ id: `${A}-journal-article`, guildId: A, title: TITLE });
    expect(article.paragraphs.filter((p) => p.kind === 'body').map((p) => p.text)).toEqual(PARAGRAPHS);
    expect(await files(A)).toEqual(['journal-article']);
    expect(article.paragraphs.some((p) => p.page === 2)).toBe(true);
    expect(article.paragraphs.find((p) => p.kind === 'footnote')?.text).toMatch(/^Treaty of Friendship/);
    expect(await reloaded(A)).toEqual([article]);
    const fresh = shared.in(await storeOver().shelf(A));
    expect(fresh.search('weaker basic treaty').excerpts[0]?.paragraph).toMatchObject({ articleId: article.id, page: 1 });
  });

  it('says why a scanned PDF or a damaged Word file cannot be added, and stores nothing', async () => {
    expect(await refusal(A, { fileName: 'scan.pdf', bytes: await makePdf({ pages: [{ lines: [] }] }) })).toBe('“scan.pdf” has no text to quote: it looks like a scanned PDF, pictures of pages without a text layer.');
    expect(await refusal(A, { fileName: 'notes.docx', bytes: enc('plain text saved as .docx') })).toBe('“notes.docx” is not a Word document (.docx): it is not even a zip file.');
    expect(await files(A)).toEqual([]);
  });
});

describe('refusing uploads, with a reason', () => {
  it.each(['slides.pptx', 'setup.exe', 'README', 'archive.md.zip', 'page.html.exe'])('refuses the wrong file type %s', async (fileName) => {
    expect(await refusal(A, { fileName, bytes: enc(MD) })).toBe(`Only .txt, .md, .html, .htm, .pdf, .docx files can be added; “${fileName}” is not one.`);
    expect(await files(A)).toEqual([]);
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
    expect(await files(A)).toEqual([]);
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
    expect(await files(A)).toEqual([]);
  });

  it('refuses a text already visible to the server, naming the article it duplicates', async () => {
    const first = await added(A, { fileName: 'harbour.md', bytes: enc(MD) });
    // Same paragraphs, other metadata and another file name: still the same text.
    const again = enc(`Another headline for the same story\n\n${BODY.join('\n\n')}`);
    expect(first.guildId).toBe(A);
    expect(await refusal(A, { fileName: 'copy.txt', bytes: again })).toBe('This text is already here, as “Harbour strike ends after eleven days”.');
    expect(await files(A)).toEqual(['harbour']);
  });

  it('finds a duplicate among thousands of articles without reading them', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => parseArticle(`a${i}.md`, articleText(i)));
    const crowded = new Engine({ dir: '.', articles: many, warnings: [] });
    // Reading an article's text would throw: only the hashes may be looked at.
    for (const a of many) Object.defineProperty(a, 'paragraphs', { get: () => { throw new Error('read the text of every article'); } });
    const result = await new Library(storeOver({ shared: crowded }), { links: { timeoutMs: 1000 } }).add(A, { fileName: 'again.txt', bytes: enc(articleText(1234)) });
    expect(result).toEqual({ ok: false, reason: 'This text is already here, as “The council met for the 1234th time and approved the budget for the coming year.”.' });
  });

  it('adds the same text to another server, which cannot see the first copy', async () => {
    await added(A, { fileName: 'harbour.md', bytes: enc(MD) });
    expect((await added(B, { fileName: 'harbour.md', bytes: enc(MD) })).id).toBe(`${B}-harbour`);
  });

  it('rejects a server id that is not a Discord snowflake', async () => {
    for (const guildId of ['../x', '12', 'abc', '', `${A}/../${B}`, '1'.repeat(21)]) {
      await expect(library.add(guildId, { fileName: 'a.md', bytes: enc(MD) })).rejects.toThrow(/^server-store: not a server id/);
    }
    expect(await stores.db.query('select * from servers')).toEqual([]);
  });
});

describe('file names', () => {
  const hostile = ['../../etc/passwd.md', '..\\..\\x.md', '/abs/path.md', 'C:\\Windows\\win.md', 'a\u0000b.md', 'Ünïcödé Ñame.md', 'Привет мир.md', '.md', '....md', '-.md', ' .txt', '.hidden.md', 'CON.md', '%2e%2e%2fx.md'];

  it.each(hostile)('stores %j under a safe slug', async (fileName) => {
    const article = await added(A, { fileName, bytes: enc(MD) });
    const [name, ...more] = await files(A);
    expect(more).toEqual([]);
    expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(article.file).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.[a-z]+$/);
    expect(article.id).toBe(`${A}-${name}`);
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
    expect(await files(A)).toEqual(['notes', 'notes-2', 'notes-3']);
    expect((await row(A, 'notes'))!.paragraphs[0]!.text).toContain('1th time');
    expect((await row(A, 'notes-2'))!.paragraphs[0]!.text).toContain('2th time');
  });

  it('can remove an article whose long name got a number, or was cut at a dash', async () => {
    const long = `${'x'.repeat(50)}.md`;
    const cut = `${'a'.repeat(49)} and more.md`;
    const ids: string[] = [];
    for (const [i, fileName] of [long, long, cut].entries()) ids.push((await added(A, { fileName, bytes: enc(articleText(i)) })).id);
    expect(ids[1]).toBe(`${A}-${'x'.repeat(50)}-2`);
    expect(ids[2]).toBe(`${A}-${'a'.repeat(49)}`);
    for (const id of ids) expect(await library.remove(A, id)).toMatchObject({ id });
    expect(await files(A)).toEqual([]);
  });
});

describe('storage', () => {
  it('reads back after a restart as the article returned, marked with its server and an id prefixed by it', async () => {
    const article = await added(A, { fileName: 'pact.html', bytes: enc(PAGE) });
    await added(A, { fileName: 'council.txt', bytes: enc(articleText(1)) });
    await added(B, { fileName: 'strike.md', bytes: enc(MD) });
    expect((await reloaded(A)).find((a) => a.id === article.id)).toEqual(article);
    expect((await reloaded(A)).map((a) => a.id)).toEqual([`${A}-council`, `${A}-pact`]);
    expect((await reloaded(B)).map((a) => [a.guildId, a.id])).toEqual([[B, `${B}-strike`]]);
    for (const a of await reloaded(A)) expect(a.paragraphs.every((p) => p.articleId === a.id)).toBe(true);
  });

  it('keeps each server’s index with its articles, and rebuilds one saved by other code or damaged', async () => {
    await added(A, { fileName: 'strike.md', bytes: enc(MD) });
    // Saved a moment after the last change, so a burst of uploads is saved once.
    expect(await stores.db.query('select version from server_indexes')).toEqual([]);
    await stores.store.flush();
    const [saved] = await stores.db.query<{ version: number }>('select version from server_indexes where guild_id = $1', [A]);
    expect(saved?.version).toBe(1);
    await stores.db.query("update server_indexes set code = 'other code'");
    const fresh = storeOver();
    const rebuilt = shared.in(await fresh.shelf(A));
    expect(rebuilt.search('harbour strike').excerpts[0]?.article.id).toBe(`${A}-strike`);
    await fresh.flush();
    const [code] = await stores.db.query<{ code: string }>('select code from server_indexes');
    expect(code?.code).not.toBe('other code');
    await stores.db.query("update server_indexes set snapshot = '\\x1f8b00'::bytea");
    expect(shared.in(await storeOver().shelf(A)).search('harbour strike').total).toBeGreaterThan(0);
  });
});

describe('importing the files of the store before the database', () => {
  const folder = (guildId: string) => join(stores.dataDir, 'guilds', guildId);
  const write = (guildId: string, name: string, text: string) => {
    mkdirSync(folder(guildId), { recursive: true });
    writeFileSync(join(folder(guildId), name), text);
  };

  it('imports every server’s files once, in the background, leaving them in place', async () => {
    write(A, 'strike.md', MD);
    write(A, 'council.md', toMarkdown(parseArticle('council.md', articleText(1))));
    write(B, 'strike.md', MD);
    // Left by a write that never finished, and skipped: not a server.
    write(A, '.council.md.4242.tmp', 'half an article');
    write('not-a-server', 'x.md', MD);
    const store = storeOver();
    const { imported } = await store.open();
    await imported;
    expect((await store.list(A)).map((a) => a.id)).toEqual([`${A}-council`, `${A}-strike`]);
    expect((await store.list(B)).map((a) => a.id)).toEqual([`${B}-strike`]);
    expect(readdirSync(folder(A)).sort()).toEqual(['council.md', 'strike.md']);
    const rows = await stores.db.query<{ guild_id: string; imported: number }>('select guild_id, imported from imported_folders order by guild_id');
    expect(rows.map((r) => [r.guild_id, r.imported])).toEqual([[A, 2], [B, 1]]);
    // A second start imports nothing again, not even what was removed since.
    await new Library(store, { links: { timeoutMs: 1000 } }).remove(A, `${A}-strike`);
    const again = storeOver();
    await (await again.open()).imported;
    expect((await again.list(A)).map((a) => a.id)).toEqual([`${A}-council`]);
    expect(existsSync(join(stores.dataDir, 'guilds', 'not-a-server', 'x.md'))).toBe(true);
  });

  it('imports a server that asks before its turn first, and warns about a broken file without losing the rest', async () => {
    write(B, 'strike.md', MD);
    write(B, 'broken.md', '---\ntitle: never closed\n');
    const warnings: string[] = [];
    const store = storeOver({ log: { info: () => undefined, warn: (w: unknown) => void warnings.push(String(w)) } });
    const { imported } = await store.open();
    expect((await store.list(B)).map((a) => a.id)).toEqual([`${B}-strike`]);
    await imported;
    expect(warnings.join('\n')).toContain('broken.md');
    expect(existsSync(join(folder(B), 'broken.md'))).toBe(true);
  });
});

describe('a write that fails', () => {
  it('says the disk is full, adds nothing, and the index in memory is as before', async () => {
    await added(A, { fileName: 'strike.md', bytes: enc(MD) });
    // The database refuses the row as Postgres does when its disk is full.
    const full: Database = {
      ...stores.db,
      transaction: (work) =>
        stores.db.transaction((tx) =>
          work({
            query: async <T,>(sql: string, params?: unknown[]) => {
              if (/^insert into articles/.test(sql)) throw Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' });
              return tx.query<T>(sql, params);
            },
          }),
        ),
    };
    const store = storeOver({}, full);
    await store.list(A);
    const result = await new Library(store, { links: { timeoutMs: 1000 } }).add(A, { fileName: 'council.txt', bytes: enc(articleText(7)) });
    expect(result).toEqual({ ok: false, reason: 'The article could not be saved: the bot’s disk is full. Nothing was added; please tell the bot’s operator.' });
    expect((await store.list(A)).map((a) => a.id)).toEqual([`${A}-strike`]);
    expect(shared.in(await store.shelf(A)).search('council budget').total).toBe(0);
    expect(await files(A)).toEqual(['strike']);
  });
});

describe('removing articles', () => {
  it("deletes only that server's article, from the database and the index", async () => {
    const a = await added(A, { fileName: 'strike.md', bytes: enc(MD) });
    const b = await added(B, { fileName: 'strike.md', bytes: enc(MD) });
    expect(await library.remove(A, a.id)).toMatchObject({ id: a.id, title: a.title });
    expect(await files(A)).toEqual([]);
    expect(await files(B)).toEqual(['strike']);
    expect(shared.in(await stores.store.shelf(A)).article(a.id)).toBeUndefined();
    expect(await reloaded(A)).toEqual([]);
    expect((await reloaded(B)).map((x) => x.id)).toEqual([b.id]);
    expect(await library.remove(A, a.id)).toBeUndefined();
  });

  it("refuses another server's article id", async () => {
    const b = await added(B, { fileName: 'strike.md', bytes: enc(MD) });
    expect(await library.remove(A, b.id)).toBeUndefined();
    expect(await library.remove(A, `${A}-strike`)).toBeUndefined();
    expect(await files(B)).toEqual(['strike']);
  });

  it('refuses crafted ids that would reach another server’s articles', async () => {
    await added(A, { fileName: 'strike.md', bytes: enc(MD) });
    await added(B, { fileName: 'strike.md', bytes: enc(MD) });
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
    await expect(library.remove('../..', 'x')).rejects.toThrow(/not a server id/);
    expect(await files(A)).toEqual(['strike']);
    expect(await files(B)).toEqual(['strike']);
  });
});
