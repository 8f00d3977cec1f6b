// An `Answer` as one JSON object, for scripts and the evaluation (`npm run ask -- --json`).
import type { Answer, Article, Excerpt } from '../types.js';

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

function source(a: Article) {
  return { id: a.id, title: a.title, source: a.source ?? null, date: a.date ?? null, paragraphs: a.paragraphs.length };
}

/** What only this kind of answer has; `total` is there only for the kinds that count something. */
function body(answer: Answer) {
  switch (answer.kind) {
    case 'search':
      return { total: answer.total, results: answer.excerpts.map(result) };
    case 'person': {
      const { person } = answer;
      return {
        total: answer.total,
        results: answer.excerpts.map(result),
        ...(person && { person: { name: person.name, role: person.role ?? null, ...(person.roles && { roles: person.roles }), articles: person.articles, mentions: person.mentions.length } }),
      };
    }
    case 'timeline':
      return { total: answer.total, results: answer.events.map((ev) => result(ev.excerpt)), events: answer.events.map((ev) => ({ ...result(ev.excerpt), when: ev.date, label: ev.label })) };
    case 'quote':
      return { results: [result(answer.excerpt)], ...(answer.before && { before: result(answer.before) }), ...(answer.after && { after: result(answer.after) }) };
    case 'sources':
      return { total: answer.total, results: [], articles: answer.articles.map(source) };
    case 'added':
      return { results: [result(answer.first)], article: source(answer.article), lines: answer.lines };
    case 'citation':
      return { results: [], article: answer.article.id, style: answer.style, reference: answer.reference, inText: answer.inText };
    case 'check':
      return { total: answer.total, results: answer.claims.flatMap((c) => c.excerpts.map(result)), claims: answer.claims.map((c) => ({ text: c.text, total: c.total, results: c.excerpts.map(result) })) };
    case 'help':
      return { results: [], lines: answer.lines };
    case 'notice':
      return { results: [] };
  }
}

export function toJson(answer: Answer) {
  return {
    kind: answer.kind,
    command: answer.command,
    query: answer.query,
    ...body(answer),
    ...(answer.alternatives && { alternatives: answer.alternatives }),
    ...(answer.notice && { notice: answer.notice }),
  };
}
