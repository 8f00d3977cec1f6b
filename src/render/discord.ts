// An `Answer` as a Discord message: one embed that quotes each excerpt with its query words in
// bold and its citation under it. Plain data (Discord's own field names), so the engine stays
// free of discord.js; the bot adapter sends it as it is.
import type { Answer, Excerpt } from '../types.js';
import { articleLine, citationParts, countLine, otherRoles, pageLine } from './citation.js';
import { LIMITS, fitMessage, type Embed, type Message } from './limits.js';
import { boldRanges, escapeMarkdown } from './markdown.js';

const COLORS: Record<string, number> = { search: 0x5865f2, who: 0x57f287, treaty: 0xfee75c, sources: 0xeb459e, help: 0x99aab5 };
const FOOTER = 'Footnote · quoted verbatim from the articles · ¶ = paragraph number';

/** An excerpt as a block quote with its citation underneath. */
export function quoteBlock(e: Excerpt, label?: string): string {
  const { title, rest } = citationParts(e);
  const quote = `> ${label ? `**${escapeMarkdown(label)}** · ` : ''}${boldRanges(e.text, e.highlights)}`;
  return `${quote}\n— *${escapeMarkdown(title)}* · ${escapeMarkdown(rest)}`;
}

/** Blocks joined until the description is full; what does not fit is counted, not cut in half. */
function fill(head: string[], blocks: string[], tail: string[]): string {
  const budget = LIMITS.description - 200;
  const out = [...head];
  let used = out.join('\n\n').length + tail.join('\n\n').length;
  let shown = 0;
  for (const block of blocks) {
    if (used + block.length + 2 > budget && shown > 0) break;
    out.push(block);
    used += block.length + 2;
    shown++;
  }
  if (shown < blocks.length) out.push(`*…and ${blocks.length - shown} more not shown here.*`);
  return [...out, ...tail].join('\n\n');
}

function personLines(answer: Answer): string[] {
  const p = answer.person;
  if (!p) return [];
  const role = p.role ? `**${escapeMarkdown(p.role)}**` : '*No role is given in the articles.*';
  const titles = p.articles.map((id) => answer.excerpts.find((e) => e.article.id === id)?.article.title ?? id);
  const others = otherRoles(p);
  return [role, ...(others.length ? [`Also: ${others.map((r) => `*${escapeMarkdown(r)}*`).join('; ')}`] : []), `Appears in: ${titles.map((t) => `*${escapeMarkdown(t)}*`).join(', ')}`];
}

export function toDiscord(answer: Answer): Message {
  const head = [
    ...personLines(answer),
    ...(answer.notice ? [escapeMarkdown(answer.notice)] : []),
    ...(answer.lines ?? []).map(escapeMarkdown),
    ...(answer.lines || answer.context || (answer.total === 0 && answer.notice) ? [] : [`**${countLine(answer)}**`]),
  ];
  const { before, after } = answer.context ?? {};
  // Context around a quoted paragraph is dimmed: smaller, in italics, so the quote stands out.
  const dim = (e: Excerpt) => `-# *¶${e.paragraph.n}: ${escapeMarkdown(e.text)}*`;
  const blocks = answer.context
    ? [...(before ? [dim(before)] : []), ...answer.excerpts.map((e) => quoteBlock(e)), ...(after ? [dim(after)] : [])]
    : answer.events
    ? answer.events.map((ev) => quoteBlock(ev.excerpt, ev.label))
    : answer.articles
      ? answer.articles.map((a, i) => `${i + 1}. *${escapeMarkdown(a.title)}*\n${escapeMarkdown(articleLine(a))}`)
      : answer.excerpts.map((e) => quoteBlock(e));
  const tail = answer.alternatives?.length
    ? [`${answer.person ? 'Did you mean' : 'Closest names'}: ${answer.alternatives.map(escapeMarkdown).join(', ')}?`]
    : [];
  const embed: Embed = {
    title: escapeMarkdown(answer.heading),
    description: fill(head, blocks, tail),
    color: COLORS[answer.command] ?? COLORS.help!,
    footer: { text: [pageLine(answer), FOOTER].filter(Boolean).join(' · ') },
  };
  return fitMessage({ embeds: [embed] });
}
