/**
 * Tests of the fake Discord itself, driven by a bare discord.js Client (not Footnote's bot), so that the
 * product's end-to-end tests can trust what the fake reports.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
  type ClientOptions,
  type Interaction,
} from 'discord.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './fake-discord.js';
import { describeViolation } from './validate.js';

/**
 * Starts a fake Discord and logs a bare client in to it, both torn down when the test ends: the client
 * first, so it does not try to reconnect to a server that is going away.
 */
async function connectClient(fake: FakeDiscordOptions = {}, options: Partial<ClientOptions> = {}): Promise<{ discord: FakeDiscord; client: Client }> {
  const discord = await startFakeDiscord(fake);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: discord.apiUrl, retries: 3, timeout: 30_000 },
    allowedMentions: { parse: [] },
    ...options,
  });
  const errors: Error[] = [];
  client.on(Events.Error, (error) => errors.push(error));
  onTestFinished(async () => {
    await client.destroy();
    await discord.stop();
    expect(errors).toEqual([]);
  });
  const ready = once(client, Events.ClientReady);
  await client.login(discord.botToken);
  await ready;
  return { discord, client };
}

/** Runs `handler` on the next interaction the client receives and settles with its outcome, errors included. */
function handleNext<T>(client: Client, handler: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => client.once(Events.InteractionCreate, (interaction) => handler(interaction).then(resolve, reject)));
}

/** The chat-input interaction discord.js built, or a test failure explaining what arrived instead. */
function asCommand(interaction: Interaction) {
  if (!interaction.isChatInputCommand()) throw new Error(`expected a slash command, got interaction type ${interaction.type}`);
  return interaction;
}

describe('logging in', () => {
  it('brings a bare discord.js client to ready with the test guild and channel cached', async () => {
    const { discord, client } = await connectClient();

    expect(client.user?.id).toBe(discord.applicationId);
    expect(client.guilds.cache.get(discord.guildId)?.channels.cache.has(discord.channelId)).toBe(true);
    expect(discord.gatewaySessions).toEqual({ identifies: 1, resumes: 0 });
    expect(discord.requests.map((request) => request.route)).toEqual(['GET /gateway/bot']);
  });

  it('acknowledges heartbeats, so discord.js measures a ping instead of declaring the connection dead', async () => {
    const { client } = await connectClient({ heartbeatIntervalMs: 20 });

    await expect.poll(() => client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('refuses a client with the wrong bot token', async () => {
    const discord = await startFakeDiscord();
    const client = new Client({ intents: [], rest: { api: discord.apiUrl } });
    onTestFinished(async () => {
      await client.destroy();
      await discord.stop();
    });

    await expect(client.login('not-the-token')).rejects.toThrow(/invalid token/i);
    expect(discord.requests[0]?.status).toBe(401);
  });
});

describe('answering interactions', () => {
  it('delivers a slash command with its options and receives interaction.reply as a type 4 callback', async () => {
    const { discord, client } = await connectClient();
    const handled = handleNext(client, async (interaction) => {
      const command = asCommand(interaction);
      await command.reply({ content: `Who is ${command.options.getString('name', true)}?` });
    });

    const sent = discord.sendCommand('who', { name: 'Karasin' });

    expect(await sent.answer()).toMatchObject({ content: 'Who is Karasin?', allowed_mentions: { parse: [] } });
    expect((await sent.callback()).callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    await handled;
  });

  it('records deferReply and the editReply that follows as a defer and an edit of @original', async () => {
    const { discord, client } = await connectClient();
    const edited = handleNext(client, async (interaction) => {
      const command = asCommand(interaction);
      await command.deferReply({ flags: MessageFlags.Ephemeral });
      return command.editReply({ content: 'Found 3 passages.' });
    });

    const sent = discord.sendCommand('who', { name: 'Karasin' });

    expect(await sent.answer()).toMatchObject({ content: 'Found 3 passages.' });
    const [defer, edit] = await sent.waitForReplies(2);
    expect(defer).toMatchObject({ kind: 'callback', callbackType: InteractionResponseType.DeferredChannelMessageWithSource, body: { data: { flags: MessageFlags.Ephemeral } } });
    expect(edit).toMatchObject({ kind: 'edit', target: '@original', status: 200 });
    // discord.js builds a real Message from the fake's answer.
    expect((await edited).content).toBe('Found 3 passages.');
  });

  it('records a followUp as a follow-up message that discord.js can edit afterwards', async () => {
    const { discord, client } = await connectClient();
    const handled = handleNext(client, async (interaction) => {
      const command = asCommand(interaction);
      await command.reply({ content: 'First part.' });
      const second = await command.followUp({ content: 'Second part.' });
      await command.editReply({ message: second, content: 'Second part, corrected.' });
    });

    const sent = discord.sendCommand('who', { name: 'Karasin' });

    const replies = await sent.waitForReplies(3);
    expect(replies.map((reply) => [reply.kind, reply.message?.content])).toEqual([
      ['callback', 'First part.'],
      ['follow-up', 'Second part.'],
      ['edit', 'Second part, corrected.'],
    ]);
    await handled;
  });

  it('answers a second callback for the same interaction with 40060', async () => {
    const { discord, client } = await connectClient();
    const handled = handleNext(client, async (interaction) => {
      const command = asCommand(interaction);
      await command.reply({ content: 'once' });
      command.replied = false; // pretend the bot lost track, as a buggy handler would
      await command.reply({ content: 'twice' });
    });

    discord.sendCommand('who');

    await expect(handled).rejects.toMatchObject({ code: 40060, status: 400 });
  });

  it('suggests autocomplete choices and refuses more than 25 of them', async () => {
    const { discord, client } = await connectClient();
    const names = Array.from({ length: 30 }, (_, index) => `Karasin ${index}`);
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const typed = interaction.options.getFocused();
      const matching = names.filter((name) => name.startsWith(typed)).map((name) => ({ name, value: name }));
      void interaction.respond(matching).catch(() => undefined);
    });

    const few = await discord.sendAutocomplete('who', { name: 'Karasin 7' }, 'name').callback();
    expect(few.choices?.map((choice) => choice.name)).toEqual(['Karasin 7']);

    const many = discord.sendAutocomplete('who', { name: 'Kar' }, 'name');
    await expect.poll(() => many.replies[0]?.violations.map(describeViolation)).toEqual(['data.choices: Must be 25 or fewer in length. (BASE_TYPE_MAX_LENGTH)']);
  });

  it('lets a user click a button the bot showed and records the update of that message', async () => {
    const { discord, client } = await connectClient();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const more = new ButtonBuilder().setCustomId('more:karasin').setLabel('More').setStyle(ButtonStyle.Primary);
        await interaction.reply({ content: 'Page 1', components: [new ActionRowBuilder<ButtonBuilder>().addComponents(more)] });
      } else if (interaction.isButton()) {
        await interaction.update({ content: `Page 2 (${interaction.customId})`, components: [] });
      }
    });
    await discord.sendCommand('who', { name: 'Karasin' }).answer();

    const click = discord.sendComponent('more:karasin');

    expect(await click.answer()).toMatchObject({ content: 'Page 2 (more:karasin)', components: [] });
    expect((await click.callback()).callbackType).toBe(InteractionResponseType.UpdateMessage);
    expect(() => discord.sendComponent('more:karasin')).toThrow(/No message from the bot has a component/);
  });

  it('lets the bot defer a component update and then edit the clicked message', async () => {
    const { discord, client } = await connectClient();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const next = new ButtonBuilder().setCustomId('next').setLabel('Next').setStyle(ButtonStyle.Secondary);
        await interaction.reply({ content: 'Passage 1', components: [new ActionRowBuilder<ButtonBuilder>().addComponents(next)] });
      } else if (interaction.isButton()) {
        await interaction.deferUpdate();
        await interaction.editReply({ content: 'Passage 2' });
      }
    });
    const original = await discord.sendCommand('who').answer();

    const [deferred, edit] = await discord.sendComponent('next').waitForReplies(2);

    expect(original.content).toBe('Passage 1');
    expect(deferred?.callbackType).toBe(InteractionResponseType.DeferredMessageUpdate);
    expect(edit).toMatchObject({ kind: 'edit', target: '@original', status: 200, message: { content: 'Passage 2' } });
  });

  it('returns the created message when discord.js asks for the callback response', async () => {
    const { discord, client } = await connectClient();
    const handled = handleNext(client, (interaction) => asCommand(interaction).reply({ content: 'with response', withResponse: true }));

    const sent = discord.sendCommand('who');

    const response = await handled;
    expect(response.interaction.id).toBe(sent.id);
    expect(response.resource?.message?.content).toBe('with response');
  });

  it('delivers a command sent in a DM with a user instead of a guild member', async () => {
    const { discord, client } = await connectClient();
    const handled = handleNext(client, async (interaction) => {
      const command = asCommand(interaction);
      await command.reply({ content: `in guild: ${command.inGuild()}, user: ${command.user.username}` });
    });

    const answer = await discord.sendCommand('who', {}, { guildId: null, username: 'karasin' }).answer();

    expect(answer.content).toBe('in guild: false, user: karasin');
    await handled;
  });

  it('registers commands and types the options of later interactions as declared', async () => {
    const { discord, client } = await connectClient();
    await client.application!.commands.set(
      [{ name: 'passage', description: 'Show a passage', options: [{ name: 'number', description: 'Which one', type: ApplicationCommandOptionType.Integer, required: true }] }],
      discord.guildId,
    );
    const handled = handleNext(client, async (interaction) => {
      const command = asCommand(interaction);
      await command.reply({ content: `Passage ${command.options.getInteger('number', true) + 1}` });
    });

    expect(discord.registeredCommands).toMatchObject([{ name: 'passage', guild_id: discord.guildId }]);
    expect(await discord.sendCommand('passage', { number: 41 }).answer()).toMatchObject({ content: 'Passage 42' });
    expect(() => discord.sendCommand('passage', { page: 2 })).toThrow(/has no option "page"/);
    await handled;
  });
});

describe('refusing what Discord would refuse', () => {
  it("answers an oversized embed with 400 and Discord's error shape", async () => {
    const { discord, client } = await connectClient();
    const handled = handleNext(client, async (interaction) => {
      // A plain object: EmbedBuilder would refuse this locally before anything reached Discord.
      await asCommand(interaction).reply({ embeds: [{ title: 'Karasin', description: 'x'.repeat(4097) }] });
    });

    const sent = discord.sendCommand('who', { name: 'Karasin' });

    const error = await handled.then(() => expect.unreachable('reply should fail'), (rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 400, code: 50035, rawError: { message: 'Invalid Form Body', errors: { data: { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } } } });
    expect(discord.rejections).toMatchObject([{ route: 'POST /interactions/:interaction/:token/callback', violations: [{ path: ['data', 'embeds', 0, 'description'] }] }]);
    expect(sent.replies).toMatchObject([{ kind: 'callback', status: 400 }]);
  });

  it('refuses a message without allowed_mentions in strict mode and accepts it in lenient mode', async () => {
    for (const [mentions, status] of [['strict', 400], ['lenient', 204]] as const) {
      const { discord, client } = await connectClient({ mentions }, { allowedMentions: undefined });
      client.once(Events.InteractionCreate, (interaction) => void asCommand(interaction).reply({ content: 'hello' }).catch(() => undefined));

      const sent = discord.sendCommand('who');

      await expect.poll(() => sent.replies[0]?.status).toBe(status);
    }
  });

  it('answers 10062 when the callback comes after the interaction deadline', async () => {
    const { discord, client } = await connectClient({ interactionDeadlineMs: 50 });
    const handled = handleNext(client, async (interaction) => {
      await sleep(100);
      await asCommand(interaction).reply({ content: 'too late' });
    });

    discord.sendCommand('who');

    await expect(handled).rejects.toMatchObject({ status: 404, code: 10062, message: 'Unknown interaction' });
  });
});

describe('injected faults', () => {
  it('answers the next two callbacks with 500 and the retry after them succeeds', async () => {
    const { discord, client } = await connectClient();
    discord.injectFault('POST /interactions/:interaction/:token/callback', { kind: 'server-error' }, 2);
    client.once(Events.InteractionCreate, (interaction) => void asCommand(interaction).reply({ content: 'third time lucky' }));

    const sent = discord.sendCommand('who');

    expect(await sent.answer()).toMatchObject({ content: 'third time lucky' });
    expect(sent.replies.map((reply) => reply.status)).toEqual([500, 500, 204]);
  });

  it("makes discord.js wait out a 429's retry-after before retrying", async () => {
    const { discord, client } = await connectClient();
    const route = 'PATCH /webhooks/:application/:token/messages/:message';
    discord.injectFault(route, { kind: 'rate-limit', retryAfterSeconds: 0.3 });
    client.once(Events.InteractionCreate, async (interaction) => {
      const command = asCommand(interaction);
      await command.deferReply();
      await command.editReply({ content: 'after the wait' });
    });

    expect(await discord.sendCommand('who').answer()).toMatchObject({ content: 'after the wait' });
    const [limited, retried] = discord.requests.filter((request) => request.route === route);
    expect([limited?.status, retried?.status]).toEqual([429, 200]);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(300);
  });

  it('answers an injected unknown interaction with 404 and code 10062', async () => {
    const { discord, client } = await connectClient();
    discord.injectFault('POST /interactions/:interaction/:token/callback', { kind: 'unknown-interaction' });
    const handled = handleNext(client, (interaction) => asCommand(interaction).reply({ content: 'hello' }));

    discord.sendCommand('who');

    await expect(handled).rejects.toMatchObject({ status: 404, code: 10062 });
    expect(discord.requests.at(-1)?.fault).toBe('unknown-interaction');
  });

  it('closes the gateway with 4000, lets the client resume and replays what was sent meanwhile', async () => {
    const { discord, client } = await connectClient();
    client.on(Events.InteractionCreate, (interaction) => void asCommand(interaction).reply({ content: `answered ${interaction.id}` }));

    const back = discord.closeGateway(4000);
    const duringReconnect = discord.sendCommand('who');

    expect(await back).toBe('resumed');
    expect(discord.gatewaySessions).toEqual({ identifies: 1, resumes: 1 });
    expect(await duringReconnect.answer()).toMatchObject({ content: `answered ${duringReconnect.id}` });
    const afterwards = discord.sendCommand('who');
    expect(await afterwards.answer()).toMatchObject({ content: `answered ${afterwards.id}` });
  });
});

describe('stopping', () => {
  /** Handles that would keep a test process alive: sockets, servers and timers. */
  const openHandles = () => process.getActiveResourcesInfo().filter((kind) => /TCP|Timeout/.test(kind));

  it('leaves no socket, server or timer behind', async () => {
    const before = openHandles();
    const discord = await startFakeDiscord();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl }, allowedMentions: { parse: [] } });
    const ready = once(client, Events.ClientReady);
    await client.login(discord.botToken);
    await ready;
    client.once(Events.InteractionCreate, (interaction) => void asCommand(interaction).reply({ content: 'bye' }));
    const sent = discord.sendCommand('who');
    await sent.answer();
    const pending = sent.waitForReplies(2); // never satisfied: stop() must end its wait

    await client.destroy();
    await discord.stop();

    await expect(pending).rejects.toThrow(/stopped/);
    await expect.poll(() => openHandles().length).toBeLessThanOrEqual(before.length);
    const port = Number(new URL(discord.apiUrl).port);
    const refused = await new Promise<string>((resolve) => connect(port, '127.0.0.1').on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? '')));
    expect(refused).toBe('ECONNREFUSED');
  });
});
