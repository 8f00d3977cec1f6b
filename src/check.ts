// `/check` and Find sources: the claims a chat message makes, each looked up as /search looks up a
// question, so the reader sees which paragraphs of the articles support or concern what was said.
import { sentences } from './text.js';
import type { Engine } from './engine.js';
import type { CheckAnswer, Claim, NoticeAnswer } from './types.js';

/** Claims checked per message: a long message is several, but an answer must stay readable. */
export const MAX_CLAIMS = 5;
/** Paragraphs quoted per claim. */
export const EXCERPTS_PER_CLAIM = 2;
/** A sentence with fewer words than this ("lol", "see above") claims nothing worth looking up. */
const MIN_WORDS = 3;

/**
 * A chat message reduced to its prose: code, links, mentions, emoji and markdown are not claims,
 * and searching for them would only find paragraphs that share a stray word.
 */
export function prose(message: string): string {
  return message
    .replace(/```[\s\S]*?```/g, '\n')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/<?https?:\/\/\S+?>?(?=\s|$)/g, ' ')
    .replace(/<a?:\w+:\d+>/g, ' ')
    .replace(/<(?:@[!&]?|#)\d+>/g, ' ')
    .replace(/@(?:everyone|here)\b/gi, ' ')
    .replace(/:[a-z0-9_+-]+:/gi, ' ')
    // Joiners, skin tones and variation selectors are parts of emoji: each is removed on its own.
    .replace(/\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u{1F3FB}-\u{1F3FF}]|\u200d|\ufe0f/gu, ' ')
    .replace(/^\s*(?:>{1,3}|#{1,3}|[-*+]|\d+\.)\s+/gm, '')
    .replace(/\|\||\*\*|__|~~|(?<!\w)[*_]|[*_](?!\w)/g, '')
    .replace(/[ \t]+/g, ' ');
}

/** The sentences of a message that say something, at most `MAX_CLAIMS` of them, the fullest kept in their order. */
export function claimsOf(message: string): string[] {
  const all = prose(message)
    .split(/\n+/)
    .flatMap((line) => sentences(line.trim()).map(([start, end]) => line.trim().slice(start, end).trim()))
    .filter((sentence) => (sentence.match(/\p{L}+/gu) ?? []).length >= MIN_WORDS);
  const unique = [...new Set(all)];
  if (unique.length <= MAX_CLAIMS) return unique;
  const fullest = new Set([...unique].sort((a, b) => b.length - a.length).slice(0, MAX_CLAIMS));
  return unique.filter((claim) => fullest.has(claim));
}

/** The paragraphs that best concern each claim of `message`, from the same search as /search. */
export function checkMessage(engine: Engine, message: string): CheckAnswer | NoticeAnswer {
  const base = { command: 'check', query: message, heading: 'Find sources' };
  if (!message.trim()) {
    return { ...base, kind: 'notice', notice: 'This message has no text to check (it holds only an image, a sticker, an embed or a file).' };
  }
  const claims = claimsOf(message);
  if (claims.length === 0) {
    return { ...base, kind: 'notice', notice: 'This message makes no claim to check: it has no sentence of a few words once links, mentions, code and emoji are set aside.' };
  }
  const checked: Claim[] = claims.map((text) => {
    const found = engine.search(text);
    return { text, total: found.total, excerpts: found.excerpts.slice(0, EXCERPTS_PER_CLAIM) };
  });
  return { ...base, kind: 'check', total: checked.length, claims: checked };
}
