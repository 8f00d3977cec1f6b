// What makes a paragraph about treaties: the words for agreements between states and for what
// is done to them. Weighted, so a paragraph naming "the treaty" outranks one naming "an accord".
import { words, wordTerms, stem } from './text.js';

const TREATY_WORDS: Record<string, number> = {
  treaty: 1, treaties: 1, pact: 1, agreement: 0.6, accord: 0.6, alliance: 0.6, armistice: 0.6,
  clause: 0.5, protocol: 0.4, abrogate: 0.8, abrogation: 0.8, ratify: 0.8, ratification: 0.8, ratified: 0.8,
};
const WEIGHT_BY_STEM = new Map(Object.entries(TREATY_WORDS).map(([word, weight]) => [stem(word), weight]));

/** 0 when the text is not about a treaty; otherwise the summed weight of the distinct treaty words. */
export function treatyWeight(text: string): number {
  const present = new Set(words(text).flatMap((w) => wordTerms(w.norm)).filter((t) => WEIGHT_BY_STEM.has(t)));
  return [...present].reduce((sum, t) => sum + WEIGHT_BY_STEM.get(t)!, 0);
}
