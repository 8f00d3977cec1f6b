// The dated events of the corpus: each sentence that gives a date, placed on a timeline. A day
// and month without a year take the year of the article's own date, shown in brackets as an
// editor would; a date written relative to the article's ("three days ago", "last month", "on
// Monday") is resolved against that date and shown with the words quoted. Without the article's
// date neither is placed: nothing is guessed.
import { findDates, findRelativeDates, formatIso, toIso } from './dates.js';
import { sentences } from './text.js';
import type { Article, Paragraph, TimelineEvent } from './types.js';

/** A date found in a sentence: sortable, as shown, and where its words are. */
interface Dated {
  date: string;
  label: string;
  index: number;
  length: number;
}

/** The dates one sentence gives, written out or relative to the article's date. */
function datesIn(sentence: string, article: Article): Dated[] {
  const published = article.date ? Number(article.date.slice(0, 4)) : undefined;
  const written = findDates(sentence).flatMap((d): Dated[] => {
    const year = d.year ?? published;
    if (year === undefined) return [];
    const date = toIso({ year, month: d.month, day: d.day });
    const label = d.year === undefined ? formatIso(date).replace(String(year), `[${year}]`) : formatIso(date);
    return [{ date, label, index: d.index, length: d.length }];
  });
  const relative = findRelativeDates(sentence, article.date)
    .filter((r) => !written.some((w) => r.index < w.index + w.length && w.index < r.index + r.length))
    .map((r) => ({ date: r.iso, label: `${formatIso(r.iso)} (“${r.words}”)`, index: r.index, length: r.length }));
  return [...written, ...relative].sort((a, b) => a.index - b.index);
}

export function timeline(articles: readonly Article[], accept: (p: Paragraph) => boolean): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const article of articles) {
    for (const paragraph of article.paragraphs.filter(accept)) {
      const seen = new Set<string>();
      for (const [s, e] of sentences(paragraph.text)) {
        const sentence = paragraph.text.slice(s, e);
        for (const d of datesIn(sentence, article)) {
          if (seen.has(d.date)) continue;
          seen.add(d.date);
          const text = `${s > 0 ? '… ' : ''}${sentence}${e < paragraph.text.trimEnd().length ? ' …' : ''}`;
          const at = text.indexOf(sentence) + d.index;
          events.push({ date: d.date, label: d.label, excerpt: { article, paragraph, score: 0, text, highlights: [[at, at + d.length]] } });
        }
      }
    }
  }
  return events.sort((a, b) => a.date.localeCompare(b.date));
}
