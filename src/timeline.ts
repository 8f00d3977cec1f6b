// The dated events of the corpus: each sentence that gives a date, placed on a timeline. A day
// and month without a year take the year of the article's own date, shown in brackets as an
// editor would, and are left out when the article has no date.
import { findDates, formatIso, toIso } from './dates.js';
import { sentences } from './text.js';
import type { Article, Paragraph, TimelineEvent } from './types.js';

export function timeline(articles: readonly Article[], accept: (p: Paragraph) => boolean): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const article of articles) {
    const published = article.date ? Number(article.date.slice(0, 4)) : undefined;
    for (const paragraph of article.paragraphs.filter(accept)) {
      const seen = new Set<string>();
      for (const [s, e] of sentences(paragraph.text)) {
        const sentence = paragraph.text.slice(s, e);
        for (const d of findDates(sentence)) {
          const year = d.year ?? published;
          if (year === undefined) continue;
          const date = toIso({ year, month: d.month, day: d.day });
          if (seen.has(date)) continue;
          seen.add(date);
          const label = d.year === undefined ? formatIso(date).replace(String(year), `[${year}]`) : formatIso(date);
          const text = `${s > 0 ? '… ' : ''}${sentence}${e < paragraph.text.trimEnd().length ? ' …' : ''}`;
          const at = text.indexOf(sentence) + d.index;
          events.push({ date, label, excerpt: { article, paragraph, score: 0, text, highlights: [[at, at + d.length]] } });
        }
      }
    }
  }
  return events.sort((a, b) => a.date.localeCompare(b.date));
}
