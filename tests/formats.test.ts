// The format registry and each format's reader, on realistic files: what each reads, paragraph
// by paragraph, and the reason it gives for a file it cannot read. PDFs and Word files are made
// by the tests (pdfkit, docx); one PDF typeset by GNU groff is committed in tests/fixtures/pdf.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlignmentType, Document, FootnoteReferenceRun, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArticleError, parseArticle, toMarkdown } from '../src/article.js';
import { EXTENSIONS, formatOf, formatOfContent, isArticleFile, readArticle } from '../src/formats/index.js';
import type { Article } from '../src/types.js';
import { AUTHOR, FOOTNOTES, PARAGRAPHS, TITLE, journalPdf } from './pdf/journal.js';
import { makePdf } from './pdf/make-pdf.js';

const enc = (s: string) => new TextEncoder().encode(s);
const texts = (a: Article, kind = 'body') => a.paragraphs.filter((p) => p.kind === kind).map((p) => p.text);

/** The reason a reader gives for `bytes` named `file`. */
async function problem(file: string, bytes: Uint8Array): Promise<string> {
  try {
    await readArticle({ file, bytes });
  } catch (err) {
    expect(err).toBeInstanceOf(ArticleError);
    return (err as ArticleError).problem;
  }
  throw new Error(`expected ${file} to be refused`);
}

/** What the file store writes for an article, read back. */
const reread = (a: Article) => parseArticle(a.file.replace(/\.[^.]*$/, '.md'), toMarkdown(a));

/** The parts of an article that must survive being stored as Markdown. */
const stored = (a: Article) => ({ title: a.title, author: a.author, date: a.date, source: a.source, url: a.url, paragraphs: a.paragraphs });

describe('the format registry', () => {
  it('knows every format by its file ending, whatever its case', () => {
    expect(EXTENSIONS).toEqual(['.txt', '.md', '.html', '.htm', '.pdf', '.docx']);
    expect(['a.TXT', 'b.md', 'c.Html', 'd.htm', 'e.PDF', 'f.docx'].map((n) => formatOf(n)?.name)).toEqual(['text', 'text', 'web page', 'web page', 'PDF', 'Word document']);
    expect(formatOf('slides.pptx')).toBeUndefined();
    expect(formatOf('archive.pdf.zip')).toBeUndefined();
  });

  it('takes hidden files and unknown endings for no article', () => {
    expect(['.hidden.pdf', 'notes.json', 'README'].map(isArticleFile)).toEqual([false, false, false]);
    expect(isArticleFile('report.pdf')).toBe(true);
  });

  it('reads a link by what its bytes are when they tell (a PDF served as octet-stream), else by its content type', async () => {
    const pdf = await journalPdf();
    expect(formatOfContent('application/octet-stream', pdf)?.name).toBe('PDF');
    expect(formatOfContent('text/html', pdf)?.name).toBe('PDF');
    expect(formatOfContent('text/html', enc('<html></html>'))?.name).toBe('web page');
    expect(formatOfContent('text/plain', enc('plain words'))).toBeUndefined();
    expect(formatOfContent('image/png', enc('\x89PNG'))).toBeUndefined();
  });

  it('refuses a file of no format it reads, naming the formats', async () => {
    expect(await problem('slides.pptx', enc('x'))).toBe('is not one of the formats I read (.txt, .md, .html, .htm, .pdf, .docx)');
  });
});

describe('text files with YAML front matter', () => {
  it('reads back any title, source and author the store writes, colons, quotes and backslashes included', () => {
    const value = fc.string({ minLength: 1, maxLength: 60, unit: fc.constantFrom('a', 'Z', ' ', ':', '"', "'", '\\', '#', '-', '—', '|', '>', '[', '{', '&', '*', '!', '%', '@', '`', 'é') }).filter((s) => /[aZé]/.test(s));
    fc.assert(
      fc.property(value, value, value, (title, source, author) => {
        const article = parseArticle('t.md', `A first paragraph that is a whole sentence of the article.\n`);
        const back = reread({ ...article, title: title.trim(), source: source.trim(), author: author.trim() });
        expect([back.title, back.source, back.author]).toEqual([title, source, author].map((s) => s.replace(/\s+/g, ' ').trim()));
      }),
      { numRuns: 200 },
    );
  });

  it('still reads a hand-written front matter whose title has an unquoted colon', () => {
    const a = parseArticle('colon.md', '---\ntitle: Russia: Moscow And North Korea To Sign Weaker Basic Treaty\ndate: 1997-06-20\n---\nA sentence long enough to be a paragraph of the article.\n');
    expect(a).toMatchObject({ title: 'Russia: Moscow And North Korea To Sign Weaker Basic Treaty', date: '1997-06-20' });
  });

  it('never runs front matter as code', () => {
    const code = '---js\n{ title: (globalThis.footnoteRan = "yes") }\n---\nA sentence long enough to be a paragraph of the article.\n';
    expect(parseArticle('js.md', code).title).not.toBe('yes');
    const tagged = parseArticle('tag.md', '---\ntitle: !!js/function "function () { globalThis.footnoteRan = 1 }"\n---\nA sentence long enough to be a paragraph.\n');
    expect(tagged.title).toBe('!!js/function "function () { globalThis.footnoteRan = 1 }"');
    expect((globalThis as { footnoteRan?: unknown }).footnoteRan).toBeUndefined();
  });

  it('refuses a title that is a list, saying so', () => {
    expect(() => parseArticle('list.md', '---\ntitle: [a, b]\n---\nA sentence long enough to be a paragraph.\n')).toThrow('article: list.md: front matter title must be text, not a list or a mapping');
  });

  it('reads page marks and Markdown footnotes: each paragraph with its page, the notes after the body', () => {
    const a = parseArticle('paged.md', '---\ntitle: T\n---\n<!-- page 3 -->\n\nThe first paragraph is on the third page.\n\n<!-- page 4 -->\n\nThe second one is on the fourth.\n\n[^1]: The note to the first one.\n');
    expect(a.paragraphs).toEqual([
      { articleId: 'paged', n: 1, text: 'The first paragraph is on the third page.', kind: 'body', page: 3 },
      { articleId: 'paged', n: 2, text: 'The second one is on the fourth.', kind: 'body', page: 4 },
      { articleId: 'paged', n: 3, text: 'The note to the first one.', kind: 'footnote', label: '1', page: 4 },
    ]);
  });

  it('refuses bytes that are not UTF-8', async () => {
    expect(await problem('latin1.txt', new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x73]))).toBe('is not UTF-8 text');
  });
});

const NEWS_PAGE = `<!doctype html>
<html lang="en-GB"><head>
<meta charset="windows-1252">
<title>Pact revives Cold War clause \x96 World \x96 The Northern Ledger</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Pact revives Cold War clause","datePublished":"2024-06-20T08:30:00+09:00","author":{"@type":"Person","name":"Mina Park"},"publisher":{"@type":"Organization","name":"The Northern Ledger"}}</script>
</head><body>
<header><a href="/">The Northern Ledger</a><nav><a href="/world">World</a> <a href="/business">Business</a></nav></header>
<main><article>
<h1>Pact revives Cold War clause</h1>
<p class="byline">By Mina Park</p>
<p>The treaty signed in Pyongyang on Wednesday commits Russia and North Korea to come to each other\x92s aid if either is attacked, a clause last seen in the 1961 alliance.</p>
<p>South Korea\x92s foreign ministry called the agreement \x93a serious concern\x94 and said it would review its own policy on arms exports.</p>
<figure><img src="/kim-putin.jpg"><figcaption>Kim Jong-un, right, and Vladimir Putin at the signing ceremony in Pyongyang.</figcaption></figure>
<p>Analysts said the text left the two governments free to decide what assistance would mean in practice.</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Ten things to do this weekend</a></li></ul></aside>
<footer>\xa9 2024 The Northern Ledger</footer>
</body></html>`;

describe('limits on the work a file can ask for', () => {
  it('refuses an article of more than 5,000 paragraphs, in any format, before analysing it', async () => {
    const many = Array.from({ length: 5001 }, (_, i) => `Paragraph ${i} says something plain about the harbour.`).join('\n\n');
    expect(await problem('many.md', enc(many))).toBe('has more than 5,000 paragraphs; I read articles of at most 5,000');
    const page = `<html><body><article>${Array.from({ length: 5001 }, (_, i) => `<p>Paragraph ${i} says something plain about the harbour.</p>`).join('')}</article></body></html>`;
    expect(await problem('many.html', enc(page))).toBe('has more than 5,000 paragraphs; I read articles of at most 5,000');
  });

  it('refuses a page nested deeper than 128 elements, or of more than 100,000, without building it', async () => {
    expect(await problem('deep.html', enc(`${'<div>'.repeat(45_000)}text`))).toBe('nests its elements more than 128 deep; I read pages nested at most 128 deep');
    expect(await problem('wide.html', enc('<p>a</p>'.repeat(100_001)))).toBe('has more than 100,000 elements; I read pages of at most 100,000');
    // Elements closed by implication (paragraphs, list items) do not nest.
    const flat = `<html><body><article>${Array.from({ length: 300 }, (_, i) => `<p>The harbour reopened on day ${i} after the storm, the port said. `).join('')}</article></body></html>`;
    expect((await readArticle({ file: 'flat.html', bytes: enc(flat) })).paragraphs).toHaveLength(300);
  });
});

describe('web pages (.html, .htm)', () => {
  it('reads the article in the page, paragraph by paragraph, without its navigation, sidebar or footer', async () => {
    const a = await readArticle({ file: 'pact.html', bytes: Buffer.from(NEWS_PAGE, 'latin1') });
    expect(a.paragraphs.map((p) => [p.kind, p.text])).toEqual([
      ['body', 'The treaty signed in Pyongyang on Wednesday commits Russia and North Korea to come to each other’s aid if either is attacked, a clause last seen in the 1961 alliance.'],
      ['body', 'South Korea’s foreign ministry called the agreement “a serious concern” and said it would review its own policy on arms exports.'],
      ['caption', 'Kim Jong-un, right, and Vladimir Putin at the signing ceremony in Pyongyang.'],
      ['body', 'Analysts said the text left the two governments free to decide what assistance would mean in practice.'],
    ]);
  });

  it('takes the title, author, publisher and date from the JSON-LD, the calendar date as published', async () => {
    const a = await readArticle({ file: 'pact.html', bytes: Buffer.from(NEWS_PAGE, 'latin1'), url: 'https://ledger.example/world/pact' });
    expect(a).toMatchObject({ title: 'Pact revives Cold War clause', author: 'Mina Park', source: 'The Northern Ledger', date: '2024-06-20', url: 'https://ledger.example/world/pact', language: 'en-GB' });
  });

  it('reads back the same from the Markdown the store writes', async () => {
    const a = await readArticle({ file: 'pact.html', bytes: Buffer.from(NEWS_PAGE, 'latin1') });
    expect(stored(reread(a))).toEqual(stored(a));
  });

  it('refuses a page with no article in it', async () => {
    expect(await problem('menu.html', enc('<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav></body></html>'))).toBe('has no article in it that I could find (only navigation, or no text)');
    expect(await problem('empty.htm', enc(''))).toBe('has no article in it that I could find (only navigation, or no text)');
  });

  it('refuses a page in an encoding it does not declare', async () => {
    expect(await problem('latin1.html', Buffer.from('<p>Caf\xe9 society returned to the city on a Saturday night in spring.</p>', 'latin1'))).toBe('is not UTF-8 text');
    expect(await problem('odd.html', enc('<meta charset="klingon"><p>Text of the page that is long enough to be read.</p>'))).toBe('declares the encoding "klingon", which I cannot read');
  });
});

/** A Word document as an author writes one: a title, a byline, headings, paragraphs, footnotes, a centred quote. */
async function seminarDocx(): Promise<Uint8Array> {
  const doc = new Document({
    creator: 'seminar-laptop',
    footnotes: {
      1: { children: [new Paragraph('Treaty of Friendship, Co-operation and Mutual Assistance, 6 July 1961.')] },
      2: { children: [new Paragraph('Notes from the seminar of 14 October.')] },
    },
    sections: [
      {
        children: [
          new Paragraph({ text: 'Week 7: Reading the 2024 treaty', heading: HeadingLevel.TITLE }),
          new Paragraph('By Jonas Weber'),
          new Paragraph({ text: 'Introduction', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('This week we compare the treaty of June 2024 with the alliance of 1961.'), new FootnoteReferenceRun(1), new TextRun(' Read both texts before the seminar.')] }),
          new Paragraph({ children: [new TextRun('The new treaty has '), new TextRun({ text: 'twenty-three articles', bold: true }), new TextRun(', of which the fourth is the one everyone quotes.')] }),
          new Paragraph({ text: 'Questions for discussion', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ children: [new TextRun('Does the fourth article bind Moscow as firmly as the old one did?'), new FootnoteReferenceRun(2)] }),
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '“Each party shall provide military and other assistance with all means at its disposal.”', italics: true })] }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** A zip archive of `files`, stored without compression. */
function zipOf(files: Record<string, string>): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    parts.push(header, Buffer.from(name), data);
    central.push(entry, Buffer.from(name));
    offset += 30 + name.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, dir, end]));
}

describe('Word documents (.docx)', () => {
  it('reads the paragraphs as the author wrote them, headings left out and note marks out of the sentences', async () => {
    const a = await readArticle({ file: 'week7.docx', bytes: await seminarDocx() });
    expect(texts(a)).toEqual([
      'This week we compare the treaty of June 2024 with the alliance of 1961. Read both texts before the seminar.',
      'The new treaty has twenty-three articles, of which the fourth is the one everyone quotes.',
      'Does the fourth article bind Moscow as firmly as the old one did?',
      '“Each party shall provide military and other assistance with all means at its disposal.”',
    ]);
  });

  it('keeps the footnotes apart, after the body, with the numbers Word prints', async () => {
    const a = await readArticle({ file: 'week7.docx', bytes: await seminarDocx() });
    expect(a.paragraphs.filter((p) => p.kind === 'footnote')).toEqual([
      { articleId: 'week7', n: 5, text: 'Treaty of Friendship, Co-operation and Mutual Assistance, 6 July 1961.', kind: 'footnote', label: '1' },
      { articleId: 'week7', n: 6, text: 'Notes from the seminar of 14 October.', kind: 'footnote', label: '2' },
    ]);
  });

  it('takes the title from the Title paragraph and the author from the byline, not from the file properties', async () => {
    const a = await readArticle({ file: 'week7.docx', bytes: await seminarDocx() });
    expect(a).toMatchObject({ id: 'week7', title: 'Week 7: Reading the 2024 treaty', author: 'Jonas Weber' });
    expect(a.date).toBeUndefined();
  });

  it('reads back the same from the Markdown the store writes', async () => {
    const a = await readArticle({ file: 'week7.docx', bytes: await seminarDocx() });
    expect(stored(reread(a))).toEqual(stored(a));
  });

  it('refuses a zip that is not a Word document, a cut-off one and a file that is no zip at all', async () => {
    expect(await problem('photos.docx', zipOf({ 'photo.txt': 'not a document' }))).toBe('is not a Word document (.docx) that I can read (it may be damaged, or another kind of zip file)');
    const whole = await seminarDocx();
    expect(await problem('cut.docx', whole.subarray(0, Math.floor(whole.byteLength / 2)))).toMatch(/^is not a Word document \(\.docx\)/);
    expect(await problem('notes.docx', enc('Just some text saved with the wrong ending.'))).toBe('is not a Word document (.docx): it is not even a zip file');
  });
});

describe('PDFs', () => {
  it('reads a two-column journal article paragraph by paragraph, across columns and pages, words broken at line ends joined', async () => {
    const a = await readArticle({ file: 'journal.pdf', bytes: await journalPdf() });
    expect(texts(a)).toEqual(PARAGRAPHS);
  });

  it('gives each paragraph the page it starts on, and numbers the body 1..n', async () => {
    const a = await readArticle({ file: 'journal.pdf', bytes: await journalPdf() });
    const body = a.paragraphs.filter((p) => p.kind === 'body');
    expect(body.map((p) => [p.n, p.page])).toEqual([[1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 2], [7, 2], [8, 3]]);
  });

  it('keeps the footnotes apart from the body, marked with their numbers and pages', async () => {
    const a = await readArticle({ file: 'journal.pdf', bytes: await journalPdf() });
    expect(a.paragraphs.filter((p) => p.kind === 'footnote').map((p) => ({ page: p.page, label: p.label, text: p.text }))).toEqual(FOOTNOTES);
  });

  it('leaves out the running header, the page numbers and the byline, and takes title and author from the metadata', async () => {
    const a = await readArticle({ file: 'journal.pdf', bytes: await journalPdf() });
    const all = a.paragraphs.map((p) => p.text).join('\n');
    for (const chrome of ['Journal of Northeast Asian Studies', 'Page 1 of 3', 'Page 3', 'By Ann']) expect(all).not.toContain(chrome);
    expect(a).toMatchObject({ title: TITLE, author: AUTHOR });
    expect(a.date).toBeUndefined();
  });

  it('takes the title from the headline on the first page when the metadata has none', async () => {
    const pdf = await makePdf({
      pages: [
        {
          lines: [
            { text: 'Harbour Ice Closes the Port', x: 56, y: 80, size: 22 },
            // Paragraphs set apart by a blank line, not indented: a report's style.
            { text: 'The harbour of Vladivostok froze early this winter, and the icebreakers worked', x: 56, y: 130 },
            { text: 'through the night.', x: 56, y: 142 },
            { text: 'Fishermen said the pack ice reached further than in any year they could', x: 56, y: 166 },
            { text: 'remember.', x: 56, y: 178 },
          ],
        },
      ],
    });
    const a = await readArticle({ file: 'ice.pdf', bytes: pdf });
    expect(a.title).toBe('Harbour Ice Closes the Port');
    expect(texts(a)).toEqual(['The harbour of Vladivostok froze early this winter, and the icebreakers worked through the night.', 'Fishermen said the pack ice reached further than in any year they could remember.']);
    expect(a.author).toBeUndefined();
  });

  it('reads a PDF typeset by GNU groff (justified columns, its own hyphenation, a footnote, headers from page 2)', async () => {
    const file = join(import.meta.dirname, 'fixtures', 'pdf', 'gettysburg.pdf');
    const a = await readArticle({ file, bytes: readFileSync(file) });
    expect(a.title).toBe('Address Delivered at the Dedication of the Cemetery at Gettysburg');
    expect(texts(a)).toEqual([
      'Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived in Liberty, and dedicated to the proposition that all men are created equal.',
      // groff broke "battle-field" at its hyphen, and the document writes it nowhere else: the
      // line end reads as a broken word. The one join this reader cannot tell apart.
      'Now we are engaged in a great civil war, testing whether that nation, or any nation so conceived and so dedicated, can long endure. We are met on a great battlefield of that war. We have come to dedicate a portion of that field, as a final resting place for those who here gave their lives that that nation might live. It is altogether fitting and proper that we should do this.',
      'But, in a larger sense, we can not dedicate—we can not consecrate—we can not hallow—this ground. The brave men, living and dead, who struggled here, have consecrated it, far above our poor power to add or detract. The world will little note, nor long remember what we say here, but it can never forget what they did here. It is for us the living, rather, to be dedicated here to the unfinished work which they who fought here have thus far so nobly advanced. It is rather for us to be here dedicated to the great task remaining before us—that from these honored dead we take increased devotion to that cause for which they gave the last full measure of devotion—that we here highly resolve that these dead shall not have died in vain—that this nation, under God, shall have a new birth of freedom—and that government of the people, by the people, for the people, shall not perish from the earth.',
    ]);
    expect(a.paragraphs.map((p) => p.page)).toEqual([1, 1, 1, 1]);
    expect(a.paragraphs[3]).toMatchObject({ kind: 'footnote', label: '1', text: 'The text of the Bliss copy, the last of five copies in Lincoln’s hand, written in 1864.' });
  });

  it('reads back the same, pages and footnotes included, from the Markdown the store writes', async () => {
    const a = await readArticle({ file: 'journal.pdf', bytes: await journalPdf() });
    expect(stored(reread(a))).toEqual(stored(a));
  });

  it('reads PDFs given at once one after the other, each whole', async () => {
    const bytes = await journalPdf();
    const read = await Promise.all([1, 2, 3].map((i) => readArticle({ file: `copy-${i}.pdf`, bytes })));
    expect(read.map((a) => [a.id, texts(a).length, texts(a, 'footnote').length])).toEqual([['copy-1', 8, 2], ['copy-2', 8, 2], ['copy-3', 8, 2]]);
  });

  it('says a scanned PDF, with no text layer, has no text to quote', async () => {
    const scan = await makePdf({ pages: [{ lines: [] }, { lines: [] }] });
    expect(await problem('scan.pdf', scan)).toBe('has no text to quote: it looks like a scanned PDF, pictures of pages without a text layer');
  });

  it('refuses a cut-off PDF, a damaged one and a file that is no PDF', async () => {
    const whole = await journalPdf();
    expect(await problem('cut.pdf', whole.subarray(0, Math.floor(whole.byteLength * 0.6)))).toBe('is cut off: it does not end as a PDF does (was the download complete?)');
    expect(await problem('damaged.pdf', enc('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage\n%%EOF\n'))).toMatch(/^is not a PDF I can read|^has no text to quote/);
    expect(await problem('report.pdf', enc('<html>not a pdf</html>'))).toBe('is not a PDF');
  });
});
