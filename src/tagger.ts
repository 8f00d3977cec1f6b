// Parts of speech from wink-nlp's English model, for the few places where the people finder
// needs grammar and not only the shape of words: how far a lower-case role before a name
// reaches back ("farm machinery dealer Bob Houtz"), and whether a name that only speaks is made
// of proper nouns. Tagging costs about 0.15 ms a sentence, so it is asked sentence by sentence,
// only when a rule needs it (see the README's dependency table for the comparison with compromise).
import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** A tagged token of the text: where it is, and its universal part of speech ("NOUN", "PROPN", …). */
export interface TaggedToken {
  start: number;
  end: number;
  pos: string;
}

let nlp: WinkMethods | undefined;

/** The tokens of `text` with their parts of speech, placed by character offset. */
export function tag(text: string): TaggedToken[] {
  // Only the tagger: sentence sentiment, negation and entities are not needed here.
  nlp ??= winkNLP(model, ['sbd', 'pos']);
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out();
  const tags = doc.tokens().out(nlp.its.pos) as string[];
  const out: TaggedToken[] = [];
  let at = 0;
  values.forEach((value, i) => {
    const start = text.indexOf(value, at);
    // wink keeps tokens verbatim; a token it rewrote is skipped rather than misplaced.
    if (start < 0) return;
    at = start + value.length;
    out.push({ start, end: at, pos: tags[i]! });
  });
  return out;
}
