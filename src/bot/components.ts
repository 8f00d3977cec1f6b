// The buttons and menus under a reply, as Discord's own JSON. Their custom ids are
// `fn:<action>:<args>`, at most 100 characters (Discord's limit), and carry a session id rather
// than the query itself. Lengths are fitted here, so discord.js's builders (and the cost of
// their validation on every reply) are not needed.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIStringSelectComponent,
  type TopLevelComponent,
} from 'discord.js';
import { clamp } from '../render/limits.js';
import { excerptsOf, pageOf } from '../answer.js';
import type { Answer } from '../types.js';
import type { Session } from './sessions.js';

export const PREFIX = 'fn';
const MAX_ID = 100;
type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

export function customId(...parts: Array<string | number>): string {
  const id = [PREFIX, ...parts].join(':');
  if (id.length > MAX_ID) throw new Error(`components: custom id longer than ${MAX_ID} characters: ${id}`);
  return id;
}

function button(id: string, label: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger, disabled = false): APIButtonComponent {
  return { type: ComponentType.Button, custom_id: id, label, style, disabled };
}

function row(...components: APIComponentInMessageActionRow[]): Row {
  return { type: ComponentType.ActionRow, components };
}

/** Pages, sharing and "full paragraph" for a browsable answer. */
export function browseRows(answer: Answer, session: Session, disabled = false): Row[] {
  const rows: Row[] = [];
  const { page, pages } = pageOf(answer);
  const buttons: APIButtonComponent[] = [];
  if (pages > 1) {
    buttons.push(
      button(customId('page', session.id, page - 1), '‹ Prev', ButtonStyle.Secondary, disabled || page === 0),
      button(customId('page', session.id, page + 1), 'Next ›', ButtonStyle.Secondary, disabled || page >= pages - 1),
    );
  }
  // Share and the menu say which page they are on: a private reply and its shared copy can show different pages.
  if (session.privately) buttons.push(button(customId('share', session.id, page), 'Share in channel', ButtonStyle.Primary, disabled));
  if (buttons.length) rows.push(row(...buttons));
  const excerpts = excerptsOf(answer).slice(0, 25);
  if (excerpts.length) {
    const menu: APIStringSelectComponent = {
      type: ComponentType.StringSelect,
      custom_id: customId('full', session.id, page),
      placeholder: 'Full paragraph with its context…',
      disabled,
      options: excerpts.map((e, i) => ({
        label: clamp(`¶${e.paragraph.n} · ${e.article.title}`, 100),
        description: clamp(e.text, 100),
        // Which excerpt of the page, and its paragraph number to check it is still the same one;
        // an article id could pass the 100-character limit.
        value: `${i}:${e.paragraph.n}`,
      })),
    };
    rows.push(row(menu));
  }
  return rows;
}

/** The Cite button under the Full paragraph view of excerpt `i` (paragraph `n`) of a reply's page. */
export function citeRows(sessionId: string, page: number, i: number, n: number): Row[] {
  return [row(button(customId('cite', sessionId, page, i, n), 'Cite', ButtonStyle.Secondary))];
}

/** Confirm and cancel buttons for an answer that asks for confirmation. */
export function confirmRows(answer: Answer, command: string): Row[] {
  if (answer.kind !== 'notice' || !answer.confirm) return [];
  return [row(button(customId('confirm', command, answer.confirm.id), answer.confirm.label, ButtonStyle.Danger), button(customId('cancel'), 'Cancel', ButtonStyle.Secondary))];
}

/** The same rows with every component disabled: what an expired reply shows. */
export function disabledRows(components: readonly TopLevelComponent[]): Row[] {
  return components.flatMap((r) => {
    const json = r.toJSON() as { components?: APIComponentInMessageActionRow[] };
    return json.components ? [row(...json.components.map((c) => ({ ...c, disabled: true })))] : [];
  });
}
