// What makes a paragraph about treaties: the words for agreements between states and for what
// is done to them. Weighted, so a paragraph naming "the treaty" outranks one naming "an accord".
// The events around a treaty (a summit, a visit, an expiry) belong to its story only in an
// article that is about one: a visit alone is no treaty's.
import { words, wordTerms, stem } from './text.js';

const AGREEMENT_WORDS: Record<string, number> = {
  treaty: 1, treaties: 1, pact: 1, agreement: 0.6, accord: 0.6, alliance: 0.6, armistice: 0.6,
  declaration: 0.5, memorandum: 0.6, memoranda: 0.6, communique: 0.5, clause: 0.5, protocol: 0.4,
  abrogate: 0.8, abrogation: 0.8, ratify: 0.8, ratification: 0.8, ratified: 0.8,
};
const EVENT_WORDS: Record<string, number> = {
  summit: 0.4, visit: 0.3, signing: 0.4, expire: 0.5, expiry: 0.5, expiration: 0.5, lapse: 0.4,
};
const byStem = (table: Record<string, number>) => new Map(Object.entries(table).map(([word, weight]) => [stem(word), weight]));
const AGREEMENT_BY_STEM = byStem(AGREEMENT_WORDS);
const EVENT_BY_STEM = byStem(EVENT_WORDS);

function weight(text: string, table: ReadonlyMap<string, number>): number {
  const present = new Set(words(text).flatMap((w) => wordTerms(w.norm)).filter((t) => table.has(t)));
  return [...present].reduce((sum, t) => sum + table.get(t)!, 0);
}

/** 0 when the text is not about a treaty; otherwise the summed weight of the distinct treaty words. */
export function treatyWeight(text: string): number {
  return weight(text, AGREEMENT_BY_STEM);
}

/** The weight of the events around a treaty that the text names: summits, visits, signings, expiries. */
export function treatyEventWeight(text: string): number {
  return weight(text, EVENT_BY_STEM);
}
