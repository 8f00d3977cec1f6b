import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The evaluation and end-to-end tests index a corpus of 500 texts or start a local Discord.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
