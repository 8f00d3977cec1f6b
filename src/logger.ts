// The root pino logger. The destination is passed in (stdout for the bot, stderr for the CLI,
// a stream in tests), and anything that could hold a secret is redacted: the bot token, and the
// interaction tokens that Discord's reply URLs carry (`/interactions/<id>/<token>/callback`,
// `/webhooks/<application>/<token>/…`), which discord.js errors quote in their URL and message.
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config.js';

export type { Logger };

const TOKEN_IN_URL = /\/(interactions|webhooks)\/(\d{17,20})\/[^/?\s"']+/g;

/** A text with the interaction tokens in any Discord URL in it replaced by "[redacted]". */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_IN_URL, '/$1/$2/[redacted]');
}

/** pino's error serializer, then every string in the result (URL, message, stack) redacted. */
function serializeError(err: Error): Record<string, unknown> {
  const redact = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redactTokens(value);
    if (depth > 3 || typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, depth + 1)]));
  };
  return redact(pino.stdSerializers.err(err), 0) as Record<string, unknown>;
}

/** Stdout: readable lines for a person at a terminal, JSON lines for anything that collects the log. */
export function stdoutDestination(): DestinationStream {
  // Synchronous, as pino.destination(1) is: the lines logged just before an exit are not lost.
  return process.stdout.isTTY ? pretty({ destination: 1, sync: true }) : pino.destination(1);
}

export function createLogger(level: LogLevel, destination: DestinationStream = stdoutDestination()): Logger {
  return pino(
    {
      name: 'footnote',
      level,
      redact: { paths: ['token', '*.token', 'config.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    destination,
  );
}
