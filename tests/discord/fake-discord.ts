/**
 * A local stand-in for Discord, for end-to-end tests of the bot.
 *
 * Discord cannot be reached from the test machine, and mocking discord.js would test our mocks instead of
 * the bot. So this module plays Discord itself on 127.0.0.1: one HTTP server hosts the REST API under
 * `/api/v10` and the gateway WebSocket under `/gateway`, and an unmodified discord.js `Client` pointed at
 * it (`rest: { api: fake.apiUrl }`) logs in, receives interactions and answers them for real.
 *
 * Every REST request is recorded; every reply the bot sends to an interaction is checked against Discord's
 * documented limits (validate.ts) and refused with Discord's 400 error when it breaks one, so a test can
 * both await the bot's answer and see what Discord would have refused. Faults (5xx, 429, expired
 * interactions, gateway disconnects) can be injected to exercise the bot's recovery paths.
 *
 *   const discord = await startFakeDiscord();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
 *   await client.login(discord.botToken);
 *   const answer = await discord.sendCommand('who', { name: 'Karasin' }).answer();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ComponentType,
  GatewayDispatchEvents,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  RESTJSONErrorCodes,
  type APIApplicationCommand,
  type APIApplicationCommandOptionChoice,
  type APIAttachment,
  type APIInteractionResponseCallbackData,
  type APIMessage,
  type APIUser,
} from 'discord.js';
import { FakeGateway, type SessionStart } from './fake-gateway.js';
import * as payloads from './payloads.js';
import { InteractionState, SentInteraction, type ReplyKind } from './sent-interaction.js';
import type { CommandOptionValues, FakeAttachment, InteractionBody, InteractionContext } from './payloads.js';
import { invalidFormBody, validateCommands, validateInteractionCallback, validateWebhookMessage, type MentionPolicy, type Violation } from './validate.js';

export { DEFAULT_MEMBER_PERMISSIONS, DEFAULT_USER_ID, type CommandOptionValues, type FakeAttachment, type InteractionBody, type InteractionContext } from './payloads.js';
export type { MentionPolicy, Violation } from './validate.js';
export type { InteractionReply, ReplyKind, SentInteraction } from './sent-interaction.js';

export interface FakeDiscordOptions {
  botToken?: string;
  applicationId?: string;
  guildId?: string;
  channelId?: string;
  /** `strict` (default) also enforces Footnote's allowed_mentions policy; see validate.ts. */
  mentions?: MentionPolicy;
  /** Discord asks for a heartbeat about every 41 s; tests that want to see heartbeats can shorten it. */
  heartbeatIntervalMs?: number;
  /**
   * Discord forgets an interaction that is not acknowledged within 3 s; the callback then gets 10062. The
   * fake gives 60 s unless told otherwise: on a loaded machine the tests' bot can take longer than 3 s, and
   * how long it takes is latency, which `npm run bench` measures; the tests check what it answers.
   */
  interactionDeadlineMs?: number;
  /**
   * How long `answer()`, `callback()` and `waitForReplies()` wait before failing with what did arrive. 30 s
   * by default: a passing test never waits for it, and a loaded machine may take seconds to answer.
   */
  replyTimeoutMs?: number;
  /** More guilds the bot is in, each with one text channel; interactions name them with `context.guildId`. */
  otherGuilds?: { id: string; channelId: string }[];
  /** The shard count `GET /gateway/bot` recommends; 1 by default. */
  recommendedShards?: number;
}

/** The REST routes the fake implements, as `METHOD /path/:param` relative to `/api/v10`. */
const ROUTES = [
  'GET /gateway/bot',
  'GET /applications/@me',
  'GET /applications/:application/commands',
  'PUT /applications/:application/commands',
  'GET /applications/:application/guilds/:guild/commands',
  'PUT /applications/:application/guilds/:guild/commands',
  'POST /interactions/:interaction/:token/callback',
  'POST /webhooks/:application/:token',
  'GET /webhooks/:application/:token/messages/:message',
  'PATCH /webhooks/:application/:token/messages/:message',
  'DELETE /webhooks/:application/:token/messages/:message',
] as const;
export type RouteKey = (typeof ROUTES)[number];

const API_PREFIX = '/api/v10';
const GATEWAY_PATH = '/gateway';
/** Where the fake serves the files attached to commands, as Discord's CDN does (`/attachments/<id>/<name>`). */
const ATTACHMENTS_PATH = '/attachments/';

/** A download of an attached file (not a REST request, so not in `requests`). */
export interface AttachmentDownload {
  id: string;
  filename: string;
  status: number;
}

/** One HTTP request the bot made, with the fake's answer. */
export interface RecordedRequest {
  method: string;
  /** Path below `/api/v10`, percent-decoded (`/webhooks/1/abc/messages/@original`). */
  path: string;
  /** The route it matched, or null when the fake has no such route (answered 404). */
  route: RouteKey | null;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** The injected fault that answered it instead of the route, if any. */
  fault: Fault['kind'] | null;
  /** When it arrived (`Date.now()`), to measure retry delays. */
  at: number;
}

/** A payload the validator refused with 400. */
export interface Rejection {
  route: RouteKey;
  path: string;
  body: unknown;
  violations: Violation[];
}

/** Injectable failures. Discord's own shapes: 5xx bodies, 429 with `retry_after`, 404 with code 10062. */
export type Fault =
  | { kind: 'server-error'; status?: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number; global?: boolean }
  | { kind: 'unknown-interaction' };

/** What a route handler decides; the request loop turns it into the HTTP response and the records. */
interface HttpAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Set when the validator refused the body, so the refusal is recorded. */
  violations?: Violation[];
}

interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

type Handler = (request: RouteRequest) => HttpAnswer;

/** Interaction callbacks and webhooks authenticate by the token in their URL; every other route needs `Authorization: Bot <token>`. */
function needsBotToken(route: RouteKey): boolean {
  return !/^\w+ \/(interactions|webhooks)\//.test(route);
}

/** Which routes carry an interaction's replies, and as what. */
const REPLY_ROUTES: Partial<Record<RouteKey, ReplyKind>> = {
  'POST /interactions/:interaction/:token/callback': 'callback',
  'POST /webhooks/:application/:token': 'follow-up',
  'PATCH /webhooks/:application/:token/messages/:message': 'edit',
  'DELETE /webhooks/:application/:token/messages/:message': 'delete',
};

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const discord = new FakeDiscord(options);
  await discord.listen();
  return discord;
}

export class FakeDiscord {
  readonly botToken: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly botUser: APIUser;
  /** Every REST request the bot made, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Every payload the validator refused. */
  readonly rejections: Rejection[] = [];
  /** Every download of an attached file, in order. */
  readonly downloads: AttachmentDownload[] = [];

  readonly #options: Required<Pick<FakeDiscordOptions, 'mentions' | 'interactionDeadlineMs' | 'replyTimeoutMs'>>;
  readonly #server: Server;
  readonly #gateway: FakeGateway;
  readonly #faults = new Map<RouteKey, Fault[]>();
  /** Registered commands by scope: 'global' or a guild id. */
  readonly #commands = new Map<string, APIApplicationCommand[]>();
  /** Messages the bot created through interactions, by id, oldest first. */
  readonly #messages = new Map<string, APIMessage>();
  readonly #interactions = new Map<string, InteractionState>();
  /** Files attached to commands, by attachment id. */
  readonly #attachments = new Map<string, { filename: string; bytes: Buffer; contentType: string }>();
  /** The text channel of each guild the bot is in, by guild id. */
  readonly #guildChannels: Map<string, string>;
  readonly #recommendedShards: number;
  #port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.botToken = options.botToken ?? 'fake-bot-token';
    this.applicationId = options.applicationId ?? '1100000000000000001';
    this.guildId = options.guildId ?? '1100000000000000002';
    this.channelId = options.channelId ?? '1100000000000000003';
    // A bot user's id is its application's id.
    this.botUser = payloads.user(this.applicationId, 'Footnote', true);
    this.#options = {
      mentions: options.mentions ?? 'strict',
      interactionDeadlineMs: options.interactionDeadlineMs ?? 60_000,
      replyTimeoutMs: options.replyTimeoutMs ?? 30_000,
    };
    this.#guildChannels = new Map([[this.guildId, this.channelId], ...(options.otherGuilds ?? []).map(({ id, channelId }) => [id, channelId] as [string, string])]);
    this.#recommendedShards = options.recommendedShards ?? 1;
    this.#server = createServer((request, response) => void this.#serve(request, response));
    this.#gateway = new FakeGateway(this.#server, {
      path: GATEWAY_PATH,
      botToken: this.botToken,
      botUser: this.botUser,
      applicationId: this.applicationId,
      guild: payloads.guildCreate(this.guildId, this.channelId, this.botUser),
      otherGuilds: (options.otherGuilds ?? []).map(({ id, channelId }) => payloads.guildCreate(id, channelId, this.botUser)),
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      url: () => this.gatewayUrl,
    });
  }

  /** Base URL for discord.js's `rest.api` option (discord.js appends `/v10`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}${GATEWAY_PATH}`;
  }

  /** Commands the bot registered, guild commands (with `guild_id`) and global ones. */
  get registeredCommands(): APIApplicationCommand[] {
    return [...this.#commands.values()].flat();
  }

  /** How often the bot identified (new sessions) and resumed. */
  get gatewaySessions(): { identifies: number; resumes: number } {
    return { identifies: this.#gateway.identifies, resumes: this.#gateway.resumes };
  }

  /** The `shard: [id, count]` of every IDENTIFY the gateway received, in order. */
  get identifiedShards(): [number, number][] {
    return this.#gateway.identified;
  }

  /** How many gateway connections are open now. */
  get gatewayConnections(): number {
    return this.#gateway.connections;
  }

  /** The shard whose gateway connection an interaction was dispatched to (the one owning its guild; 0 for DMs). */
  shardOf(interactionId: string): number | undefined {
    return this.#gateway.deliveries.find((delivery) => delivery.t === GatewayDispatchEvents.InteractionCreate && (delivery.d as { id?: string }).id === interactionId)?.shard;
  }

  /** Starts listening on a free port of 127.0.0.1. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', resolve);
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  // -------------------------------------------------------------------------------------------------------
  // Interactions a test sends

  /** A user runs `/name` with the given options. Option types come from the registered command when there is one. */
  sendCommand(name: string, options: CommandOptionValues = {}, context: InteractionContext = {}): SentInteraction {
    const data = payloads.commandData(name, options, this.#findCommand(name, context), undefined, this.#attach);
    return this.sendInteraction({ type: InteractionType.ApplicationCommand, data }, context);
  }

  /** A user picks `name` in the Apps menu of a message posted in the channel (a message context-menu command). */
  sendMessageCommand(name: string, posted: payloads.ChannelMessage, context: InteractionContext = {}): SentInteraction {
    const channelId = (context.guildId && this.#guildChannels.get(context.guildId)) || this.channelId;
    const guildId = context.guildId === undefined ? this.guildId : (context.guildId ?? undefined);
    const target = payloads.channelMessage(posted, channelId, guildId);
    return this.sendInteraction({ type: InteractionType.ApplicationCommand, data: payloads.messageCommandData(name, target, this.#findCommand(name, context)) } as InteractionBody, context);
  }

  /** A user types into option `focused` of `/name`; the bot should answer with suggestions (callback type 8). */
  sendAutocomplete(name: string, options: CommandOptionValues, focused: string, context: InteractionContext = {}): SentInteraction {
    const data = payloads.commandData(name, options, this.#findCommand(name, context), focused, this.#attach);
    return this.sendInteraction({ type: InteractionType.ApplicationCommandAutocomplete, data }, context);
  }

  /**
   * A user clicks the button (or picks `values` in the select menu) with `customId`, on the newest message the
   * bot sent that has it. As on Discord, only components the bot actually showed can be used.
   */
  sendComponent(customId: string, { values, context = {} }: { values?: string[]; context?: InteractionContext } = {}): SentInteraction {
    const message = [...this.#messages.values()].reverse().find((candidate) => findComponent(candidate.components ?? [], customId));
    if (!message) throw new Error(`No message from the bot has a component with custom_id "${customId}"`);
    const componentType = findComponent(message.components ?? [], customId)!.type as ComponentType;
    // Buttons carry no values; select menus carry what the user picked.
    const data = { custom_id: customId, component_type: componentType, ...(componentType === ComponentType.Button ? {} : { values: values ?? [] }) };
    return this.sendInteraction({ type: InteractionType.MessageComponent, data, message } as InteractionBody, context);
  }

  /** Dispatches any interaction over the gateway; the other `send…` methods build the body for you. */
  sendInteraction(body: InteractionBody, context: InteractionContext = {}): SentInteraction {
    // In another of the bot's guilds the interaction comes from that guild's channel unless the context names one.
    const channelId = (context.guildId && this.#guildChannels.get(context.guildId)) || this.channelId;
    const payload = payloads.interaction(body, { applicationId: this.applicationId, guildId: this.guildId, channelId, context });
    const state = new InteractionState(payload, this.#options.replyTimeoutMs);
    this.#interactions.set(payload.id, state);
    this.#gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return new SentInteraction(state);
  }

  /** Keeps an attached file to serve and describes it as Discord does in `resolved.attachments`. */
  readonly #attach = (file: FakeAttachment): APIAttachment => {
    const id = payloads.snowflake();
    const bytes = Buffer.from(file.bytes);
    const contentType = file.contentType ?? guessContentType(file.filename);
    this.#attachments.set(id, { filename: file.filename, bytes, contentType });
    const url = file.url ?? `http://127.0.0.1:${this.#port}${ATTACHMENTS_PATH}${id}/${encodeURIComponent(file.filename)}`;
    return { id, filename: file.filename, size: file.size ?? bytes.byteLength, url, proxy_url: url, content_type: contentType, ephemeral: true };
  };

  // -------------------------------------------------------------------------------------------------------
  // Faults

  /** The next `times` requests to `route` get `fault` instead of an answer. Faults queue up in order. */
  injectFault(route: RouteKey, fault: Fault, times = 1): void {
    const queue = this.#faults.get(route) ?? [];
    queue.push(...Array.from({ length: times }, () => fault));
    this.#faults.set(route, queue);
  }

  /**
   * Closes the bot's gateway connection (of shard `shard`) with `code` and resolves once it has resumed or
   * identified again, failing after `timeoutMs` (roomy: a loaded machine reconnects late, not never).
   */
  closeGateway(code = 4000, timeoutMs = 30_000, shard = 0): Promise<SessionStart> {
    return this.#gateway.close(code, timeoutMs, shard);
  }

  /** Closes every socket and the server. Destroy the discord.js client first, or it will try to reconnect. */
  async stop(): Promise<void> {
    for (const state of this.#interactions.values()) state.abandon();
    await this.#gateway.stop();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.#server.close((error) => (error ? reject(error) : resolve())));
  }

  // -------------------------------------------------------------------------------------------------------
  // The REST API

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.startsWith(API_PREFIX) ? decodeURIComponent(url.pathname.slice(API_PREFIX.length)) : url.pathname;
    const method = request.method ?? 'GET';
    if (url.pathname.startsWith(ATTACHMENTS_PATH)) return this.#serveAttachment(method, url.pathname, response);
    const at = Date.now();
    const matched = url.pathname.startsWith(API_PREFIX) ? matchRoute(method, path) : null;
    const fault = matched ? this.#faults.get(matched.route)?.shift() : undefined;
    let body: unknown;
    let answer: HttpAnswer;
    try {
      body = await readJsonBody(request);
      if (!matched) answer = discordError(404, 0, '404: Not Found');
      else if (fault) answer = faultAnswer(fault);
      else if (needsBotToken(matched.route) && request.headers.authorization !== `Bot ${this.botToken}`) answer = discordError(401, 0, '401: Unauthorized');
      else answer = this.#handlers[matched.route]({ params: matched.params, query: url.searchParams, body });
    } catch (error) {
      // Unreadable JSON is the bot's fault (Discord code 50109); anything else is a bug in the fake, made visible the same way.
      answer = error instanceof SyntaxError ? discordError(400, 50109, `The request body contains invalid JSON. (${error.message})`) : discordError(500, 0, `Fake Discord failed: ${String(error)}`);
    }

    this.requests.push({ method, path, route: matched?.route ?? null, query: Object.fromEntries(url.searchParams), body, status: answer.status, fault: fault?.kind ?? null, at });
    if (matched) {
      if (answer.violations) this.rejections.push({ route: matched.route, path, body, violations: answer.violations });
      this.#recordReply(matched.route, matched.params, body, answer);
    }

    response.writeHead(answer.status, { ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }), ...answer.headers });
    response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  /** An attached file's bytes, as the CDN serves them; 404 for an id the fake never handed out. */
  #serveAttachment(method: string, pathname: string, response: ServerResponse): void {
    const id = pathname.slice(ATTACHMENTS_PATH.length).split('/')[0] ?? '';
    const file = method === 'GET' ? this.#attachments.get(id) : undefined;
    this.downloads.push({ id, filename: file?.filename ?? '', status: file ? 200 : 404 });
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    response.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) }).end(file.bytes);
  }

  /** Files the request under its interaction when it is a reply (a callback, edit, deletion or follow-up). */
  #recordReply(route: RouteKey, params: Record<string, string>, body: unknown, { status, violations = [] }: HttpAnswer): void {
    const kind = REPLY_ROUTES[route];
    const state = params.interaction ? this.#interactions.get(params.interaction) : this.#byToken(params.token);
    if (!kind || !state) return;
    const fields = isRecord(body) ? body : {};
    const callbackType = kind === 'callback' ? (fields.type as InteractionResponseType) : null;
    const data = kind === 'callback' ? fields.data : body;
    const showsMessage = kind === 'edit' || kind === 'follow-up' || callbackType === InteractionResponseType.ChannelMessageWithSource || callbackType === InteractionResponseType.UpdateMessage;
    state.record({
      kind,
      callbackType,
      target: params.message ?? null,
      message: showsMessage && isRecord(data) ? (data as APIInteractionResponseCallbackData) : null,
      choices: callbackType === InteractionResponseType.ApplicationCommandAutocompleteResult && isRecord(data) ? (data.choices as APIApplicationCommandOptionChoice[]) : null,
      body,
      status,
      violations,
      elapsedMs: Date.now() - state.dispatchedAt,
    });
  }

  /** One handler per route; the type makes sure none is missing. */
  readonly #handlers: Record<RouteKey, Handler> = {
    'GET /gateway/bot': () =>
      json(200, {
        url: this.gatewayUrl,
        shards: this.#recommendedShards,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
      }),

    'GET /applications/@me': () =>
      json(200, { id: this.applicationId, name: this.botUser.username, description: '', icon: null, bot_public: false, bot_require_code_grant: false, verify_key: '', flags: 0, team: null, bot: this.botUser }),

    'GET /applications/:application/commands': ({ params }) => this.#ownApplication(params) ?? json(200, this.#commands.get('global') ?? []),
    'PUT /applications/:application/commands': ({ params, body }) => this.#ownApplication(params) ?? this.#registerCommands('global', body),
    'GET /applications/:application/guilds/:guild/commands': ({ params }) => this.#ownGuild(params) ?? json(200, this.#commands.get(params.guild!) ?? []),
    'PUT /applications/:application/guilds/:guild/commands': ({ params, body }) => this.#ownGuild(params) ?? this.#registerCommands(params.guild!, body),

    'POST /interactions/:interaction/:token/callback': ({ params, query, body }) => {
      const state = this.#interactions.get(params.interaction!);
      if (!state || state.payload.token !== params.token || state.ageMs() > this.#options.interactionDeadlineMs) {
        return discordError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
      }
      if (state.acknowledged) return discordError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.');
      const violations = validateInteractionCallback(body, { interactionType: state.payload.type, mentions: this.#options.mentions });
      if (violations.length > 0) return rejected(violations);
      const { type, data } = body as { type: InteractionResponseType; data?: APIInteractionResponseCallbackData };
      state.acknowledged = true;
      const message = this.#applyCallback(state, type, data ?? {});
      if (query.get('with_response') !== 'true') return { status: 204 };
      // The InteractionCallbackResponse discord.js builds for `withResponse: true`.
      return json(200, {
        interaction: {
          id: state.payload.id,
          type: state.payload.type,
          ...(message && { response_message_id: message.id, response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource, response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0 }),
        },
        resource: { type, ...(message && { message }) },
      });
    },

    'POST /webhooks/:application/:token': ({ params, query, body }) => {
      const state = this.#webhookOwner(params);
      if (!state) return unknownWebhook();
      const violations = validateWebhookMessage(body, 'create', this.#options.mentions);
      if (violations.length > 0) return rejected(violations);
      const message = this.#createMessage(state, body as APIInteractionResponseCallbackData);
      return query.get('wait') === 'true' ? json(200, message) : { status: 204 };
    },

    'GET /webhooks/:application/:token/messages/:message': ({ params }) => {
      const found = this.#webhookMessage(params);
      return 'status' in found ? found : json(200, found.message);
    },

    'PATCH /webhooks/:application/:token/messages/:message': ({ params, body }) => {
      const found = this.#webhookMessage(params);
      if ('status' in found) return found;
      const violations = validateWebhookMessage(body, 'edit', this.#options.mentions);
      if (violations.length > 0) return rejected(violations);
      return json(200, this.#editMessage(found.message, body as APIInteractionResponseCallbackData));
    },

    'DELETE /webhooks/:application/:token/messages/:message': ({ params }) => {
      const found = this.#webhookMessage(params);
      if ('status' in found) return found;
      this.#messages.delete(found.message.id);
      return { status: 204 };
    },
  };

  #ownApplication(params: Record<string, string>): HttpAnswer | undefined {
    return params.application === this.applicationId ? undefined : discordError(404, RESTJSONErrorCodes.UnknownApplication, 'Unknown Application');
  }

  #ownGuild(params: Record<string, string>): HttpAnswer | undefined {
    return this.#ownApplication(params) ?? (this.#guildChannels.has(params.guild!) ? undefined : discordError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild'));
  }

  /** A bulk overwrite: the scope's commands become exactly these. Ids survive for commands whose name stays. */
  #registerCommands(scope: string, body: unknown): HttpAnswer {
    const violations = validateCommands(body);
    if (violations.length > 0) return rejected(violations);
    const previous = this.#commands.get(scope) ?? [];
    const commands = (body as Partial<APIApplicationCommand>[]).map(
      (command) =>
        ({
          ...command,
          id: previous.find((old) => old.name === command.name)?.id ?? payloads.snowflake(),
          application_id: this.applicationId,
          version: payloads.snowflake(),
          type: command.type ?? 1,
          description: command.description ?? '',
          default_member_permissions: command.default_member_permissions ?? null,
          ...(scope === 'global' ? {} : { guild_id: scope }),
        }) as APIApplicationCommand,
    );
    this.#commands.set(scope, commands);
    return json(200, commands);
  }

  #findCommand(name: string, context: InteractionContext): APIApplicationCommand | undefined {
    const guildId = context.guildId === undefined ? this.guildId : context.guildId;
    const scopes = guildId === null ? ['global'] : [guildId, 'global'];
    return scopes.flatMap((scope) => this.#commands.get(scope) ?? []).find((command) => command.name === name);
  }

  // -------------------------------------------------------------------------------------------------------
  // Messages the bot creates through interactions

  /**
   * What an accepted callback does to messages: a reply creates the original response, a defer creates it in
   * its "thinking…" state, and component updates (6, 7) make the clicked message the original response.
   */
  #applyCallback(state: InteractionState, type: InteractionResponseType, data: APIInteractionResponseCallbackData): APIMessage | null {
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        return this.#createOriginal(state, data);
      case InteractionResponseType.DeferredChannelMessageWithSource:
        return this.#createOriginal(state, { flags: ((data.flags ?? 0) & MessageFlags.Ephemeral) | MessageFlags.Loading });
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        const clicked = this.#messages.get(state.payload.message?.id ?? '');
        if (!clicked) return null;
        state.originalId = clicked.id;
        state.messageIds.add(clicked.id);
        return type === InteractionResponseType.UpdateMessage ? this.#editMessage(clicked, data) : clicked;
      }
      default:
        return null;
    }
  }

  #createOriginal(state: InteractionState, body: APIInteractionResponseCallbackData): APIMessage {
    const original = this.#createMessage(state, body);
    state.originalId = original.id;
    return original;
  }

  #createMessage(state: InteractionState, body: APIInteractionResponseCallbackData): APIMessage {
    const created = payloads.message(payloads.snowflake(), body, {
      channelId: state.payload.channel?.id ?? this.channelId,
      guildId: state.payload.guild_id,
      author: this.botUser,
      applicationId: this.applicationId,
    });
    this.#messages.set(created.id, created);
    state.messageIds.add(created.id);
    return created;
  }

  /** Applies the fields an edit sends; the first edit of a deferred response also ends its loading state. */
  #editMessage(message: APIMessage, body: APIInteractionResponseCallbackData): APIMessage {
    const flags = body.flags ?? message.flags ?? 0;
    const edited: APIMessage = {
      ...message,
      ...(body.content !== undefined && { content: body.content }),
      ...(body.embeds !== undefined && { embeds: body.embeds }),
      ...(body.components !== undefined && { components: body.components as APIMessage['components'] }),
      flags: flags & ~MessageFlags.Loading,
      edited_timestamp: new Date().toISOString(),
    };
    this.#messages.set(message.id, edited);
    return edited;
  }

  /** The interaction whose webhook a route addresses. Its token only works once the interaction was acknowledged. */
  #webhookOwner(params: Record<string, string>): InteractionState | undefined {
    const state = this.#byToken(params.token);
    return params.application === this.applicationId && state?.acknowledged ? state : undefined;
  }

  /** The message a webhook route addresses (`@original` or a follow-up's id), or the error Discord would answer with. */
  #webhookMessage(params: Record<string, string>): { message: APIMessage } | HttpAnswer {
    const state = this.#webhookOwner(params);
    if (!state) return unknownWebhook();
    const id = params.message === '@original' ? state.originalId : params.message;
    const message = id && state.messageIds.has(id) ? this.#messages.get(id) : undefined;
    return message ? { message } : discordError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
  }

  #byToken(token: string | undefined): InteractionState | undefined {
    return [...this.#interactions.values()].find((state) => state.payload.token === token);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

const COMPILED_ROUTES = ROUTES.map((route) => {
  const [method, pattern] = route.split(' ') as [string, string];
  return { route, method, segments: pattern.split('/') };
});

/** Finds the route for a request; `:name` segments become params. */
function matchRoute(method: string, path: string): { route: RouteKey; params: Record<string, string> } | null {
  const segments = path.split('/');
  for (const candidate of COMPILED_ROUTES) {
    if (candidate.method !== method || candidate.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = candidate.segments.every((expected, index) => {
      const actual = segments[index]!;
      if (expected.startsWith(':')) params[expected.slice(1)] = actual;
      return expected.startsWith(':') || expected === actual;
    });
    if (matches) return { route: candidate.route, params };
  }
  return null;
}

/** The request's JSON body, or undefined when there is none. Throws SyntaxError for anything else (files are multipart, which the fake does not read). */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  if (!request.headers['content-type']?.startsWith('application/json')) {
    throw new SyntaxError(`Expected a JSON body, got ${request.headers['content-type'] ?? 'no content type'}`);
  }
  return JSON.parse(text);
}

function json(status: number, body: unknown): HttpAnswer {
  return { status, body };
}

/** Discord's error body: `{ message, code }` with a JSON error code (0 for plain HTTP errors). */
function discordError(status: number, code: number, message: string): HttpAnswer {
  return json(status, { message, code });
}

function unknownWebhook(): HttpAnswer {
  return discordError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
}

function rejected(violations: Violation[]): HttpAnswer {
  return { status: 400, body: invalidFormBody(violations), violations };
}

/**
 * The answer for an injected fault. For 429 the headers matter more than the body: @discordjs/rest sleeps for
 * the `Retry-After` header (seconds, plus its 50 ms offset) and ignores the body's `retry_after`.
 */
function faultAnswer(fault: Fault): HttpAnswer {
  switch (fault.kind) {
    case 'server-error':
      return discordError(fault.status ?? 500, 0, `${fault.status ?? 500}: Internal Server Error`);
    case 'rate-limit': {
      const seconds = String(fault.retryAfterSeconds);
      return {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: fault.retryAfterSeconds, global: fault.global ?? false },
        headers: {
          'retry-after': seconds,
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': seconds,
          'x-ratelimit-scope': fault.global ? 'global' : 'user',
          ...(fault.global && { 'x-ratelimit-global': 'true' }),
        },
      };
    }
    case 'unknown-interaction':
      return discordError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.pdf': 'application/pdf',
};

function guessContentType(filename: string): string {
  return CONTENT_TYPES[/\.[^.]*$/.exec(filename.toLowerCase())?.[0] ?? ''] ?? 'application/octet-stream';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The component with `customId`, searched through rows and nested layouts. */
function findComponent(components: readonly unknown[], customId: string): Record<string, unknown> | undefined {
  for (const component of components) {
    if (!isRecord(component)) continue;
    if (component.custom_id === customId) return component;
    const nested = Array.isArray(component.components) ? findComponent(component.components, customId) : undefined;
    if (nested) return nested;
  }
  return undefined;
}
