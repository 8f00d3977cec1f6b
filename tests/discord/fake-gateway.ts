/**
 * The gateway half of the fake Discord: a WebSocket endpoint that speaks just enough of Discord's gateway
 * protocol (v10, JSON text frames) for an unmodified discord.js client to identify, stay connected,
 * receive dispatches and resume after a disconnect.
 *
 * Compression: discord.js asks for `compress=zlib-stream` only when the optional `zlib-sync` package is
 * installed. Even then @discordjs/ws parses *text* frames as plain JSON and only inflates binary ones, so
 * answering in uncompressed text frames is correct whatever the client asked for.
 */
import { EventEmitter, once } from 'node:events';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes, type APIUser, type GatewayGuildCreateDispatchData } from 'discord.js';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/** What the gateway needs to know about the world it describes to the bot. */
export interface GatewayWorld {
  path: string;
  botToken: string;
  botUser: APIUser;
  applicationId: string;
  guild: GatewayGuildCreateDispatchData;
  heartbeatIntervalMs: number;
  /** The `ws://` URL of `path`, known only once the HTTP server listens. */
  url: () => string;
}

/** How the bot's last connection began: a fresh IDENTIFY or a RESUME of the previous session. */
export type SessionStart = 'identified' | 'resumed';

interface Dispatch {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

export class FakeGateway {
  readonly #world: GatewayWorld;
  readonly #server: WebSocketServer;
  /** Announces every READY or RESUMED, so a test can wait for the bot to be back after a forced close. */
  readonly #sessions = new EventEmitter();
  /** The current session; a RESUME must name it. A new IDENTIFY starts a new one. */
  #sessionId: string | null = null;
  #sequence = 0;
  /** Dispatches of the current session, replayed after a RESUME like Discord does, so nothing sent during a reconnect is lost. */
  #history: Dispatch[] = [];
  /** The socket that identified or resumed the current session; dispatches go there. */
  #live: WebSocket | null = null;
  #identifies = 0;
  #resumes = 0;

  constructor(httpServer: Server, world: GatewayWorld) {
    this.#world = world;
    this.#server = new WebSocketServer({ server: httpServer, path: world.path });
    this.#server.on('connection', (socket, request) => this.#accept(socket, new URL(request.url ?? '/', 'ws://localhost').searchParams));
  }

  /** How many sessions the bot started, and how many times it resumed one. */
  get identifies(): number {
    return this.#identifies;
  }

  get resumes(): number {
    return this.#resumes;
  }

  /**
   * Sends a dispatch event (e.g. INTERACTION_CREATE). If the bot is between connections the event waits in
   * the session history and is replayed when it resumes.
   */
  dispatch(t: string, d: unknown): void {
    if (this.#sessionId === null) throw new Error(`Cannot send ${t}: the bot has not identified on the gateway yet (did login() finish?)`);
    const event: Dispatch = { op: GatewayOpcodes.Dispatch, t, s: ++this.#sequence, d };
    this.#history.push(event);
    this.#live?.send(JSON.stringify(event));
  }

  /**
   * Closes the bot's connection with `code` (4000 "unknown error" makes discord.js resume) and resolves once
   * the bot has come back, telling how. discord.js waits about 500 ms before reconnecting.
   */
  async close(code: number, timeoutMs: number): Promise<SessionStart> {
    const socket = this.#live;
    if (!socket) throw new Error('The bot is not connected to the gateway');
    const back = once(this.#sessions, 'start', { signal: AbortSignal.timeout(timeoutMs) });
    this.#live = null;
    socket.close(code, 'closed by the test');
    const [how] = (await back.catch(() => {
      throw new Error(`The bot did not reconnect within ${timeoutMs} ms after close code ${code}`);
    })) as [SessionStart];
    return how;
  }

  /** Drops every socket at once; `terminate` does not wait for the client's close handshake. */
  async stop(): Promise<void> {
    for (const socket of this.#server.clients) socket.terminate();
    await new Promise<void>((resolve, reject) => this.#server.close((error) => (error ? reject(error) : resolve())));
  }

  #accept(socket: WebSocket, query: URLSearchParams): void {
    if (query.get('v') !== '10' || query.get('encoding') !== 'json') {
      socket.close(GatewayCloseCodes.InvalidAPIVersion, 'The fake gateway speaks v=10&encoding=json only');
      return;
    }
    socket.on('message', (raw) => this.#receive(socket, raw));
    socket.on('close', () => {
      if (this.#live === socket) this.#live = null;
    });
    this.#send(socket, GatewayOpcodes.Hello, { heartbeat_interval: this.#world.heartbeatIntervalMs });
  }

  #receive(socket: WebSocket, raw: RawData): void {
    let payload: { op: GatewayOpcodes; d: Record<string, unknown> | null };
    try {
      payload = JSON.parse(raw.toString());
    } catch {
      return void socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    }
    const { op, d } = payload;
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        return this.#send(socket, GatewayOpcodes.HeartbeatAck, null);
      case GatewayOpcodes.Identify:
        return this.#identify(socket, d ?? {});
      case GatewayOpcodes.Resume:
        return this.#resume(socket, d ?? {});
      default:
        // Presence updates, member requests and the like change nothing the tests look at.
        return;
    }
  }

  #identify(socket: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.#world.botToken) return void socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    this.#identifies++;
    this.#sessionId = randomUUID();
    this.#sequence = 0;
    this.#history = [];
    this.#live = socket;
    const { botUser, applicationId, guild } = this.#world;
    this.dispatch(GatewayDispatchEvents.Ready, {
      v: 10,
      user: botUser,
      guilds: [{ id: guild.id, unavailable: true }],
      session_id: this.#sessionId,
      resume_gateway_url: this.#world.url(),
      shard: [0, 1],
      application: { id: applicationId, flags: 0 },
    });
    // Discord only streams guilds to clients that asked for the GUILDS intent; discord.js, when it did ask,
    // waits for every guild in READY (15 s by default) before emitting clientReady.
    if ((Number(d.intents) & GatewayIntentBits.Guilds) !== 0) this.dispatch(GatewayDispatchEvents.GuildCreate, guild);
    this.#sessions.emit('start', 'identified' satisfies SessionStart);
  }

  #resume(socket: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.#world.botToken) return void socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    if (d.session_id !== this.#sessionId) {
      // "Invalid session, not resumable": discord.js reconnects and identifies afresh.
      return this.#send(socket, GatewayOpcodes.InvalidSession, false);
    }
    this.#resumes++;
    this.#live = socket;
    const seen = Number(d.seq);
    for (const event of this.#history.filter((past) => past.s > seen)) socket.send(JSON.stringify(event));
    // RESUMED is not part of the replayable history: a later resume must not see it again.
    socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.Resumed, s: ++this.#sequence, d: {} }));
    this.#sessions.emit('start', 'resumed' satisfies SessionStart);
  }

  #send(socket: WebSocket, op: GatewayOpcodes, d: unknown): void {
    socket.send(JSON.stringify({ op, d, s: null, t: null }));
  }
}
