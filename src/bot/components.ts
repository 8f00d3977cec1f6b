// The buttons and menus under a reply. Their custom ids are `fn:<action>:<args>`, at most 100
// characters (Discord's limit), and carry a session id rather than the query itself.
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  StringSelectMenuBuilder,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type MessageActionRowComponentBuilder,
  type TopLevelComponent,
} from 'discord.js';
import { clamp } from '../render/limits.js';
import type { Answer } from '../types.js';
import type { Session } from './sessions.js';

export const PREFIX = 'fn';
type Row = ActionRowBuilder<MessageActionRowComponentBuilder>;

export function customId(...parts: Array<string | number>): string {
  return [PREFIX, ...parts].join(':');
}

/** Pages, sharing and "full paragraph" for a browsable answer. */
export function browseRows(answer: Answer, session: Session, disabled = false): Row[] {
  const rows: Row[] = [];
  const page = answer.page ?? 0;
  const pages = answer.pages ?? 1;
  const buttons: ButtonBuilder[] = [];
  if (pages > 1) {
    buttons.push(
      new ButtonBuilder().setCustomId(customId('page', session.id, page - 1)).setLabel('‹ Prev').setStyle(ButtonStyle.Secondary).setDisabled(disabled || page === 0),
      new ButtonBuilder().setCustomId(customId('page', session.id, page + 1)).setLabel('Next ›').setStyle(ButtonStyle.Secondary).setDisabled(disabled || page >= pages - 1),
    );
  }
  if (session.privately) {
    buttons.push(new ButtonBuilder().setCustomId(customId('share', session.id)).setLabel('Share in channel').setStyle(ButtonStyle.Primary).setDisabled(disabled));
  }
  if (buttons.length) rows.push(new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(buttons));
  const excerpts = answer.excerpts.slice(0, 25);
  if (excerpts.length) {
    const menu = new StringSelectMenuBuilder()
      .setCustomId(customId('full', session.id))
      .setPlaceholder('Full paragraph with its context…')
      .setDisabled(disabled)
      .addOptions(
        excerpts.map((e, i) => ({
          label: clamp(`¶${e.paragraph.n} · ${e.article.title}`, 100),
          description: clamp(e.text, 100),
          // The index keeps values unique when one paragraph is shown twice (two timeline dates).
          value: clamp(`${i}:${e.paragraph.n}:${e.article.id}`, 100),
        })),
      );
    rows.push(new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(menu));
  }
  return rows;
}

/** Confirm and cancel buttons for an answer that asks for confirmation. */
export function confirmRows(answer: Answer, command: string): Row[] {
  if (!answer.confirm) return [];
  return [
    new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
      new ButtonBuilder().setCustomId(clamp(customId('confirm', command, answer.confirm.id), 100)).setLabel(answer.confirm.label).setStyle(ButtonStyle.Danger),
      new ButtonBuilder().setCustomId(customId('cancel')).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
    ),
  ];
}

/** The same rows with every component disabled: what an expired reply shows. */
export function disabledRows(components: readonly TopLevelComponent[]): Array<APIActionRowComponent<APIComponentInMessageActionRow>> {
  return components.flatMap((row) => {
    const json = row.toJSON() as { type: number; components?: APIComponentInMessageActionRow[] };
    return json.components ? [{ ...json, type: 1 as const, components: json.components.map((c) => ({ ...c, disabled: true })) }] : [];
  });
}
