// An `Answer` as a Discord message: one embed that quotes each excerpt with its query words in
// bold and its citation under it. Plain data (Discord's own field names), so the engine stays
// free of discord.js; the bot adapter sends it as it is.
import type { Answer, Excerpt } from '../types.js';
import { alternativesLine, articleLine, citationParts, countLine, otherRoles, pageLine } from './citation.js';
import { LIMITS, fitMessage, type Embed, type Message } from './limits.js';
import { boldRanges, codeBlock, escapeMarkdown } from './markdown.js';

const COLORS: Record<Answer['kind'], number> = {
  search: 0x5865f2,
  person: 0x57f287,
  timeline: 0xfee75c,
  quote: 0x5865f2,
  sources: 0xeb459e,
  added: 0xeb459e,
  citation: 0x99aab5,
  check: 0xed4245,
  help: 0x99aab5,
  notice: 0x99aab5,
};
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

/** The count in bold, unless nothing was found and the notice already says so. */
function count(answer: Answer, total: number, unit: string, shown?: number, page?: number): string[] {
  return total === 0 && answer.notice ? [] : [`**${countLine(total, unit, shown, page)}**`];
}

// Context around a quoted paragraph is dimmed: smaller, in italics, so the quote stands out.
const dim = (e: Excerpt) => `-# *¶${e.paragraph.n}: ${escapeMarkdown(e.text)}*`;

/** What goes above the quotes (`head`) and the quotes themselves, one block each. */
function body(answer: Answer): { head: string[]; blocks: string[] } {
  const notice = answer.notice ? [escapeMarkdown(answer.notice)] : [];
  switch (answer.kind) {
    case 'search':
      return { head: [...notice, ...count(answer, answer.total, 'matching paragraph', answer.excerpts.length, answer.page)], blocks: answer.excerpts.map((e) => quoteBlock(e)) };
    case 'person': {
      const p = answer.person;
      const others = p ? otherRoles(p) : [];
      const card = p
        ? [
            p.role ? `**${escapeMarkdown(p.role)}**` : '*No role is given in the articles.*',
            ...(others.length ? [`Also: ${others.map((r) => `*${escapeMarkdown(r)}*`).join('; ')}`] : []),
            `Appears in: ${p.articles.map((id) => `*${escapeMarkdown(answer.excerpts.find((e) => e.article.id === id)?.article.title ?? id)}*`).join(', ')}`,
          ]
        : [];
      return { head: [...card, ...notice, ...count(answer, answer.total, 'matching paragraph', answer.excerpts.length, answer.page)], blocks: answer.excerpts.map((e) => quoteBlock(e)) };
    }
    case 'timeline':
      return { head: [...notice, ...count(answer, answer.total, 'dated event', answer.events.length, answer.page)], blocks: answer.events.map((ev) => quoteBlock(ev.excerpt, ev.label)) };
    case 'quote':
      return { head: notice, blocks: [...(answer.before ? [dim(answer.before)] : []), quoteBlock(answer.excerpt), ...(answer.after ? [dim(answer.after)] : [])] };
    case 'sources':
      return {
        head: [...notice, ...count(answer, answer.total, 'article')],
        blocks: answer.articles.map((a, i) => `${i + 1}. *${escapeMarkdown(a.title)}*\n${escapeMarkdown(articleLine(a))}`),
      };
    case 'added':
      return { head: [...notice, ...answer.lines.map(escapeMarkdown)], blocks: [quoteBlock(answer.first)] };
    case 'citation':
      return {
        head: [...notice, `**${escapeMarkdown(answer.style)}**`],
        blocks: [`Reference list:\n${codeBlock(answer.reference)}`, `In the text:\n${codeBlock(answer.inText)}`],
      };
    case 'check':
      return {
        head: [...notice, ...count(answer, answer.total, 'claim')],
        blocks: answer.claims.flatMap((claim, i) => [
          `**${i + 1}.** “${escapeMarkdown(claim.text)}”`,
          ...(claim.excerpts.length ? claim.excerpts.map((e) => quoteBlock(e)) : ['*No paragraph of the articles concerns this.*']),
        ]),
      };
    case 'help':
      return { head: [...notice, ...answer.lines.map(escapeMarkdown)], blocks: [] };
    case 'notice':
      return { head: notice, blocks: [] };
  }
}

export function toDiscord(answer: Answer): Message {
  const { head, blocks } = body(answer);
  const alternatives = alternativesLine(answer, escapeMarkdown);
  const embed: Embed = {
    title: escapeMarkdown(answer.heading),
    description: fill(head, blocks, alternatives ? [alternatives] : []),
    color: COLORS[answer.kind],
    footer: { text: [pageLine(answer), FOOTER].filter(Boolean).join(' · ') },
  };
  return fitMessage({ embeds: [embed] });
}
