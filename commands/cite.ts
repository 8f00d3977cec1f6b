import { SlashCommandBuilder } from 'discord.js';
import { noSuchParagraph } from '../src/answer.js';
import { cite, isStyle, STYLES } from '../src/cite.js';
import type { NoticeAnswer } from '../src/types.js';
import { articleChoices } from './quote.js';
import { text, type Command } from './types.js';

export const citeCommand = {
  data: new SlashCommandBuilder()
    .setName('cite')
    .setDescription("An article's reference in APA, MLA or Chicago style, to copy into your writing")
    .addStringOption((o) => o.setName('article').setDescription('The article (start typing its title)').setRequired(true).setAutocomplete(true))
    .addStringOption((o) =>
      o
        .setName('style')
        .setDescription('The citation style (APA when not given)')
        .addChoices(...Object.entries(STYLES).map(([value, style]) => ({ name: style.name, value }))),
    )
    .addIntegerOption((o) => o.setName('paragraph').setDescription('The paragraph (¶) to cite, as the locator').setMinValue(1).setMaxValue(10_000)),
  example: '/cite article:Experts say concerns style:MLA paragraph:3',
  execute: (input, ctx) => {
    const typed = text(input, 'article');
    const article = ctx.engine.findArticle(typed);
    const refused = (notice: string): NoticeAnswer => ({ kind: 'notice', command: 'cite', query: typed, heading: 'Cite', notice });
    if (!article) return refused(`No article matches “${typed}”. Use /sources to see them.`);
    const style = text(input, 'style').toLowerCase() || 'apa';
    if (!isStyle(style)) return refused(`There is no citation style “${style}”: choose APA, MLA or Chicago.`);
    const n = input.paragraph === undefined ? undefined : Number(input.paragraph);
    if (n !== undefined && !article.paragraphs[n - 1]) return refused(noSuchParagraph(article, n));
    return cite(article, style, n);
  },
  autocomplete: (_option, typed, ctx) => articleChoices(typed, ctx),
} satisfies Command;
