// Links given to /add (`Library.addLink`, `fetchLink`): a web page or a PDF fetched from a local
// server and read like an upload, its metadata and its address kept; and every way a link can
// fail, each with its reason. Loopback addresses are reachable only through the test-only setting.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../src/download.js';
import { Engine } from '../src/engine.js';
import { Library } from '../src/library.js';
import { fetchLink, type LinkOptions } from '../src/links.js';
import { startBadServer, type BadServer } from './e2e/bad-server.js';
import { runScript } from './e2e/processes.js';
import { testStore, type TestStore } from './store.js';
import { AUTHOR, PARAGRAPHS, TITLE, journalPdf } from './pdf/journal.js';

const A = '111111111111111111';
const LOCAL: LinkOptions = { timeoutMs: 2000, allowLoopback: true };

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Dockworkers end strike | Port Gazette</title>
<meta property="og:title" content="Dockworkers end eleven-day strike">
<meta property="og:site_name" content="The Port Gazette">
<meta name="author" content="Maria Okafor">
<meta property="article:published_time" content="2021-03-09T17:45:00Z">
</head><body><nav><a href="/">Home</a> <a href="/port">Port</a></nav>
<article><h1>Dockworkers end eleven-day strike</h1>
<p>The harbour workers voted on Tuesday to end a strike that had closed the port for eleven days.</p>
<p>Union leaders said the new contract raised wages by six percent and limited night shifts.</p>
</article><footer>© The Port Gazette</footer></body></html>`;

let site: BadServer;
let stores: TestStore;
beforeAll(async () => {
  const pdf = await journalPdf();
  site = await startBadServer({
    '/news/2021/strike-ends': { type: 'text/html; charset=utf-8', body: PAGE },
    '/papers/treaty.pdf': { type: 'application/pdf', body: pdf },
    '/download?id=7': { type: 'application/octet-stream', body: pdf },
    '/notes.txt': { type: 'text/plain', body: 'Plain notes are not a web page.' },
    '/short': { location: '/news/2021/strike-ends' },
    '/to-metadata': { location: 'http://169.254.169.254/latest/meta-data/' },
    '/to-intranet': { location: 'http://10.0.0.7/wiki/secret' },
    '/to-zone': { location: 'http://[fe80::1%25lo]/' },
    '/papers/report%zz.pdf': { type: 'application/pdf', body: pdf },
    '/empty': { type: 'text/html', body: '<html><body><nav><a href="/">Home</a></nav></body></html>' },
    '/latin': { type: 'text/html; charset=windows-1252', body: Buffer.from('<html><body><article><p>The mayor\x92s office said the caf\xe9 on the quay would open again in May.</p></article></body></html>', 'latin1') },
  });
  stores = await testStore(new Engine({ dir: '.', articles: [], warnings: [] }));
});
afterAll(async () => {
  await site.stop();
  await stores.close();
});

function library(options: LinkOptions = LOCAL): Library {
  return new Library(stores.store, { links: options });
}

async function reason(link: string, options: LinkOptions = LOCAL): Promise<string> {
  const result = await library(options).addLink(A, link);
  if (result.ok) throw new Error(`expected ${link} to be refused`);
  return result.reason;
}

describe('adding a link', () => {
  it('reads a news page with its title, site, author and date from its metadata, and keeps the address', async () => {
    const result = await library().addLink(A, site.url('/short'));
    if (!result.ok) throw new Error(result.reason);
    expect(result.article).toMatchObject({
      id: `${A}-strike-ends`,
      title: 'Dockworkers end eleven-day strike',
      source: 'The Port Gazette',
      author: 'Maria Okafor',
      date: '2021-03-09',
      url: site.url('/news/2021/strike-ends'),
    });
    expect(result.article.paragraphs.map((p) => p.text)).toEqual([
      'The harbour workers voted on Tuesday to end a strike that had closed the port for eleven days.',
      'Union leaders said the new contract raised wages by six percent and limited night shifts.',
    ]);
  });

  it('reads a PDF, whether it is served as one or as octet-stream, with its pages', async () => {
    // Two servers: the same text twice in one is refused.
    for (const [path, guildId] of [['/papers/treaty.pdf', A], ['/download?id=7', '2'.repeat(18)]] as const) {
      const result = await library().addLink(guildId, site.url(path), { source: 'Journal of Northeast Asian Studies' });
      if (!result.ok) throw new Error(result.reason);
      expect(result.article).toMatchObject({ title: TITLE, author: AUTHOR, source: 'Journal of Northeast Asian Studies', url: site.url(path) });
      expect(result.article.paragraphs.filter((p) => p.kind === 'body').map((p) => p.text)).toEqual(PARAGRAPHS);
    }
  });

  it('reads a page in the encoding its server says it is in', async () => {
    const result = await library().addLink(A, site.url('/latin'));
    expect(result.ok && result.article.paragraphs.map((p) => p.text)).toEqual(['The mayor’s office said the café on the quay would open again in May.']);
  });

  it('names the article by the last part of its address', async () => {
    const fetched = await fetchLink(site.url('/papers/treaty.pdf'), LOCAL);
    expect(fetched.ok && fetched.source.file).toBe('treaty.pdf');
  });

  it('names it even when that part has a stray %', async () => {
    const fetched = await fetchLink(site.url('/papers/report%zz.pdf'), LOCAL);
    expect(fetched.ok && fetched.source.file).toMatch(/^report.*zz\.pdf$/);
  });
});

describe('refusing a link, with a reason', () => {
  it('refuses loopback addresses unless the test-only setting allows them', async () => {
    expect(await reason(site.url('/short'), { timeoutMs: 2000 })).toBe('Could not download the link 127.0.0.1:' + new URL(site.url('/')).port + ': 127.0.0.1 is not a public web address. Nothing was added.');
    expect(await reason('http://localhost:1/x', { timeoutMs: 2000 })).toBe('Could not download the link localhost:1: localhost:1 is not a public web address. Nothing was added.');
  });

  it('refuses a redirect to a private or cloud-metadata address, even with loopback allowed', async () => {
    expect(await reason(site.url('/to-metadata'))).toMatch(/169\.254\.169\.254 is not a public web address\. Nothing was added\.$/);
    expect(await reason(site.url('/to-intranet'))).toMatch(/10\.0\.0\.7 is not a public web address\. Nothing was added\.$/);
  });

  it('refuses what is not a web page or a PDF', async () => {
    expect(await reason(site.url('/notes.txt'))).toBe('The link gave a file of type text/plain, not a web page or a PDF. Nothing was added.');
  });

  it('refuses a page with no article, saying so', async () => {
    expect(await reason(site.url('/empty'))).toBe(`“${site.url('/empty')}” has no article in it that I could find (only navigation, or no text).`);
  });

  it('says when a link fails, stalls, lies about its size or redirects forever', async () => {
    expect(await reason(site.url('/404'))).toMatch(/the server answered HTTP 404\. Nothing was added\.$/);
    expect(await reason(site.url('/stall'), { ...LOCAL, timeoutMs: 1000 })).toMatch(/it took longer than 1 s\. Nothing was added\.$/);
    expect(await reason(site.url('/lie'), { ...LOCAL, maxBytes: 100_000 })).toMatch(/it is larger than the limit of 100 KB\. Nothing was added\.$/);
    expect(await reason(site.url('/loop'))).toMatch(/it redirected more than 5 times\. Nothing was added\.$/);
    expect(await reason('ftp://example.org/paper.pdf')).toBe('“ftp://example.org/paper.pdf” is not a web address (http:// or https://).');
  });
});

describe('links that cannot be parsed, and addresses with another address inside', () => {
  it('refuses an IPv6 address with a zone as not public, in /add and in fetchLink, even with loopback allowed', async () => {
    expect(await reason('http://[fe80::1%25lo]/')).toBe('Could not download the link [fe80::1%25lo]: [fe80::1%25lo] is not a public web address. Nothing was added.');
    expect(await reason('https://user@[::1%25eth0]:8443/x')).toBe('Could not download the link [::1%25eth0]:8443: [::1%25eth0] is not a public web address. Nothing was added.');
    expect(await fetchLink('http://[fe80::1%lo]/page', LOCAL)).toEqual({ ok: false, reason: 'Could not download the link [fe80::1%lo]: [fe80::1%lo] is not a public web address. Nothing was added.' });
  });

  it('refuses a link that is no URL at all, saying so', async () => {
    for (const link of ['http://a:b:c/', 'http://%zz/', 'http://[::1/', 'https://exa<mple>.org/']) {
      expect(await reason(link)).toBe(`“${link}” is not a web address I can read; check that it was copied whole. Nothing was added.`);
    }
  });

  it('refuses a redirect to something that is not a web address', async () => {
    expect(await reason(site.url('/to-zone'))).toMatch(/^Could not download the link 127\.0\.0\.1:\d+: it redirected to something that is not a web address\. Nothing was added\.$/);
  });

  it('refuses IPv6 literals that carry a loopback or private IPv4 address, without connecting', async () => {
    const port = new URL(site.url('/')).port;
    for (const [host, shown] of [['[::127.0.0.1]', '[::7f00:1]'], ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]'], ['[2002:7f00:1::]', '[2002:7f00:1::]'], ['[64:ff9b::10.0.0.7]', '[64:ff9b::a00:7]'], ['[2001:0:4136:e378:8000:63bf:80ff:fffe]', '[2001:0:4136:e378:8000:63bf:80ff:fffe]']] as const) {
      expect(await reason(`http://${host}:${port}/short`)).toBe(`Could not download the link ${shown}:${port}: ${shown} is not a public web address. Nothing was added.`);
    }
  });

  it('the CLI says why in one line, with no stack trace', async () => {
    const root = join(import.meta.dirname, '..');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.TEST_ONLY_ALLOW_LOOPBACK_LINKS;
    const run = await runScript(join(root, 'src', 'cli', 'add.ts'), ['--corpus', stores.dataDir, 'http://[fe80::1%25lo]/'], { cwd: stores.dataDir, env });
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'footnote: Could not download the link [fe80::1%25lo]: [fe80::1%25lo] is not a public web address. Nothing was added.\n' });
  }, 60_000);
});

describe('which addresses count as public', () => {
  const REFUSED: ReadonlyArray<readonly [string, string]> = [
    ['0.0.0.0', 'this network'],
    ['10.1.2.3', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local, cloud metadata'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.1', 'documentation'],
    ['192.88.99.1', '6to4 relay anycast'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.1', 'documentation'],
    ['203.0.113.1', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::7f00:1', 'IPv4-compatible loopback, in hex'],
    ['::a00:1', 'IPv4-compatible private'],
    ['::8.8.8.8', 'IPv4-compatible, deprecated whatever it holds'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, in hex'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:8.8.8.8', 'IPv4-mapped, refused whole'],
    ['::ffff:0:7f00:1', 'IPv4-translated loopback'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['64:ff9b::8.8.8.8', 'NAT64, refused whole'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['100::1', 'discard-only'],
    ['100:0:0:1::1', 'dummy prefix'],
    ['2001::1', 'Teredo'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:2::1', 'benchmarking'],
    ['2001:20::1', 'ORCHIDv2'],
    ['2001:db8::1', 'documentation'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:a00:1::1', '6to4 of a private address'],
    ['2002:808:808::1', '6to4, refused whole'],
    ['3fff::1', 'documentation'],
    ['5f00::1', 'segment-routing SIDs'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%lo', 'link-local with a zone'],
    ['2606:4700::1%eth0', 'any zone'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['ff0e::1', 'global multicast'],
    ['4000::1', 'unassigned'],
    ['127.1', 'not an address'],
    ['0127.0.0.1', 'not an address'],
    ['localhost', 'a name, not an address'],
    ['', 'nothing'],
  ];
  const ALLOWED = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4001:82a::200e', '2620:4f:8000::1'];

  it.each(REFUSED)('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(ALLOWED)('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});
