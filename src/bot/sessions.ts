// What a browsable reply remembers so its buttons work: the command and options that made it,
// who asked, and how to reach the original message. Interactions live 15 minutes on Discord's
// side; so do sessions, and a reply's buttons are disabled just before that, so nobody ever
// clicks a dead button and sees "interaction failed".
import type { Command, CommandInput } from '../../commands/types.js';

/** Discord accepts edits through an interaction's token for 15 minutes. */
export const INTERACTION_LIFETIME_MS = 15 * 60 * 1000;
/** Buttons are disabled this long before the token expires, while it still works (at most a tenth of a shorter lifetime). */
const DISABLE_MARGIN_MS = 30 * 1000;

export interface Session {
  id: string;
  command: Command;
  input: CommandInput;
  askerId: string;
  privately: boolean;
  mention: string | undefined;
  page: number;
  createdAt: number;
}

export class Sessions {
  readonly #sessions = new Map<string, Session>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** What to do when each session expires: grey out its reply, and any shared copies of it. */
  readonly #onExpiry = new Map<string, Array<() => void>>();

  constructor(private readonly lifetimeMs = INTERACTION_LIFETIME_MS) {}

  /** Remembers a session; `expire` runs once, just before its interaction token dies. */
  add(session: Session, expire: () => void): void {
    this.#sessions.set(session.id, session);
    this.#onExpiry.set(session.id, [expire]);
    // The margin is at most a tenth of the lifetime, so a short lifetime (in tests) still works.
    const margin = Math.min(DISABLE_MARGIN_MS, this.lifetimeMs / 10);
    const timer = setTimeout(() => {
      const callbacks = this.#onExpiry.get(session.id) ?? [];
      this.#sessions.delete(session.id);
      this.#timers.delete(session.id);
      this.#onExpiry.delete(session.id);
      for (const callback of callbacks) callback();
    }, Math.max(0, session.createdAt + this.lifetimeMs - margin - Date.now()));
    timer.unref();
    this.#timers.set(session.id, timer);
  }

  /** Runs `expire` too when the session expires (for a copy of its reply posted elsewhere). */
  alsoOnExpiry(id: string, expire: () => void): void {
    this.#onExpiry.get(id)?.push(expire);
  }

  /** The live session, or undefined when it expired or the bot restarted since. */
  get(id: string): Session | undefined {
    const session = this.#sessions.get(id);
    return session && Date.now() - session.createdAt < this.lifetimeMs ? session : undefined;
  }

  get size(): number {
    return this.#sessions.size;
  }

  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#sessions.clear();
    this.#onExpiry.clear();
  }
}
