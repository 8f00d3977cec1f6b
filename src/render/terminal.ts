// An `Answer` as terminal text: the same heading, count, quotes and citations as the Discord
// reply, with bold as an ANSI escape when the terminal shows it.
import type { Answer, Excerpt, Person } from '../types.js';
import { alternativesLine, articleLine, citationParts, countLine, otherRoles, pageLine } from './citation.js';

type Style = (s: string) => string;

function quote(e: Excerpt, bold: Style, label?: string): string {
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

/** The count, unless nothing was found and the notice already says so. */
function count(answer: Answer, total: number, unit: string, shown?: number, page?: number): string[] {
  return total === 0 && answer.notice ? [] : [countLine(total, unit, shown, page)];
}

/** The role on the card, and the roles other articles give the person. */
function personLines(p: Person): string[] {
  const others = otherRoles(p);
  return [p.role ?? 'No role is given in the articles.', ...(others.length ? [`Also: ${others.join('; ')}`] : [])];
}

const context = (e: Excerpt | undefined) => (e ? [`  ¶${e.paragraph.n}: ${e.text}`] : []);

/** The lines above the quotes, and the quotes. */
function body(answer: Answer, bold: Style): { head: string[]; blocks: string[] } {
  const notice = answer.notice ? [answer.notice] : [];
  switch (answer.kind) {
    case 'search':
      return { head: [...notice, ...count(answer, answer.total, 'matching paragraph', answer.excerpts.length, answer.page)], blocks: answer.excerpts.map((e) => quote(e, bold)) };
    case 'person':
      return {
        head: [...(answer.person ? personLines(answer.person) : []), ...notice, ...count(answer, answer.total, 'matching paragraph', answer.excerpts.length, answer.page)],
        blocks: answer.excerpts.map((e) => quote(e, bold)),
      };
    case 'timeline':
      return { head: [...notice, ...count(answer, answer.total, 'dated event', answer.events.length, answer.page)], blocks: answer.events.map((ev) => quote(ev.excerpt, bold, ev.label)) };
    case 'quote':
      return { head: notice, blocks: [...context(answer.before), quote(answer.excerpt, bold), ...context(answer.after)] };
    case 'sources':
      return { head: [...notice, ...count(answer, answer.total, 'article')], blocks: answer.articles.map((a, i) => `  ${i + 1}. ${a.title}\n     ${articleLine(a)}`) };
    case 'added':
      return { head: [...notice, ...answer.lines], blocks: [quote(answer.first, bold)] };
    case 'citation':
      return { head: [...notice, answer.style], blocks: [`Reference list:\n  ${answer.reference}`, `In the text:\n  ${answer.inText}`] };
    case 'check':
      return {
        head: [...notice, ...count(answer, answer.total, 'claim')],
        blocks: answer.claims.map((claim, i) =>
          [`${bold(`${i + 1}.`)} “${claim.text}”`, ...(claim.excerpts.length ? claim.excerpts.map((e) => quote(e, bold)) : ['  No paragraph of the articles concerns this.'])].join('\n'),
        ),
      };
    case 'help':
      return { head: [...notice, ...answer.lines], blocks: [] };
    case 'notice':
      return { head: notice, blocks: [] };
  }
}

export function toTerminal(answer: Answer, { color = false } = {}): string {
  const bold: Style = color ? (s) => `\x1b[1m${s}\x1b[22m` : (s) => s;
  const { head, blocks } = body(answer, bold);
  const alternatives = alternativesLine(answer);
  const page = pageLine(answer);
  const lines = [bold(answer.heading), ...head, '', ...blocks, ...(alternatives ? ['', alternatives] : []), ...(page ? ['', page] : [])];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}
