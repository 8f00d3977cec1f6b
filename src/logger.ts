// The root pino logger. The destination is passed in (stdout for the bot, stderr for the CLI,
// a stream in tests), and anything that could hold the token is redacted.
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination(1)): Logger {
  return pino(
    {
      name: 'footnote',
      level,
      redact: { paths: ['token', '*.token', 'config.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}
