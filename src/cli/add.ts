// `npm run add -- URL|FILE`: puts an article into the corpus folder as a `.md` with front matter,
// read by the same readers as /add, so a PDF or a web page becomes text anyone can check and
// edit. A running bot's live watcher picks it up within a second.
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { articleIdOf, toMarkdown } from '../article.js';
import { openEngine } from '../cache.js';
import { loadConfig } from '../config.js';
import { articleFiles, readRegularFile } from '../corpus.js';
import { slugOf } from '../server-store.js';
import { writeAtomically } from '../files.js';
import { overridesProblem, readUpload, type Overrides, type UploadRead } from '../library.js';
import { EXTENSIONS } from '../formats/index.js';
import { fetchLink } from '../links.js';
import { runMain } from './exit.js';

const USAGE = `Usage: npm run add -- [--corpus DIR] [--title T] [--source S] [--date D] URL|FILE
  npm run add -- https://example.org/news/treaty.html   a web page or a PDF on the web
  npm run add -- ~/Downloads/report.pdf                 a file: ${EXTENSIONS.join(', ')}`;

/** Reads `target` (a link or a file path) into an article, as /add would. */
async function read(target: string, overrides: Overrides, timeoutMs: number, allowLoopback: boolean): Promise<UploadRead> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    const fetched = await fetchLink(target, { timeoutMs, allowLoopback });
    if (!fetched.ok) return fetched;
    return readUpload(fetched.source, fetched.name, overrides, { format: fetched.format });
  }
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(dirname(target), basename(target));
  } catch (err) {
    return { ok: false, reason: `“${target}” cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (err as Error).message}.` };
  }
  return readUpload({ file: basename(target), bytes }, target, overrides);
}

/** The file the article goes into: its slug, numbered when the folder has an article by that id. */
function fileFor(dir: string, name: string): string {
  const taken = new Set(articleFiles(dir).map(articleIdOf));
  const slug = slugOf(name);
  let id = slug;
  for (let i = 2; taken.has(id); i++) id = `${slug}-${i}`;
  return join(dir, `${id}.md`);
}

async function main(): Promise<number> {
  dotenv.config({ quiet: true });
  const { values, positionals } = parseArgs({
    options: { corpus: { type: 'string' }, title: { type: 'string' }, source: { type: 'string' }, date: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const dir = values.corpus ?? config.corpusDir;
  const overrides = { title: values.title, source: values.source, date: values.date };
  const problem = overridesProblem(overrides);
  const result = problem ? { ok: false as const, reason: problem } : await read(positionals[0]!, overrides, config.downloadTimeoutMs, config.testOnlyAllowLoopbackLinks);
  if (!result.ok) {
    console.error(`footnote: ${result.reason}`);
    return 1;
  }
  const { engine } = await openEngine(dir);
  const twin = engine.sameText(result.article);
  if (twin) {
    console.error(`footnote: this text is already in the corpus, as “${twin.title}” (${twin.file}).`);
    return 1;
  }
  const file = fileFor(dir, result.article.file);
  writeAtomically(file, toMarkdown(result.article));
  const { paragraphs } = result.article;
  const footnotes = paragraphs.filter((p) => p.kind === 'footnote').length;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  console.log(`Added “${result.article.title}” to ${file}: ${count(paragraphs.length - footnotes, 'paragraph')}${footnotes ? ` and ${count(footnotes, 'footnote')}` : ''}.`);
  console.log(`¶1: ${paragraphs[0]!.text}`);
  return 0;
}

runMain(main);
