/**
 * Readings as they come, end to end: /add of a PDF and a Word file attached in the local Discord,
 * and of a link to a PDF and to a news page on a local web server (reachable through the test-only
 * setting, as no public site is); /sources then lists every format with its paragraph count, and
 * a PDF paragraph is cited with its page. A scanned PDF and a link to this machine's own
 * addresses are refused with their reasons.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_PERMISSIONS, type CommandOptionValues, type InteractionContext } from '../discord/fake-discord.js';
import { TITLE, journalPdf } from '../pdf/journal.js';
import { makePdf } from '../pdf/make-pdf.js';
import { startBadServer, type BadServer } from './bad-server.js';
import { Sent, finishFootnote, readEmbed, startFootnote, type Footnote, type ReadReply } from './harness.js';

const GUILD = '1100000000000000012';
const ADMIN: InteractionContext = { permissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild };

const NEWS = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Icebreaker ordered | Harbour Gazette</title>
<meta property="og:title" content="Port orders a new icebreaker">
<meta property="og:site_name" content="Harbour Gazette">
<meta property="article:published_time" content="1998-03-20T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/port">Port</a></nav><article><h1>Port orders a new icebreaker</h1>
<p>The port authority signed a contract on Friday for a new icebreaker, to be delivered before next winter.</p>
<p>The regional government will pay two thirds of the cost, the authority said.</p></article></body></html>`;

let site: BadServer;
let footnote: Footnote;
const sent = new Sent();
let dataDir: string;

beforeAll(async () => {
  site = await startBadServer({
    '/papers/old-allies.pdf': { type: 'application/pdf', body: await journalPdf() },
    '/news/icebreaker': { type: 'text/html', body: NEWS },
  });
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-formats-'));
  footnote = await startFootnote({ discord: { guildId: GUILD }, env: { DATA_DIR: dataDir, TEST_ONLY_ALLOW_LOOPBACK_LINKS: 'true' } });
});

afterAll(async () => {
  await finishFootnote(footnote, sent, dataDir);
  await site.stop();
});

async function ask(name: string, options: CommandOptionValues, context: InteractionContext = ADMIN): Promise<ReadReply> {
  const interaction = footnote.fake.sendCommand(name, options, context);
  sent.track(interaction);
  return readEmbed((await interaction.answer()).embeds![0]!);
}

async function seminarNotes(): Promise<Uint8Array> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Seminar notes: the harbour and the treaty', heading: HeadingLevel.TITLE }),
          new Paragraph('The seminar compared the harbour reports of 1998 with the treaty debates of the same spring.'),
          new Paragraph('Two members will present the icebreaker contract next week.'),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

describe('/add with a PDF, a Word file and links', () => {
  it('adds a PDF attachment, reading its title from its metadata and counting its paragraphs', async () => {
    const reply = await ask('add', { file: { filename: 'old-allies.pdf', bytes: await journalPdf() } });
    expect(reply.title).toBe(`Added: ${TITLE}`);
    expect(reply.blocks[0]).toBe('10 paragraphs');
    expect(reply.quotes[0]).toMatchObject({ paragraph: 1, text: expect.stringMatching(/^The comprehensive strategic partnership treaty signed in Pyongyang/) });
  });

  it('adds a Word attachment', async () => {
    const reply = await ask('add', { file: { filename: 'seminar-notes.docx', bytes: await seminarNotes() } });
    expect(reply.title).toBe('Added: Seminar notes: the harbour and the treaty');
    expect(reply.blocks[0]).toBe('2 paragraphs');
  });

  it('adds a link to a news page, with the site and date from its metadata', async () => {
    const reply = await ask('add', { url: site.url('/news/icebreaker') });
    expect(reply.title).toBe('Added: Port orders a new icebreaker');
    expect(reply.blocks[0]).toBe('Harbour Gazette · 20 March 1998 · 2 paragraphs');
  });

  it('refuses a scanned PDF and a link it already has, each with its reason', async () => {
    const scan = await ask('add', { file: { filename: 'scan.pdf', bytes: await makePdf({ pages: [{ lines: [] }] }) } });
    expect(scan.blocks).toEqual(['“scan.pdf” has no text to quote: it looks like a scanned PDF, pictures of pages without a text layer.']);
    const again = await ask('add', { url: site.url('/papers/old-allies.pdf') });
    expect(again.blocks).toEqual([`This text is already here, as “${TITLE}”.`]);
  });

  it('asks for a file or a link when given neither', async () => {
    expect((await ask('add', {})).blocks).toEqual(['Attach a file (.txt, .md, .html, .htm, .pdf, .docx) or give a link to a web page or a PDF with url:.']);
  });
});

describe('the articles of every format, once added', () => {
  it('are listed by /sources with their paragraph counts', async () => {
    const reply = await ask('sources', {}, { guildId: GUILD });
    const listing = reply.blocks.join('\n');
    for (const line of [TITLE, '10 paragraphs', 'Seminar notes: the harbour and the treaty', '2 paragraphs', 'Port orders a new icebreaker', 'Harbour Gazette · 20 March 1998 · 2 paragraphs']) {
      expect(listing).toContain(line);
    }
  });

  it('cite a PDF paragraph with its page', async () => {
    const reply = await ask('search', { query: 'weaker basic treaty consultations' }, { guildId: GUILD });
    expect(reply.quotes[0]).toMatchObject({ title: TITLE, paragraph: 3 });
    expect(reply.markdown).toContain(`*${TITLE}* · p. 1, ¶3`);
  });
});
