import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkMessage, claimsOf, EXCERPTS_PER_CLAIM, MAX_CLAIMS, prose } from '../src/check.js';
import { loadCorpus } from '../src/corpus.js';
import { Engine } from '../src/engine.js';
import { toJson } from '../src/render/json.js';
import { toTerminal } from '../src/render/terminal.js';
import { asKind } from './answers.js';

let engine: Engine;
beforeAll(async () => {
  engine = new Engine(await loadCorpus(join(import.meta.dirname, '..', 'corpus')));
});

describe('prose', () => {
  it('leaves out code, links, mentions, custom and Unicode emoji, quote and list markup', () => {
    const text = prose('> quoted **bold** <@123456789012345678> <@&123456789012345678> <#123456789012345678> @everyone @here <:pog:123456789012345678> 👍🏽 🇰🇷 :fire: `x = 1` <https://a.example/b> https://c.example\n```\ncode\n```\n- item');
    expect(text.replace(/\s+/g, ' ').trim()).toBe('quoted bold item');
  });
});

describe('claimsOf', () => {
  it('splits a message into its sentences and lines, dropping those of fewer than three words', () => {
    expect(claimsOf('The treaty was signed in 1961. Lol.\nPutin went to Pyongyang in June!\nok sure')).toEqual([
      'The treaty was signed in 1961.',
      'Putin went to Pyongyang in June!',
    ]);
  });

  it(`keeps at most ${MAX_CLAIMS} claims, the fullest, in the order they were written`, () => {
    const message = Array.from({ length: 8 }, (_, i) => `Claim number ${i} says ${'very '.repeat(i)}much.`).join(' ');
    const claims = claimsOf(message);
    expect(claims).toHaveLength(MAX_CLAIMS);
    expect(claims.map((c) => Number(/number (\d)/.exec(c)![1]))).toEqual([3, 4, 5, 6, 7]);
  });

  it('finds the same claim once', () => {
    expect(claimsOf('The treaty was signed in 1961. The treaty was signed in 1961.')).toEqual(['The treaty was signed in 1961.']);
  });
});

describe('checkMessage', () => {
  it('looks each claim up with the same search as /search and quotes its best paragraphs', () => {
    const claim = 'Moscow and Pyongyang began talks on June 16.';
    const answer = asKind(checkMessage(engine, claim), 'check');
    const search = engine.search(claim);
    expect(answer.total).toBe(1);
    expect(answer.claims[0]).toEqual({ text: claim, total: search.total, excerpts: search.excerpts.slice(0, EXCERPTS_PER_CLAIM) });
    expect(toTerminal(answer)).toMatch(/^Find sources\n1 claim\n\n1\. “Moscow and Pyongyang began talks on June 16\.”\n {2}“/);
    expect(toJson(answer)).toMatchObject({ kind: 'check', total: 1, claims: [{ text: claim, total: search.total }] });
  });

  it('says when a message has no text, and when it has text but no claim', () => {
    expect(asKind(checkMessage(engine, '  '), 'notice').notice).toMatch(/^This message has no text to check/);
    expect(asKind(checkMessage(engine, '👍 <@123456789012345678> https://x.example'), 'notice').notice).toMatch(/^This message makes no claim to check/);
  });
});
