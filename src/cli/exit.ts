// How a terminal script ends: with the exit code its main function gives, or 2 and one line for a
// configuration or corpus mistake (anything else is a bug worth its trace).
import { ConfigError } from '../config.js';
import { CorpusError } from '../corpus.js';

export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof ConfigError || err instanceof CorpusError ? `footnote: ${err.message}` : err);
      process.exitCode = 2;
    },
  );
}
