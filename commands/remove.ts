import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { cannotManage, refusal } from './add.js';
import { articleChoices } from './quote.js';
import { text, type Command } from './types.js';

export const removeCommand = {
  data: new SlashCommandBuilder()
    .setName('remove')
    .setDescription("Remove an article this server added")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) => o.setName('article').setDescription('The article (start typing its title)').setRequired(true).setAutocomplete(true)),
  example: '/remove article:Week 7 reading',
  ephemeral: true,
  execute: (input, ctx) => {
    const denied = cannotManage(ctx);
    if (denied) return refusal('remove', 'Not removed', denied);
    const article = ctx.engine.findArticle(text(input, 'article'));
    if (!article || article.guildId !== ctx.scope) {
      return refusal('remove', 'Not removed', 'Only articles added to this server with /add can be removed; pick one from the list.');
    }
    return {
      kind: 'notice',
      command: 'remove',
      query: article.id,
      heading: `Remove “${article.title}”?`,
      notice: `${article.paragraphs.length === 1 ? 'Its one paragraph' : `Its ${article.paragraphs.length} paragraphs`} will no longer be quoted here. This cannot be undone.`,
      confirm: { id: article.id, label: 'Remove' },
    };
  },
  confirm: async (id, ctx) => {
    const denied = cannotManage(ctx);
    if (denied) return refusal('remove', 'Not removed', denied);
    const article = await ctx.library!.remove(ctx.scope!, id);
    if (!article) return refusal('remove', 'Not removed', 'That article is no longer here.');
    return refusal('remove', `Removed “${article.title}”`, 'It will no longer be quoted in this server.');
  },
  autocomplete: (_option, typed, ctx) => articleChoices(typed, ctx, true),
} satisfies Command;
