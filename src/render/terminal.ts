// An `Answer` as terminal text: the same heading, count, quotes and citations as the Discord
// reply, with bold as an ANSI escape when the terminal shows it.
import type { Answer, Excerpt } from '../types.js';
import { articleLine, citationParts, countLine, otherRoles, pageLine } from './citation.js';

function quote(e: Excerpt, bold: (s: string) => string, label?: string): string {
  let text = '';
  let at = 0;
  for (const [s, end] of e.highlights) {
    text += e.text.slice(at, s) + bold(e.text.slice(s, end));
    at = end;
  }
  text += e.text.slice(at);
  const { title, rest } = citationParts(e);
  return `  ${label ? `${bold(label)} · ` : ''}“${text}”\n    — ${title} · ${rest}`;
}

export function toTerminal(answer: Answer, { color = false } = {}): string {
  const bold = color ? (s: string) => `\x1b[1m${s}\x1b[22m` : (s: string) => s;
  const p = answer.person;
  const lines = [
    bold(answer.heading),
    ...(p ? [p.role ?? 'No role is given in the articles.', ...(otherRoles(p).length ? [`Also: ${otherRoles(p).join('; ')}`] : [])] : []),
    ...(answer.notice ? [answer.notice] : []),
    ...(answer.lines ?? []),
    ...(answer.lines || answer.context || (answer.total === 0 && answer.notice) ? [] : [countLine(answer)]),
    '',
    ...(answer.context
      ? [
          ...(answer.context.before ? [`  ¶${answer.context.before.paragraph.n}: ${answer.context.before.text}`] : []),
          ...answer.excerpts.map((e) => quote(e, bold)),
          ...(answer.context.after ? [`  ¶${answer.context.after.paragraph.n}: ${answer.context.after.text}`] : []),
        ]
      : answer.events
      ? answer.events.map((ev) => quote(ev.excerpt, bold, ev.label))
      : answer.articles
        ? answer.articles.map((a, i) => `  ${i + 1}. ${a.title}\n     ${articleLine(a)}`)
        : answer.excerpts.map((e) => quote(e, bold))),
    ...(answer.alternatives?.length ? ['', `${p ? 'Did you mean' : 'Closest names'}: ${answer.alternatives.join(', ')}?`] : []),
    ...(pageLine(answer) ? ['', pageLine(answer)!] : []),
  ];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}
