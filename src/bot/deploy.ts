// `npm run deploy`: registers the registry's slash commands with Discord, in one server when
// DISCORD_GUILD_ID is set (instant, for testing) or globally.
import { REST, Routes } from 'discord.js';
import dotenv from 'dotenv';
import { pathToFileURL } from 'node:url';
import { commands } from '../../commands/index.js';
import type { Command } from '../../commands/types.js';
import { ConfigError, loadConfig, requireToken, type Config } from '../config.js';
import { plural } from '../plural.js';

export interface Deployment {
  scope: 'guild' | 'global';
  applicationId: string;
  count: number;
}

export async function deployCommands(config: Config, registry: readonly Command[] = commands): Promise<Deployment> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(requireToken(config));
  const applicationId = config.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const route = config.guildId ? Routes.applicationGuildCommands(applicationId, config.guildId) : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body: registry.map((c) => c.data.toJSON()) })) as unknown[];
  return { scope: config.guildId ? 'guild' : 'global', applicationId, count: registered.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  dotenv.config({ quiet: true });
  try {
    const config = loadConfig();
    const d = await deployCommands(config);
    console.log(
      d.scope === 'guild'
        ? `Registered ${plural(d.count, 'command')} in server ${config.guildId} (available now).`
        : `Registered ${plural(d.count, 'command')} globally (every server the bot is in; can take a few minutes to appear).`,
    );
  } catch (err) {
    console.error(`footnote: ${err instanceof ConfigError ? err.message : `deploy failed: ${(err as Error).message}`}`);
    process.exit(1);
  }
}
