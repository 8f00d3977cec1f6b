import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The evaluation and end-to-end tests index a corpus of 500 texts or start a local Discord and
    // bot processes, which takes minutes on a 2-core machine other work loads. These limits only
    // catch a test that hangs: no test asserts how fast anything is (`npm run bench` measures that).
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Waits for something to happen, not for it to happen quickly: they return as soon as it has.
    expect: { poll: { timeout: 30_000 } },
    // One file at a time: the end-to-end files start bots and child processes that would otherwise
    // starve each other, and the evaluation's indexing, of this 2-core machine.
    fileParallelism: false,
  },
});
