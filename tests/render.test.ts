// Rendering answers: `toDiscord` within Discord's limits (checked with discord.js's own
// builders), safe markdown, `clamp` and `fitMessage`, and the terminal showing the same quotes.
import { join } from 'node:path';
import { EmbedBuilder, embedLength } from 'discord.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus.js';
import { Engine } from '../src/engine.js';
import { readArticle } from '../src/formats/index.js';
import { citationParts } from '../src/render/citation.js';
import { quoteBlock, toDiscord } from '../src/render/discord.js';
import { LIMITS, clamp, fitMessage, type Embed, type Message } from '../src/render/limits.js';
import { boldRanges, escapeMarkdown } from '../src/render/markdown.js';
import { toTerminal } from '../src/render/terminal.js';
import type { Answer, Article, Excerpt, Paragraph, Person, TimelineEvent } from '../src/types.js';
import { excerptsOf } from './answers.js';
import { TITLE, journalPdf } from './pdf/journal.js';

let engine: Engine;
let forum: Engine;
beforeAll(async () => {
  engine = new Engine(await loadCorpus(join(import.meta.dirname, '..', 'corpus')));
  forum = new Engine(await loadCorpus(join(import.meta.dirname, 'fixtures', 'markdown')));
});

// --- Reading our markdown back --------------------------------------------------------------

const MARKDOWN = '\\*_~`|[]<>#-';

/** The characters of `md` that Discord reads as markdown: those not escaped by a backslash. */
function unescapedMarks(md: string): string {
  let out = '';
  for (let i = 0; i < md.length; i++) {
    if (md[i] === '\\') i++;
    else if (MARKDOWN.includes(md[i]!)) out += md[i];
  }
  return out;
}

/** How many unescaped `**` markers `md` has. */
function boldMarkers(markdown: string): number {
  // Inside a code block "**" is text, not markdown (a reference list may contain it).
  const md = markdown.replace(/```[\s\S]*?```/g, '');
  let n = 0;
  for (let i = 0; i < md.length; i++) {
    if (md[i] === '\\') i++;
    else if (md.startsWith('**', i)) {
      n++;
      i++;
    }
  }
  return n;
}

/** `md` as a reader sees it: our `*` markup gone, escapes resolved. */
function plain(md: string): string {
  let out = '';
  for (let i = 0; i < md.length; i++) {
    if (md[i] === '\\' && i + 1 < md.length) out += md[++i];
    else if (md[i] !== '*') out += md[i];
  }
  return out;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A mention Discord would resolve: a user, role or channel, or @everyone / @here. */
const MENTION = /(?<!\\)<[@#][!&]?\d+(?<!\\)>|@everyone|@here/i;

// --- Checking a message with discord.js -----------------------------------------------------

/** Builds the embed through discord.js's validating setters; throws where Discord would refuse it. */
function buildEmbed(embed: Embed): EmbedBuilder {
  const builder = new EmbedBuilder();
  if (embed.title !== undefined) builder.setTitle(embed.title);
  if (embed.description !== undefined) builder.setDescription(embed.description);
  if (embed.color !== undefined) builder.setColor(embed.color);
  if (embed.footer) builder.setFooter({ text: embed.footer.text });
  if (embed.fields?.length) builder.addFields(embed.fields);
  return builder;
}

function strings(message: Message): string[] {
  return [
    ...(message.content === undefined ? [] : [message.content]),
    ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
  ];
}

function expectWithinLimits(message: Message): void {
  expect(message.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
  if (message.content !== undefined) expect(message.content.length).toBeLessThanOrEqual(LIMITS.content);
  let total = 0;
  for (const embed of message.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.title);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.footer);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    const built = buildEmbed(embed).toJSON();
    expect(new EmbedBuilder(embed).toJSON()).toEqual(embed);
    total += embedLength(built);
  }
  expect(total).toBeLessThanOrEqual(LIMITS.total);
  for (const s of strings(message)) expect(LONE_SURROGATE.test(s), JSON.stringify(s.slice(-20))).toBe(false);
}

// --- Arbitrary answers ----------------------------------------------------------------------

const HOSTILE = [
  '**', '*', '_', '__', '~~', '`', '```', '||', '>', '> ', '#', '# ', '-', '\\', '\\\\', '@everyone', '@here', '@EVERYONE',
  '<@123456789012345678>', '<@&123>', '<#456>', '[link](https://example.org)', 'https://example.org', '🤔', '👨‍👩‍👧', 'é',
  '\u200b', '\u200f', '\u202e', '\u00a0', ' ', ' ', '\n', 'word', 'Karasin', 'Karasín', '¶',
];
const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...HOSTILE), { maxLength: 30 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.string({ maxLength: 60, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(10_000), 'word '.repeat(2_000), '🤔'.repeat(5_000), '**'.repeat(5_000), '@everyone '.repeat(1_000), '\\'.repeat(10_000), 'a\u200b'.repeat(5_000)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE), fc.integer({ min: 1, max: 3_000 })).map(([s, n]) => s.repeat(n)) },
);
const nonEmpty = hostile.filter((s) => s.length > 0);

/** Sorted, separate, non-empty `[start, end)` ranges on code point boundaries of `text`. */
function rangesOf(text: string): fc.Arbitrary<Array<[number, number]>> {
  const bounds = [0];
  for (const ch of text) bounds.push(bounds.at(-1)! + ch.length);
  if (bounds.length < 2) return fc.constant([]);
  return fc.uniqueArray(fc.integer({ min: 0, max: bounds.length - 1 }), { maxLength: 8 }).map((picks) => {
    const at = picks.sort((a, b) => a - b).map((i) => bounds[i]!);
    const ranges: Array<[number, number]> = [];
    for (let i = 0; i + 1 < at.length; i += 2) ranges.push([at[i]!, at[i + 1]!]);
    return ranges;
  });
}

const article: fc.Arbitrary<Article> = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9-]{1,30}$/),
    title: nonEmpty,
    source: fc.option(nonEmpty, { nil: undefined }),
    date: fc.option(fc.constantFrom('1997-06-20', '1961', '2023-09', '2024-02-29'), { nil: undefined }),
    texts: fc.array(nonEmpty, { minLength: 1, maxLength: 3 }),
  })
  .map(({ id, title, source, date, texts }) => ({
    id,
    title,
    file: `${id}.md`,
    ...(source !== undefined && { source }),
    ...(date !== undefined && { date }),
    paragraphs: texts.map((text, i): Paragraph => ({ articleId: id, n: i + 1, text, kind: i === 2 ? 'caption' : 'body' })),
  }));

const excerpt: fc.Arbitrary<Excerpt> = fc
  .tuple(article, fc.nat(), nonEmpty, fc.double({ min: 0, max: 1000, noNaN: true }))
  .chain(([a, i, text, score]) =>
    rangesOf(text).map((highlights) => ({ article: a, paragraph: a.paragraphs[i % a.paragraphs.length]!, score, text, highlights })),
  );

const person: fc.Arbitrary<Person> = fc.record({
  name: nonEmpty,
  role: fc.option(nonEmpty, { nil: undefined }),
  articles: fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { minLength: 1, maxLength: 3 }),
  mentions: fc.constant([]),
}).map(({ role, ...p }) => ({ ...p, mentions: [], ...(role !== undefined && { role }) }));

const event: fc.Arbitrary<TimelineEvent> = fc.tuple(excerpt, fc.constantFrom('1961', '1997-06-16'), nonEmpty).map(([e, date, label]) => ({ date, label, excerpt: e }));

const common = {
  query: hostile,
  heading: nonEmpty,
  alternatives: fc.option(fc.array(hostile, { maxLength: 6 }), { nil: undefined }),
  notice: fc.option(nonEmpty, { nil: undefined }),
};
const paged = { total: fc.nat({ max: 10_000 }), page: fc.nat({ max: 3 }), pages: fc.integer({ min: 1, max: 5 }) };
const excerpts = fc.array(excerpt, { maxLength: 8 });

/** Every kind of answer, with arbitrary hostile text in each field. */
const answer: fc.Arbitrary<Answer> = fc
  .oneof(
    fc.record({ kind: fc.constant('search'), command: fc.constantFrom('search', 'treaty'), ...common, ...paged, excerpts }),
    fc.record({ kind: fc.constant('person'), command: fc.constant('who'), ...common, ...paged, excerpts, person: fc.option(person, { nil: undefined }) }),
    fc.record({ kind: fc.constant('timeline'), command: fc.constant('treaty'), ...common, ...paged, events: fc.array(event, { maxLength: 6 }) }),
    fc.record({ kind: fc.constant('quote'), command: fc.constant('quote'), ...common, excerpt, before: fc.option(excerpt, { nil: undefined }), after: fc.option(excerpt, { nil: undefined }) }),
    fc.record({ kind: fc.constant('sources'), command: fc.constant('sources'), ...common, total: fc.nat({ max: 10_000 }), articles: fc.array(article, { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('added'), command: fc.constant('add'), ...common, article, first: excerpt, lines: fc.array(nonEmpty, { maxLength: 3 }) }),
    fc.record({ kind: fc.constant('citation'), command: fc.constant('cite'), ...common, article, style: nonEmpty, reference: hostile, inText: hostile }),
    fc.record({
      kind: fc.constant('check'),
      command: fc.constant('check'),
      ...common,
      total: fc.nat({ max: 5 }),
      claims: fc.array(fc.record({ text: hostile, total: fc.nat({ max: 100 }), excerpts: fc.array(excerpt, { maxLength: 2 }) }), { maxLength: 5 }),
    }),
    fc.record({ kind: fc.constant('help'), command: fc.constant('help'), ...common, lines: fc.array(nonEmpty, { minLength: 1, maxLength: 6 }) }),
    fc.record({ kind: fc.constant('notice'), command: fc.constant('other'), ...common, notice: nonEmpty }),
  )
  .map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as unknown as Answer);

// --- The tests ------------------------------------------------------------------------------

describe('toDiscord on arbitrary answers', () => {
  it('keeps every message within Discord’s limits, as discord.js’s EmbedBuilder accepts it', async () => {
    fc.assert(
      fc.property(answer, (a) => {
        const message = toDiscord(a);
        expect(message.embeds).toHaveLength(1);
        expect(message.embeds[0]!.description?.length).toBeGreaterThan(0);
        expectWithinLimits(message);
      }),
      { numRuns: 100 },
    );
  });

  it('never leaves @everyone, @here or a user, role or channel mention intact', async () => {
    fc.assert(
      fc.property(answer, (a) => {
        for (const s of strings(toDiscord(a))) expect(MENTION.test(s), JSON.stringify(s.match(MENTION)?.[0])).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('does not count "**" inside a code block when it closes bold after a cut (found by the property below)', () => {
    const article = { id: '-', title: '**', file: '-.md', paragraphs: [{ articleId: '-', n: 1, text: '**', kind: 'body' as const }] };
    const cited: Answer = { kind: 'citation', command: 'cite', query: '', heading: '**', alternatives: ['x'.repeat(6000)], article, style: '**', reference: '**', inText: '' };
    const { description } = toDiscord(cited).embeds[0]!;
    expect(description).toMatch(/x…$/);
    expect(boldMarkers(description ?? '') % 2).toBe(0);
  });

  it('leaves no "**" unbalanced, even where a long answer was cut', async () => {
    fc.assert(
      fc.property(answer, (a) => {
        const { title, description } = toDiscord(a).embeds[0]!;
        expect(boldMarkers(title ?? '') % 2).toBe(0);
        expect(boldMarkers(description ?? '') % 2).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});

describe('boldRanges on arbitrary text', () => {
  it('escapes every markdown character of the text and adds only the "**" of the highlights', async () => {
    fc.assert(
      fc.property(
        hostile.chain((text) => fc.tuple(fc.constant(text), rangesOf(text))),
        ([text, ranges]) => {
          const md = boldRanges(text, ranges);
          expect(unescapedMarks(md)).toBe('**'.repeat(2 * ranges.length));
          // Read back, it is the text itself, but for the zero-width space that disarms @everyone.
          const unzwsp = (s: string) => s.replace(/@\u200b/g, '@');
          expect(unzwsp(plain(md))).toBe(unzwsp(text));
          expect(/@(everyone|here)/i.test(md)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts the highlighted words in bold', async () => {
    expect(boldRanges('talks on June 16.', [[0, 5], [9, 16]])).toBe('**talks** on **June 16**.');
    expect(boldRanges('a **b** c', [[2, 7]])).toBe('a **\\*\\*b\\*\\*** c');
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['**bold**', '\\*\\*bold\\*\\*'],
    ['_under_', '\\_under\\_'],
    ['||spoiler||', '\\|\\|spoiler\\|\\|'],
    ['`code`', '\\`code\\`'],
    ['~~strike~~', '\\~\\~strike\\~\\~'],
    ['[a](https://x.org)', '\\[a\\](https://x.org)'],
    ['<@123>', '\\<@123\\>'],
    ['# heading', '\\# heading'],
    ['- list', '\\- list'],
    ['> quote', '\\> quote'],
    ['a\\b', 'a\\\\b'],
    ['@everyone and @here', '@\u200beveryone and @\u200bhere'],
  ])('writes %j as %j', (text, md) => {
    expect(escapeMarkdown(text)).toBe(md);
  });
});

describe('clamp', () => {
  const escaped = hostile.map(escapeMarkdown);

  it('returns text that fits unchanged, and cuts text that does not to at most the limit, marked "…"', async () => {
    fc.assert(
      fc.property(escaped, fc.integer({ min: 1, max: 6_000 }), (text, max) => {
        const cut = clamp(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        if (text.length <= max) expect(cut).toBe(text);
        else expect(cut).toMatch(/…(\*\*)?$/);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a prefix of the text, never splitting a word when there is a space to cut at', async () => {
    fc.assert(
      fc.property(escaped, fc.integer({ min: 10, max: 6_000 }), (text, max) => {
        fc.pre(text.length > max);
        const kept = clamp(text, max).replace(/…(\*\*)?$/, '');
        expect(text.startsWith(kept)).toBe(true);
        expect(LONE_SURROGATE.test(kept)).toBe(false);
        const window = text.slice(0, max - 3);
        if (window.search(/\s\S*$/) > max / 2) expect(/\s/.test(text[kept.length] ?? ' ')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves "**" balanced and no dangling escape backslash', async () => {
    fc.assert(
      fc.property(
        hostile.chain((text) => fc.tuple(fc.constant(text), rangesOf(text))),
        fc.integer({ min: 1, max: 3_000 }),
        ([text, ranges], max) => {
          const cut = clamp(boldRanges(text, ranges), max);
          expect(boldMarkers(cut) % 2).toBe(0);
          expect(/(^|[^\\])(\\\\)*\\…/.test(cut)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('cuts at a space and closes an open bold', async () => {
    expect(clamp('one two three four five six', 20)).toBe('one two three…');
    expect(clamp('aa **bold words here** and more', 18)).toBe('aa **bold words…**');
    expect(clamp('x'.repeat(20), 10)).toBe(`${'x'.repeat(7)}…`);
  });
});

describe('fitMessage on arbitrary messages', () => {
  const field = fc.record({ name: hostile, value: hostile, inline: fc.option(fc.boolean(), { nil: undefined }) }).map(({ inline, ...f }) => ({ ...f, ...(inline !== undefined && { inline }) }));
  const embed: fc.Arbitrary<Embed> = fc
    .record({
      title: fc.option(nonEmpty, { nil: undefined }),
      description: fc.option(nonEmpty, { nil: undefined }),
      color: fc.option(fc.integer({ min: 0, max: 0xffffff }), { nil: undefined }),
      fields: fc.option(fc.array(field, { maxLength: 30 }), { nil: undefined }),
      footer: fc.option(nonEmpty.map((text) => ({ text })), { nil: undefined }),
    })
    .map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as Embed);
  const message: fc.Arbitrary<Message> = fc
    .record({ content: fc.option(hostile, { nil: undefined }), embeds: fc.array(embed, { minLength: 1, maxLength: 14 }) })
    .map(({ content, embeds }) => ({ ...(content !== undefined && { content }), embeds }));

  it('brings every message within the limits, as discord.js’s EmbedBuilder accepts it', async () => {
    fc.assert(
      fc.property(message, (m) => {
        const fitted = fitMessage(m);
        expect(fitted.embeds.length).toBeGreaterThan(0);
        expectWithinLimits(fitted);
      }),
      { numRuns: 100 },
    );
  });

  it('leaves a message that fits as it is', async () => {
    const m: Message = { content: 'hi', embeds: [{ title: 't', description: 'd', fields: [{ name: 'n', value: 'v' }], footer: { text: 'f' } }] };
    expect(fitMessage(m)).toEqual(m);
  });

  it('keeps the first embed and drops whole embeds beyond 6000 characters', async () => {
    const big = { description: 'word '.repeat(800).trim() };
    const fitted = fitMessage({ embeds: [big, big, big] });
    expect(fitted.embeds.length).toBe(1);
    expect(fitted.embeds[0]).toEqual(big);
  });
});

describe('Discord and terminal renderings of real answers', () => {
  const answers = (): Answer[] => [
    engine.search('What did Brzezinski say about North Korea?'),
    engine.search('talks on June 16'),
    engine.search('Vostochny Cosmodrome'),
    engine.who('Karasin'),
    engine.who('Smith'),
    engine.treaty('1961'),
    engine.treaty(''),
    engine.sources(),
    engine.search(''),
  ];

  it('fit Discord’s limits and discord.js’s builders', async () => {
    for (const a of answers()) expectWithinLimits(toDiscord(a));
  });

  it('show the same excerpt text and citation line', async () => {
    for (const a of answers()) {
      const discord = plain(toDiscord(a).embeds[0]!.description!);
      const terminal = toTerminal(a);
      for (const e of excerptsOf(a)) {
        const { title, rest } = citationParts(e);
        const citation = `— ${title} · ${rest}`;
        expect(discord).toContain(e.text);
        expect(terminal).toContain(`“${e.text}”`);
        expect(discord).toContain(citation);
        expect(terminal).toContain(citation);
      }
    }
  });

  it('cite title, source, date and paragraph', async () => {
    const description = toDiscord(engine.search('talks on June 16')).embeds[0]!.description!;
    expect(description).toContain('— *Russia: Moscow And North Korea To Sign Weaker Basic Treaty* · RFE/RL · 20 June 1997 · ¶3');
    expect(toTerminal(engine.search('talks on June 16'))).toContain('    — Russia: Moscow And North Korea To Sign Weaker Basic Treaty · RFE/RL · 20 June 1997 · ¶3');
    expect(toTerminal(engine.search('Vostochny'))).toContain('· ¶12 (photo caption)');
  });

  it('show the heading, the count and the person’s role alike', async () => {
    const who = engine.who('Karasin');
    const discord = plain([toDiscord(who).embeds[0]!.title, toDiscord(who).embeds[0]!.description].join('\n'));
    const terminal = toTerminal(who);
    for (const line of ['Grigory Karasin', 'Russian Deputy Foreign Minister', '2 matching paragraphs']) {
      expect(discord).toContain(line);
      expect(terminal).toContain(line);
    }
  });

  it('bold the highlights in Discord, and in the terminal only with colour', async () => {
    const a = engine.search('talks on June 16');
    expect(toDiscord(a).embeds[0]!.description).toContain('**talks** on **June 16**');
    expect(toTerminal(a, { color: true })).toContain('\x1b[1mtalks\x1b[22m on \x1b[1mJune 16\x1b[22m');
    expect(toTerminal(a)).not.toContain('\x1b[');
  });
});

describe('quoted text with markdown in it', () => {
  it('is escaped: "**", "||", "`", "~~", links and headings in an article show as written', async () => {
    for (const query of ['moderators bold rules', 'spoiler tags inline code strikethrough', 'linked rules heading backslash']) {
      const a = forum.search(query);
      expect(a.excerpts.length).toBeGreaterThan(0);
      const e = a.excerpts[0]!;
      const block = quoteBlock(e);
      // Only our own markup is unescaped: the quote mark, the bold of highlights, the italic title.
      expect(unescapedMarks(block)).toBe(`>${'**'.repeat(2 * e.highlights.length)}**`);
      const description = toDiscord(a).embeds[0]!.description!;
      expect(description).toContain(block);
    }
  });

  it('never pings: @everyone, @here and <@…> from an article are disarmed', async () => {
    const a = forum.search('moderators pinging');
    const message = toDiscord(a);
    for (const s of strings(message)) expect(MENTION.test(s)).toBe(false);
    expect(message.embeds[0]!.description).toContain('@\u200beveryone');
    expect(message.embeds[0]!.description).toContain('\\<@123456789012345678\\>');
  });

  it('escapes markdown in titles and sources of the citation', async () => {
    const description = toDiscord(forum.search('moderators')).embeds[0]!.description!;
    expect(description).toContain('— *Moderators \\*warn\\* about \\*\\*spoilers\\*\\* and \\_pings\\_* · The \\<Example\\> Forum · 29 February 2024 · ¶1');
  });
});

describe('citations of a document with pages', () => {
  it('give the page with the paragraph, and mark a footnote as one', async () => {
    const article = await readArticle({ file: 'journal.pdf', bytes: await journalPdf() });
    const paged = new Engine({ dir: '.', articles: [article], warnings: [] });
    expect(toTerminal(paged.search('weaker basic treaty consultations'))).toContain(`— ${TITLE} · p. 1, ¶3`);
    expect(toDiscord(paged.search('Friendship Co-operation Mutual Assistance')).embeds[0]!.description).toContain(`*${TITLE}* · p. 1, ¶9 (footnote 1)`);
  });
});
