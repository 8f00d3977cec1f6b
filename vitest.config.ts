import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The evaluation and end-to-end tests index a corpus of 500 texts or start a local Discord.
    testTimeout: 180_000,
    // One file at a time: the end-to-end burst measures answers against Discord's 3-second
    // deadline and must not share this 2-core machine with the evaluation's indexing.
    fileParallelism: false,
    hookTimeout: 180_000,
  },
});
