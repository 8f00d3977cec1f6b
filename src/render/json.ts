// An `Answer` as one JSON object, for scripts and the evaluation (`npm run ask -- --json`).
import type { Answer, Excerpt } from '../types.js';

function result(e: Excerpt) {
  const { article, paragraph } = e;
  return {
    text: paragraph.text,
    article: article.id,
    title: article.title,
    source: article.source ?? null,
    date: article.date ?? null,
    paragraph: paragraph.n,
    page: paragraph.page ?? null,
    kind: paragraph.kind,
    score: e.score,
    excerpt: e.text,
  };
}

export function toJson(answer: Answer) {
  const { person } = answer;
  return {
    command: answer.command,
    query: answer.query,
    total: answer.total,
    results: answer.excerpts.map(result),
    ...(person && {
      person: {
        name: person.name,
        role: person.role ?? null,
        articles: person.articles,
        mentions: person.mentions.length,
      },
    }),
    ...(answer.alternatives && { alternatives: answer.alternatives }),
    ...(answer.events && { events: answer.events.map((ev) => ({ ...result(ev.excerpt), when: ev.date, label: ev.label })) }),
    ...(answer.articles && {
      articles: answer.articles.map((a) => ({ id: a.id, title: a.title, source: a.source ?? null, date: a.date ?? null, paragraphs: a.paragraphs.length })),
    }),
    ...(answer.lines && { lines: answer.lines }),
    ...(answer.notice && { notice: answer.notice }),
  };
}
