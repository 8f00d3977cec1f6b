// The article splitter (`parseArticle`) and the corpus loader (`loadCorpus`), on the two seed
// articles, on articles of our own in tests/fixtures/articles, and on broken files.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ArticleError, parseArticle } from '../src/article.js';
import { CorpusError, loadCorpus } from '../src/corpus.js';
import type { Article } from '../src/types.js';
import { journalPdf } from './pdf/journal.js';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'articles');
const RFERL = 'rferl-1997-russia-north-korea-weaker-basic-treaty';
const KOREA_TIMES = 'korea-times-nk-russia-treaty-concerns-overblown';

const seeds = await loadCorpus(CORPUS);
const seed = (id: string): Article => {
  const article = seeds.articles.find((a) => a.id === id);
  if (!article) throw new Error(`seed article ${id} not loaded`);
  return article;
};
const fixture = (name: string): Article => parseArticle(join(FIXTURES, name), readFileSync(join(FIXTURES, name), 'utf8'));
const texts = (a: Article) => a.paragraphs.map((p) => p.text);

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'footnote-article-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('the RFE/RL seed article', () => {
  const a = seed(RFERL);

  it('has the 7 body paragraphs a reader would count, numbered 1 to 7', async () => {
    expect(a.paragraphs).toHaveLength(7);
    expect(a.paragraphs.map((p) => p.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(a.paragraphs.every((p) => p.kind === 'body' && p.articleId === RFERL)).toBe(true);
  });

  it('starts ¶1 with the dateline and ends ¶7 with the last sentence', async () => {
    expect(a.paragraphs[0]!.text).toMatch(/^Prague, 20 June 1997 \(RFE\/RL\) - Russia's long-standing support/);
    expect(a.paragraphs[2]!.text).toMatch(/^Karasin and his North Korean counterpart, Lee In Kyu/);
    expect(a.paragraphs[6]!.text).toMatch(/against the United States and South Korea\.$/);
  });

  it('leaves out the navigation links and the repeated headline', async () => {
    for (const chrome of ['Accessibility links', 'Breaking News', a.title]) {
      expect(texts(a).some((t) => t.includes(chrome))).toBe(false);
    }
  });

  it('reads title, source, date and language from the front matter, without the quotes', async () => {
    expect(a).toMatchObject({
      id: RFERL,
      title: 'Russia: Moscow And North Korea To Sign Weaker Basic Treaty',
      source: 'RFE/RL',
      date: '1997-06-20',
      language: 'en',
    });
    expect(a.author).toBeUndefined();
    expect(a.file).toBe(join(CORPUS, `${RFERL}.md`));
  });
});

describe('the Korea Times seed article', () => {
  const a = seed(KOREA_TIMES);

  it('has 11 body paragraphs and the photo caption as ¶12', async () => {
    expect(a.paragraphs).toHaveLength(12);
    expect(a.paragraphs.slice(0, 11).every((p) => p.kind === 'body')).toBe(true);
    const caption = a.paragraphs[11]!;
    expect(caption).toMatchObject({ n: 12, kind: 'caption' });
    expect(caption.text).toContain('Vostochny Cosmodrome');
  });

  it('keeps the photo caption once, with its credit, though the page prints it twice', async () => {
    const withCaption = a.paragraphs.filter((p) => p.text.includes('Vostochny Cosmodrome'));
    expect(withCaption).toHaveLength(1);
    expect(withCaption[0]!.text).toMatch(/^\?\? Reuters-Yonhap \?\? Russian President Vladimir Putin, left,/);
  });

  it('starts ¶1 with the first sentence and ends ¶11 with the last quote', async () => {
    expect(a.paragraphs[0]!.text).toMatch(/^Concerns have been rising over how far Pyongyang’s ties/);
    expect(a.paragraphs[10]!.text).toMatch(/^“A likely scenario would be adding a clause/);
    expect(a.paragraphs[10]!.text).toMatch(/he said\.$/);
  });

  it('leaves out the masthead, the repeated headline, the byline and the page footer', async () => {
    const all = texts(a);
    for (const chrome of ['The Korea Times', a.title, 'Newspapers in English', 'Newspapers from Korea, Republic']) {
      expect(all).not.toContain(chrome);
    }
    expect(all.some((t) => /By Jung Min-ho|koreatimes\.co\.kr|Newspapers/.test(t))).toBe(false);
  });

  it('reads title, source, author and language from the front matter and does not guess a date', async () => {
    expect(a).toMatchObject({
      title: 'Experts say concerns about new NK-Russia treaty overblown',
      source: 'The Korea Times',
      author: 'Jung Min-ho',
      language: 'en',
    });
    expect(a.date).toBeUndefined();
  });
});

describe('an article pasted from a news site without front matter', () => {
  const a = fixture('harbour-strike.md');

  it('takes its title from the first headline-like line, not the menu above it', async () => {
    expect(a.title).toBe('Harbour talks stall as dockworkers walk out for a third day');
  });

  it('takes its author from the "By …" byline and its date from the dateline', async () => {
    expect(a.author).toBe('Maria Okafor');
    expect(a.date).toBe('2021-03-03');
    expect(a.source).toBeUndefined();
  });

  it('leaves out the menu, the headline, the byline, the update time and the share links', async () => {
    const all = texts(a).join('\n');
    for (const chrome of ['Skip to content', 'Home', 'Sign in', 'Harbour talks stall', 'By Maria Okafor', 'Updated 14:02', 'Share this article', 'Related stories']) {
      expect(all).not.toContain(chrome);
    }
  });

  it('keeps a photo caption once, marked as a caption, with its "(Photo: …)" credit', async () => {
    expect(a.paragraphs.map((p) => p.kind)).toEqual(['body', 'caption', 'body', 'body']);
    expect(a.paragraphs[1]!.text).toBe('(Photo: Ade Bello) Dockworkers, left, gather outside the gates of Apapa port on Monday.');
    expect(texts(a).filter((t) => t.includes('gather outside the gates'))).toHaveLength(1);
  });

  it('joins a hard-wrapped paragraph into one, with single spaces', async () => {
    expect(a.paragraphs[2]!.text).toBe(
      'The union wants a 30 per cent pay rise and new safety rules after two workers died in January. ' +
        'The port authority says it cannot pay more while cargo volumes are falling.',
    );
  });

  it('starts ¶1 with the dateline and numbers the paragraphs 1..n', async () => {
    expect(a.paragraphs[0]!.text).toMatch(/^Lagos, 3 March 2021 - Talks between the port authority/);
    expect(a.paragraphs.map((p) => p.n)).toEqual([1, 2, 3, 4]);
  });
});

describe('an article with front matter, a markdown headline and one-line paragraphs', () => {
  const a = fixture('river-festival.txt');

  it('reads a .txt file and a date written in words in the front matter', async () => {
    expect(a).toMatchObject({ id: 'river-festival', title: 'River festival returns after four-year gap', source: 'The Valley Courier', date: '2023-09-13', language: 'en' });
  });

  it('takes the author from a byline followed by "|" and a date', async () => {
    expect(a.author).toBe('Tom Reyes');
  });

  it('splits a block whose every line ends a sentence into one paragraph per line', async () => {
    expect(a.paragraphs[0]!.text).toBe('Thousands of people lined the banks of the Ouse on Saturday as the river festival returned for the first time since 2019.');
    expect(a.paragraphs[1]!.text).toBe("Organisers said the crowd was the largest in the event's 40-year history.");
  });

  it('keeps the © credited caption once and drops its copy without the credit', async () => {
    const captions = a.paragraphs.filter((p) => p.kind === 'caption');
    expect(captions.map((p) => p.text)).toEqual(["© Valley Courier/Jo Pike Rowers from the town's two clubs race past the old mill, pictured on Saturday."]);
    expect(texts(a).filter((t) => t.includes('race past the old mill'))).toHaveLength(1);
  });

  it('leaves out the "#" headline, "Newsletter" and every "Advertisement"', async () => {
    expect(a.paragraphs).toHaveLength(5);
    expect(texts(a).some((t) => /^#|River festival returns|Newsletter|Advertisement/.test(t))).toBe(false);
  });
});

describe('parseArticle on small inputs', () => {
  it('reads the same article from CRLF line ends and a byte order mark', async () => {
    for (const name of ['harbour-strike.md', 'river-festival.txt']) {
      const lf = readFileSync(join(FIXTURES, name), 'utf8');
      const crlf = parseArticle(join(FIXTURES, name), `\ufeff${lf.replace(/\n/g, '\r\n')}`);
      expect(crlf).toEqual(fixture(name));
      expect(texts(crlf).some((t) => /[\r\ufeff]/.test(t))).toBe(false);
    }
  });

  it('reads a front matter after a byte order mark with CRLF line ends', async () => {
    const a = parseArticle('bom.md', '\ufeff---\r\ntitle: A title\r\nauthor: "Ann Example"\r\n---\r\nA sentence that is long enough to be a paragraph of the article.\r\n');
    expect(a).toMatchObject({ id: 'bom', title: 'A title', author: 'Ann Example' });
    expect(texts(a)).toEqual(['A sentence that is long enough to be a paragraph of the article.']);
  });

  it('ignores comments and unknown keys in the front matter', async () => {
    const a = parseArticle('keys.md', '---\n# a comment\ntitle: T\ntags: x, y\nurl: https://example.org/a\n---\nOne sentence makes a paragraph here.\n');
    expect(a).toMatchObject({ title: 'T', url: 'https://example.org/a' });
    expect(a).not.toHaveProperty('tags');
  });

  it('keeps the date of the front matter over a dateline', async () => {
    const a = parseArticle('d.md', '---\ntitle: T\ndate: 2001-02-03\n---\nParis, 20 June 1997 - Something happened in the city that day.\n');
    expect(a.date).toBe('2001-02-03');
  });

  it('refuses a front matter that is never closed', async () => {
    expect(() => parseArticle('open.md', '---\ntitle: T\nA sentence that would be the body of the article.\n')).toThrow(ArticleError);
    expect(() => parseArticle('open.md', '---\ntitle: T\n')).toThrow(/open\.md: front matter opened with "---" is never closed/);
  });

  it('refuses a front matter line that is not "key: value"', async () => {
    expect(() => parseArticle('bad.md', '---\ntitle: T\njust words\n---\nA sentence long enough to count as a paragraph.\n')).toThrow(/not "key: value"/);
  });

  it('refuses a file of only short lines or only blank lines', async () => {
    expect(() => parseArticle('menu.md', 'Home\nWorld\nSport\nWeather\nTravel\nTV\nRadio\nMore\n')).toThrow(/has no paragraphs/);
    expect(() => parseArticle('menu.md', 'Home\n\nWorld\n\nSport\n')).toThrow(/has no paragraphs/);
    expect(() => parseArticle('blank.md', '\n \n\t\n')).toThrow(/has no text/);
  });

  it('keeps the first paragraph of an article that has no headline, and names the article by it', async () => {
    const a = parseArticle('plain.txt', 'The first paragraph is a sentence.\n\nThe second paragraph is another sentence.\n');
    expect(texts(a)).toEqual(['The first paragraph is a sentence.', 'The second paragraph is another sentence.']);
    expect(a.title).toBe('The first paragraph is a sentence.');
  });

  it('takes the id from the file name without folder or extension', async () => {
    expect(parseArticle('/a/b/Some-Name.TXT', 'A sentence long enough to be a paragraph.').id).toBe('Some-Name');
    expect(parseArticle('C:\\x\\y.md', 'A sentence long enough to be a paragraph.').id).toBe('y');
  });
});

describe('parseArticle on arbitrary text', () => {
  // Words of any characters (without whitespace), joined by the whitespace files really contain.
  const word = fc.oneof(
    fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }).map((s) => s.replace(/\s/gu, '')),
    fc.constantFrom('Prague,', '20 June 1997', '—', '“quoted.”', '(Photo: AP)', '?? Reuters ??', 'By', 'Jane', 'Doe', 'said.', 'left,', '#', '---', 'title:', '.', 'the', 'treaty'),
  );
  const space = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '\n\n', ' \n \n', '\r\n\r\n');
  const text = fc
    .array(fc.tuple(word, space), { maxLength: 80 })
    .chain((pairs) => fc.tuple(fc.constant(pairs.map(([w, s]) => w + s).join('')), fc.boolean()))
    .map(([body, bom]) => (bom ? `\ufeff${body}` : body));

  it('quotes every paragraph verbatim from the input and numbers them 1..n', async () => {
    fc.assert(
      fc.property(text, (input) => {
        let article: Article;
        try {
          article = parseArticle('arbitrary.md', input);
        } catch (err) {
          expect(err).toBeInstanceOf(ArticleError);
          return;
        }
        const flat = input.replace(/^\ufeff/, '').replace(/\s+/g, ' ');
        article.paragraphs.forEach((p, i) => {
          expect(p.n).toBe(i + 1);
          expect(p.text.length).toBeGreaterThan(0);
          expect(p.text).toBe(p.text.trim());
          expect(flat).toContain(p.text);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('loadCorpus', () => {
  it('loads the seed corpus in file-name order, with no warnings', async () => {
    expect(seeds.articles.map((a) => a.id)).toEqual([KOREA_TIMES, RFERL]);
    expect(seeds.warnings).toEqual([]);
    expect(seeds.dir).toBe(CORPUS);
  });

  it('loads an empty folder as zero articles', async () => {
    expect(await loadCorpus(tempDir())).toMatchObject({ articles: [], warnings: [] });
  });

  it('throws a CorpusError for a folder that does not exist', async () => {
    const missing = join(tempDir(), 'nope');
    await expect(loadCorpus(missing)).rejects.toThrow(CorpusError);
    try {
      await loadCorpus(missing);
    } catch (err) {
      expect((err as Error).message.startsWith('corpus: folder not found')).toBe(true);
      expect((err as Error).message).toContain(missing);
    }
  });

  it('throws a CorpusError for a path that is a file, not a folder', async () => {
    await expect(loadCorpus(join(CORPUS, `${RFERL}.md`))).rejects.toThrow(/^corpus: .* is not a folder$/);
  });

  it('skips broken files with a warning naming each, and loads the rest', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.md'), readFileSync(join(FIXTURES, 'harbour-strike.md')));
    writeFileSync(join(dir, 'also-good.txt'), readFileSync(join(FIXTURES, 'river-festival.txt')));
    writeFileSync(join(dir, 'unclosed.md'), '---\ntitle: Never closed\nA body that never starts because the fence is open.\n');
    writeFileSync(join(dir, 'menu.md'), 'Home\nWorld\nSport\n\nWeather\n');
    writeFileSync(join(dir, 'latin1.md'), Buffer.from('Caf\xe9 society returned to the city on Saturday night.\n', 'latin1'));
    mkdirSync(join(dir, 'folder.md'));
    writeFileSync(join(dir, 'notes.json'), '{"not": "an article"}');
    writeFileSync(join(dir, '.hidden.md'), 'A hidden file is not an article of the corpus at all.');

    const corpus = await loadCorpus(dir);
    expect(corpus.articles.map((a) => a.id)).toEqual(['also-good', 'good']);
    expect(corpus.warnings).toHaveLength(4);
    const warning = (name: string) => corpus.warnings.find((w) => w.includes(join(dir, name))) ?? '';
    expect(warning('unclosed.md')).toMatch(/^skipped .*unclosed\.md: front matter opened with "---" is never closed$/);
    expect(warning('menu.md')).toMatch(/^skipped .*menu\.md: has no paragraphs/);
    expect(warning('latin1.md')).toMatch(/^skipped .*latin1\.md: is not UTF-8 text$/);
    expect(warning('folder.md')).toMatch(/^skipped .*folder\.md: /);
  });

  it('loads the articles of every format, and warns with the reason about a PDF or a Word file it cannot read', async () => {
    const dir = tempDir();
    const pdf = await journalPdf();
    writeFileSync(join(dir, 'old-allies.pdf'), pdf);
    writeFileSync(join(dir, 'cut.pdf'), pdf.subarray(0, 2000));
    writeFileSync(join(dir, 'page.htm'), '<html><body><article><p>The harbour council met on Tuesday and approved the new quay.</p></article></body></html>');
    writeFileSync(join(dir, 'photos.docx'), 'PK not really a zip');
    const corpus = await loadCorpus(dir);
    expect(corpus.articles.map((a) => a.id)).toEqual(['old-allies', 'page']);
    expect(corpus.warnings).toEqual([
      `skipped ${join(dir, 'cut.pdf')}: is cut off: it does not end as a PDF does (was the download complete?)`,
      `skipped ${join(dir, 'photos.docx')}: is not a Word document (.docx): it is not even a zip file`,
    ]);
  });

  it('skips a second file with the same id', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'same.md'), 'The first file has a sentence long enough to count.');
    writeFileSync(join(dir, 'same.txt'), 'The second file has a sentence long enough to count.');
    const corpus = await loadCorpus(dir);
    expect(corpus.articles).toHaveLength(1);
    expect(corpus.warnings).toEqual([expect.stringMatching(/same\.txt: another file already has the id same$/)]);
  });
});

describe('articles pasted from five kinds of site (tests/fixtures/sites, written for these tests)', () => {
  const SITES = join(import.meta.dirname, 'fixtures', 'sites');
  const site = (name: string): Article => parseArticle(join(SITES, name), readFileSync(join(SITES, name), 'utf8'));
  const chrome = [
    'Home', 'World ›', 'Share', 'Advertisement', 'Read more', 'Sign up', 'newsletter', 'Related', 'More on this story',
    'Explore more', 'Reuse this content', 'All rights reserved', 'Copyright', '©', 'Photograph:', 'Photo by', 'Download PDF',
    '(END)', 'Facebook', 'Image source',
  ];

  it.each([
    ['broadcaster.txt', 'Ferry strike leaves thousands stranded at Baltic ports', 5],
    ['broadsheet.md', 'Seoul opens talks with Tokyo on shared fishing grounds', 3],
    ['wire.txt', 'N. Korea fires ballistic missile into East Sea: JCS', 3],
    ['local-paper.txt', 'City council approves new bridge over the Kell after long debate', 3],
    ['think-tank.md', 'Why the 1961 treaty still matters', 3],
  ])('%s: finds the headline after the menus and numbers only the article’s own paragraphs', (name, title, count) => {
    const a = site(name);
    expect(a.title).toBe(title);
    expect(a.paragraphs.map((p) => p.n)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    for (const text of texts(a)) for (const c of chrome) expect(text.startsWith(c) || text.includes(` ${c} `)).toBe(false);
  });

  it.each([
    ['broadcaster.txt', { author: 'Anna Kowalczyk' }],
    ['broadsheet.md', { author: 'Min-ji Park', date: '2023-09-13' }],
    ['wire.txt', { date: '2023-09-13', source: 'Yonhap' }],
    ['local-paper.txt', { author: 'Dana Whitfield', date: '1997-06-20' }],
    ['think-tank.md', { author: 'Helen Ashby', date: '2024-06-20' }],
  ])('%s: reads the byline, the date line or the dateline', (name, fields) => {
    expect(site(name)).toMatchObject(fields);
  });

  it('does not guess a date from "3 days ago" when the page gives no date', () => {
    expect(site('broadcaster.txt').date).toBeUndefined();
  });

  it('keeps the photo caption, marked as one, and drops the credit printed alone and the copyright footer', () => {
    const a = site('broadcaster.txt');
    expect(a.paragraphs[0]).toMatchObject({ kind: 'caption', n: 1 });
    expect(a.paragraphs.filter((p) => p.kind === 'caption')).toHaveLength(1);
    expect(site('local-paper.txt').paragraphs.every((p) => p.kind === 'body')).toBe(true);
  });

  it('drops a sentence that tells the reader to sign up, but keeps one that reports what someone said', () => {
    const a = parseArticle('cta.md', 'A headline about the city budget vote\n\nThe council met on Monday.\n\nSign up for our newsletter to get the news in your inbox.\n\nPolice say you should stay at home tonight.\n');
    expect(texts(a)).toEqual(['The council met on Monday.', 'Police say you should stay at home tonight.']);
  });

  it('takes the source from a dateline when the front matter has none', () => {
    const a = parseArticle('d.md', 'Prague, 20 June 1997 (RFE/RL) - Talks opened in the city that day.\n');
    expect(a).toMatchObject({ date: '1997-06-20', source: 'RFE/RL' });
    expect(parseArticle('d.md', '---\nsource: Radio Free Europe\n---\nPrague, 20 June 1997 (RFE/RL) - Talks opened in the city that day.\n').source).toBe('Radio Free Europe');
  });
});
