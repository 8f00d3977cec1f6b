// Makes docs/reply.png, the picture of a Footnote reply in the README. The replies are the real
// ones: the engine answers over the shipped corpus and `toDiscord` turns the answers into the
// embeds the bot sends. Those embeds are drawn here as Discord's dark theme draws them
// (docs/reply.html), and headless Chromium takes the screenshot.
//
//   npx tsx scripts/screenshot.ts
//
// Chromium is Debian's (`apt-get install -y chromium`); without it, the script writes the HTML
// page and prints the command that makes the PNG.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCorpus } from '../src/corpus.js';
import { Engine } from '../src/engine.js';
import type { Embed, Message } from '../src/render/limits.js';
import { toDiscord } from '../src/render/discord.js';

const ROOT = resolve(import.meta.dirname, '..');
const HTML = join(ROOT, 'docs', 'reply.html');
const PNG = join(ROOT, 'docs', 'reply.png');
const WIDTH = 900;

/** One exchange: what the user typed and the message Footnote answered with. */
interface Exchange {
  command: string;
  options: Record<string, string>;
  reply: Message;
}

async function exchanges(): Promise<Exchange[]> {
  const engine = new Engine(await loadCorpus(join(ROOT, 'corpus')));
  return [
    { command: 'who', options: { name: 'Karasin' }, reply: toDiscord(engine.who('Karasin')) },
    { command: 'search', options: { query: 'talks on June 16' }, reply: toDiscord(engine.search('talks on June 16')) },
  ];
}

// --- Discord markdown, the part Footnote uses --------------------------------------------------

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * One line of inline markdown as HTML: `\x` is the plain character x, `**bold**`, `*italics*`.
 * Escaped characters are set aside first so they can never open or close a span.
 */
function inline(text: string): string {
  const escaped: string[] = [];
  const held = text.replace(/\\([^\sA-Za-z0-9])/g, (_, c: string) => `\uE000${escaped.push(c) - 1}\uE000`);
  return escapeHtml(held)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\*(.+?)\*/g, '<em>$1</em>')
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => escapeHtml(escaped[Number(i)]!));
}

/** A message or embed description as HTML: block quotes (`> `), small text (`-# `), plain lines. */
function markdown(text: string): string {
  const out: string[] = [];
  let quote: string[] = [];
  const endQuote = () => {
    if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('> ')) {
      quote.push(inline(line.slice(2)));
      continue;
    }
    endQuote();
    if (line.startsWith('-# ')) out.push(`<div class="subtext">${inline(line.slice(3))}</div>`);
    else out.push(`<div class="line">${line ? inline(line) : '&nbsp;'}</div>`);
  }
  endQuote();
  return out.join('\n');
}

// --- The page ------------------------------------------------------------------------------------

function embedHtml(embed: Embed): string {
  const color = `#${(embed.color ?? 0x99aab5).toString(16).padStart(6, '0')}`;
  return `<div class="embed" style="border-left-color: ${color}">
  ${embed.title ? `<div class="embed-title">${inline(embed.title)}</div>` : ''}
  ${embed.description ? `<div class="embed-description">${markdown(embed.description)}</div>` : ''}
  ${embed.footer ? `<div class="embed-footer">${escapeHtml(embed.footer.text)}</div>` : ''}
</div>`;
}

function exchangeHtml({ command, options, reply }: Exchange, time: string): string {
  const typed = Object.entries(options)
    .map(([name, value]) => `<span class="option">${escapeHtml(name)}: ${escapeHtml(value)}</span>`)
    .join(' ');
  return `<div class="message">
  <div class="used">
    <span class="spine"></span>
    <span class="mini-avatar">m</span>
    <span class="user">mira</span> used <span class="command">/${escapeHtml(command)}</span> ${typed}
  </div>
  <div class="body">
    <div class="avatar">¶</div>
    <div class="content">
      <div class="header"><span class="bot-name">Footnote</span><span class="bot-tag">BOT</span><span class="time">Today at ${time}</span></div>
      ${reply.content ? `<div class="text">${markdown(reply.content)}</div>` : ''}
      ${(reply.embeds ?? []).map(embedHtml).join('\n')}
    </div>
  </div>
</div>`;
}

// Sizes and colours from Discord's dark theme (desktop client, 100% zoom).
const CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; background: #313338; }
body {
  width: ${WIDTH}px; padding: 8px 0 16px;
  font-family: "gg sans", "Noto Sans", "Helvetica Neue", Helvetica, Arial, sans-serif;
  color: #dbdee1; font-size: 16px; line-height: 1.375;
  -webkit-font-smoothing: antialiased;
}
.message { position: relative; padding: 4px 48px 4px 72px; margin-top: 14px; }
.used {
  position: relative; display: flex; align-items: center; gap: 4px;
  height: 22px; margin-bottom: 2px; font-size: 14px; color: #b5bac1; white-space: nowrap;
}
.spine {
  /* From above the bot's avatar (its centre is 36px in) across to the user's small avatar. */
  position: absolute; left: -37px; top: 11px; width: 33px; height: 15px;
  border-left: 2px solid #4e5058; border-top: 2px solid #4e5058; border-top-left-radius: 6px;
}
.mini-avatar {
  width: 16px; height: 16px; border-radius: 50%; background: #eb459e; color: #fff;
  font-size: 10px; font-weight: 600; display: inline-flex; align-items: center; justify-content: center;
}
.user { color: #f2f3f5; font-weight: 500; }
.command { color: #00a8fc; font-weight: 500; }
.option { color: #dbdee1; background: #2b2d31; border-radius: 3px; padding: 0 4px; font-size: 13px; }
.body { position: relative; }
.avatar {
  position: absolute; left: -56px; top: 2px; width: 40px; height: 40px; border-radius: 50%;
  background: #5865f2; color: #fff; font-size: 22px; font-weight: 700;
  display: flex; align-items: center; justify-content: center;
}
.header { display: flex; align-items: center; height: 22px; }
.bot-name { color: #f2f3f5; font-weight: 500; font-size: 16px; }
.bot-tag {
  margin-left: 4px; padding: 0 4px; height: 15px; border-radius: 3px; background: #5865f2; color: #fff;
  font-size: 10px; font-weight: 600; line-height: 15px; position: relative; top: 1px;
}
.time { margin-left: 8px; color: #949ba4; font-size: 12px; font-weight: 500; position: relative; top: 1px; }
.embed {
  max-width: 520px; margin-top: 4px; padding: 8px 16px 16px 12px;
  background: #2b2d31; border-left: 4px solid; border-radius: 4px;
}
.embed-title { margin-top: 8px; color: #f2f3f5; font-size: 16px; font-weight: 600; line-height: 22px; }
.embed-description { margin-top: 8px; font-size: 14px; line-height: 18px; color: #dbdee1; }
.embed-description strong { font-weight: 700; color: #f2f3f5; }
.embed-footer { margin-top: 8px; font-size: 12px; line-height: 16px; font-weight: 500; color: #dbdee1; }
blockquote {
  margin: 0; padding: 0 8px 0 12px; border-left: 4px solid #4e5058; border-radius: 4px;
}
.subtext { font-size: 13px; line-height: 17px; color: #949ba4; }
`;

function page(items: Exchange[]): string {
  const times = ['18:42', '18:43'];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Footnote in Discord</title>
<style>${CSS}</style>
<script>
  // Lets the screenshot step read how tall the page is (see pageHeight in scripts/screenshot.ts).
  addEventListener('load', () => { document.body.dataset.height = String(document.body.scrollHeight); });
</script>
</head>
<body>
${items.map((item, i) => exchangeHtml(item, times[i] ?? times.at(-1)!)).join('\n')}
</body>
</html>
`;
}

// --- The screenshot ------------------------------------------------------------------------------

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function chromiumArgs(profile: string): string[] {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${profile}`, '--hide-scrollbars',
  ];
}

/** The page's height in pixels, as Chromium lays it out. */
function pageHeight(chromium: string, profile: string): number {
  const dom = execFileSync(chromium, [...chromiumArgs(profile), `--window-size=${WIDTH},2000`, '--dump-dom', `file://${HTML}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const height = Number(/data-height="(\d+)"/.exec(dom)?.[1]);
  if (!height) throw new Error('screenshot: could not read the page height from Chromium');
  return height;
}

async function main(): Promise<void> {
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(HTML, page(await exchanges()));
  console.log(`wrote ${HTML}`);

  const chromium = findChromium();
  const fallback = `chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=${WIDTH},900 --screenshot=${PNG} file://${HTML}`;
  if (!chromium) {
    console.log(`Chromium is not installed, so there is no PNG yet. Install it (apt-get install -y chromium) and run this again, or run:\n  ${fallback}`);
    return;
  }
  const profile = mkdtempSync(join(tmpdir(), 'footnote-chromium-'));
  try {
    const height = pageHeight(chromium, profile);
    execFileSync(chromium, [...chromiumArgs(profile), `--window-size=${WIDTH},${height}`, `--screenshot=${PNG}`, `file://${HTML}`], {
      stdio: 'ignore',
    });
    console.log(`wrote ${PNG} (${WIDTH}×${height})`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();
