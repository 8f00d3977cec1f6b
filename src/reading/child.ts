// A reader process: the only place untrusted documents are read. The bot forks a few of these
// (pool.ts); each reads one document at a time with the format registry, then analyses it as the
// engine would (chrome rules, people, tagging), and sends back the article and its facts. A file
// built to loop, to nest, or to inflate can only stall or fill this process, which the bot kills.
import './lifeline.js';
import { ArticleError, withOverrides } from '../article.js';
import { formats, readArticle } from '../formats/index.js';
import { factsOf } from '../shelf.js';
import type { ReadReply, ReadRequest } from './pool.js';

function reply(message: ReadReply): void {
  process.send?.(message);
}

async function read({ id, source, format: name, overrides }: ReadRequest): Promise<ReadReply> {
  const format = formats.find((f) => f.name === name);
  try {
    const article = withOverrides(await readArticle(source, format), overrides);
    return { id, ok: true, article, facts: factsOf(article) };
  } catch (err) {
    if (err instanceof ArticleError) return { id, ok: false, problem: err.problem };
    // A reader's own failure on a strange file (a stack overflow in a parser) is still about the file.
    return { id, ok: false, problem: `is not a ${format?.name ?? 'file'} I can read (${String((err as Error)?.message ?? err).slice(0, 120)})` };
  }
}

process.on('message', (request: ReadRequest) => {
  void read(request).then(reply);
});
reply({ ready: true });
