/**
 * The gateway half of the fake Discord: a WebSocket endpoint that speaks just enough of Discord's gateway
 * protocol (v10, JSON text frames) for an unmodified discord.js client to identify, stay connected,
 * receive dispatches and resume after a disconnect.
 *
 * Sharding: every connection identifies as one shard `[id, count]` (a single client is `[0, 1]`). Each shard has
 * its own session, READY lists only its guilds (`(guild_id >> 22) % count === id`), and every dispatch goes to
 * the connection of the shard that owns its `guild_id` (direct messages: shard 0), as on Discord.
 *
 * Compression: discord.js asks for `compress=zlib-stream` only when the optional `zlib-sync` package is
 * installed. Even then @discordjs/ws parses *text* frames as plain JSON and only inflates binary ones, so
 * answering in uncompressed text frames is correct whatever the client asked for.
 */
import { EventEmitter } from 'node:events';
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
  /** More guilds the bot is in, beside `guild`; each shard gets the ones it owns. */
  otherGuilds?: GatewayGuildCreateDispatchData[];
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

/** One shard's session: a RESUME must name it, and a new IDENTIFY of the same shard replaces it. */
interface Session {
  id: string;
  shard: [id: number, count: number];
  sequence: number;
  /** Dispatches of the session, replayed after a RESUME like Discord does, so nothing sent during a reconnect is lost. */
  history: Dispatch[];
  /** The socket that identified or resumed the session; dispatches go there. */
  live: WebSocket | null;
}

/** The shard that owns a guild, as Discord computes it; direct messages belong to shard 0. */
export function shardOfGuild(guildId: string | null | undefined, shardCount: number): number {
  return guildId ? Number((BigInt(guildId) >> 22n) % BigInt(shardCount)) : 0;
}

/** Where a dispatch went: the shard whose session it belongs to. */
export interface Delivery {
  t: string;
  shard: number;
  d: unknown;
}

export class FakeGateway {
  readonly #world: GatewayWorld;
  readonly #server: WebSocketServer;
  /** Announces every READY or RESUMED (with the shard id), so a test can wait for the bot to be back after a forced close. */
  readonly #starts = new EventEmitter();
  /** The current session of each shard, by shard id. */
  readonly #sessions = new Map<number, Session>();
  #identifies = 0;
  #resumes = 0;
  /** The `shard` of every IDENTIFY, in order. */
  readonly #identified: [number, number][] = [];
  /** Every dispatch, with the shard it was sent to. */
  readonly deliveries: Delivery[] = [];

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

  /** The `[id, count]` of every IDENTIFY so far, in order. */
  get identified(): [number, number][] {
    return this.#identified.map(([id, count]) => [id, count]);
  }

  /** How many WebSocket connections are open now. */
  get connections(): number {
    return this.#server.clients.size;
  }

  /**
   * Sends a dispatch event (e.g. INTERACTION_CREATE) to the shard that owns its `guild_id` (shard 0 when it has
   * none) and returns that shard's id. If the shard is between connections the event waits in the session
   * history and is replayed when it resumes.
   */
  dispatch(t: string, d: unknown): number {
    const guildId = typeof d === 'object' && d !== null && 'guild_id' in d ? String(d.guild_id) : null;
    const session = [...this.#sessions.values()].find(({ shard: [id, count] }) => shardOfGuild(guildId, count) === id);
    if (!session) {
      throw new Error(
        this.#sessions.size === 0
          ? `Cannot send ${t}: the bot has not identified on the gateway yet (did login() finish?)`
          : `Cannot send ${t}: no shard that owns guild ${guildId} has identified (shards: ${[...this.#sessions.values()].map((s) => `[${s.shard.join(', ')}]`).join(' ')})`,
      );
    }
    this.#sendDispatch(session, t, d);
    return session.shard[0];
  }

  #sendDispatch(session: Session, t: string, d: unknown): void {
    const event: Dispatch = { op: GatewayOpcodes.Dispatch, t, s: ++session.sequence, d };
    session.history.push(event);
    this.deliveries.push({ t, shard: session.shard[0], d });
    session.live?.send(JSON.stringify(event));
  }

  /**
   * Closes the connection of shard `shard` with `code` (4000 "unknown error" makes discord.js resume) and
   * resolves once that shard has come back, telling how. discord.js waits about 500 ms before reconnecting.
   */
  async close(code: number, timeoutMs: number, shard = 0): Promise<SessionStart> {
    const session = this.#sessions.get(shard);
    const socket = session?.live;
    if (!session || !socket) throw new Error(shard === 0 ? 'The bot is not connected to the gateway' : `Shard ${shard} is not connected to the gateway`);
    const back = new Promise<SessionStart>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#starts.off('start', onStart);
        reject(new Error(`The bot did not reconnect within ${timeoutMs} ms after close code ${code}`));
      }, timeoutMs);
      const onStart = (how: SessionStart, started: number) => {
        if (started !== shard) return;
        clearTimeout(timer);
        this.#starts.off('start', onStart);
        resolve(how);
      };
      this.#starts.on('start', onStart);
    });
    session.live = null;
    socket.close(code, 'closed by the test');
    return back;
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
      for (const session of this.#sessions.values()) if (session.live === socket) session.live = null;
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
    // No `shard` means the only shard, [0, 1].
    const [id, count] = d.shard === undefined ? [0, 1] : Array.isArray(d.shard) ? d.shard.map(Number) : [NaN, NaN];
    if (!(Number.isInteger(id) && Number.isInteger(count) && id! >= 0 && id! < count!)) return void socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
    const session: Session = { id: randomUUID(), shard: [id!, count!], sequence: 0, history: [], live: socket };
    this.#identifies++;
    this.#identified.push(session.shard);
    // A shard that identifies again (after an invalid session, or with a new shard count) starts over.
    for (const [key, old] of this.#sessions) if (key === id || old.live === socket) this.#sessions.delete(key);
    this.#sessions.set(id!, session);
    const { botUser, applicationId, guild, otherGuilds = [] } = this.#world;
    const guilds = [guild, ...otherGuilds].filter((candidate) => shardOfGuild(candidate.id, count!) === id);
    this.#sendDispatch(session, GatewayDispatchEvents.Ready, {
      v: 10,
      user: botUser,
      guilds: guilds.map((owned) => ({ id: owned.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.#world.url(),
      shard: session.shard,
      application: { id: applicationId, flags: 0 },
    });
    // Discord only streams guilds to clients that asked for the GUILDS intent; discord.js, when it did ask,
    // waits for every guild in READY (15 s by default) before emitting clientReady.
    if ((Number(d.intents) & GatewayIntentBits.Guilds) !== 0) for (const owned of guilds) this.#sendDispatch(session, GatewayDispatchEvents.GuildCreate, owned);
    this.#starts.emit('start', 'identified' satisfies SessionStart, id);
  }

  #resume(socket: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.#world.botToken) return void socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    const session = [...this.#sessions.values()].find((candidate) => candidate.id === d.session_id);
    if (!session) {
      // "Invalid session, not resumable": discord.js reconnects and identifies afresh.
      return this.#send(socket, GatewayOpcodes.InvalidSession, false);
    }
    this.#resumes++;
    session.live = socket;
    const seen = Number(d.seq);
    for (const event of session.history.filter((past) => past.s > seen)) socket.send(JSON.stringify(event));
    // RESUMED is not part of the replayable history: a later resume must not see it again.
    socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.Resumed, s: ++session.sequence, d: {} }));
    this.#starts.emit('start', 'resumed' satisfies SessionStart, session.shard[0]);
  }

  #send(socket: WebSocket, op: GatewayOpcodes, d: unknown): void {
    socket.send(JSON.stringify({ op, d, s: null, t: null }));
  }
}
