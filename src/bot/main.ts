// `npm start`: the Discord bot. Configuration mistakes are one clear line, never a stack trace.
import { Events } from 'discord.js';
import dotenv from 'dotenv';
import { ConfigError } from '../config.js';
import { CorpusError } from '../corpus.js';
import { DatabaseError } from '../database.js';
import { startBot } from './start.js';

dotenv.config({ quiet: true });

try {
  const bot = await startBot();
  // The last line of defence: an error thrown where no handler of ours runs (inside discord.js's
  // gateway handler, say, on a payload it cannot parse) is logged, and the bot goes on serving
  // every other server instead of exiting. Interactions have their own handler, which answers.
  process.on('uncaughtException', (err) => bot.logger.error({ err }, 'uncaught error; still serving'));
  process.on('unhandledRejection', (err) => bot.logger.error({ err }, 'uncaught error; still serving'));
  const shutdown = (signal: string) => {
    bot.logger.info({ signal }, 'shutting down');
    void bot.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // A shard of `npm run start:sharded` whose manager is gone (killed, crashed) must not stay connected on its own.
  process.once('disconnect', () => {
    bot.logger.warn('the shard manager is gone; shutting down');
    void bot.stop().then(() => process.exit(1));
  });
  // After these closes (token revoked, intents disallowed) discord.js never reconnects: exit rather than stay up deaf.
  bot.client.once(Events.ShardDisconnect, () => void bot.stop().then(() => process.exit(1)));
} catch (err) {
  if (err instanceof ConfigError || err instanceof CorpusError || err instanceof DatabaseError) {
    console.error(`footnote: ${err.message}`);
  } else if ((err as { code?: string }).code === 'TokenInvalid' || (err as { status?: number }).status === 401) {
    console.error('footnote: Discord rejected DISCORD_TOKEN (401). Copy the token again from the Developer Portal (Bot → Reset Token).');
  } else if (/^E[A-Z]+$/.test(String((err as { code?: unknown }).code))) {
    console.error(`footnote: could not reach Discord (${(err as Error).message}). Check the network, or DISCORD_API_URL if set.`);
  } else {
    console.error('footnote: could not start the bot:', err);
  }
  process.exit(1);
}
