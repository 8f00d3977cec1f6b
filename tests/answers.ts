// Reading answers in tests: an answer of the kind a test expects, or a failure saying which it was.
import { expect } from 'vitest';
import type { Answer } from '../src/types.js';

export { excerptsOf } from '../src/answer.js';

export function asKind<K extends Answer['kind']>(answer: Answer, kind: K): Extract<Answer, { kind: K }> {
  expect(answer.kind).toBe(kind);
  return answer as Extract<Answer, { kind: K }>;
}
