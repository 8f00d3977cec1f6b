/**
 * The test's handle on one interaction it sent through the fake Discord, and the record the fake keeps of
 * it. The bot's replies arrive asynchronously over HTTP; the handle waits for them and, when they do not
 * come, fails with a summary of what did arrive (including why the validator refused something).
 */
import type { APIApplicationCommandOptionChoice, APIInteraction, APIInteractionResponseCallbackData, InteractionResponseType } from 'discord.js';
import { describeViolation, type Violation } from './validate.js';
import { PROGRESS_MARK } from '../../src/bot/interactions.js';

/** How a reply reached Discord: the interaction callback, an edit or deletion of a message, or a follow-up message. */
export type ReplyKind = 'callback' | 'edit' | 'delete' | 'follow-up';

/** One thing the bot sent in answer to an interaction, whether or not the fake accepted it. */
export interface InteractionReply {
  kind: ReplyKind;
  /** For callbacks: 4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete, 9 modal. Null otherwise. */
  callbackType: InteractionResponseType | null;
  /** For edits and deletions: the message addressed, `@original` or a follow-up's id. Null otherwise. */
  target: string | null;
  /** The message the bot wanted to show (callback `data` of types 4 and 7, or the webhook body); null when none. */
  message: APIInteractionResponseCallbackData | null;
  /** Autocomplete suggestions (callback type 8); null otherwise. */
  choices: APIApplicationCommandOptionChoice[] | null;
  body: unknown;
  /** The fake's HTTP status; anything but 2xx means Discord would not have shown it. */
  status: number;
  /** Why the validator refused it (status 400); empty otherwise. */
  violations: Violation[];
  /** Milliseconds from dispatching the interaction to this reply arriving. */
  elapsedMs: number;
}

/**
 * An interaction the test sent. The bot's replies arrive asynchronously; these methods wait for them
 * (up to the fake's `replyTimeoutMs`) and fail with a summary of what did arrive.
 */
export class SentInteraction {
  readonly #state: InteractionState;

  constructor(state: InteractionState) {
    this.#state = state;
  }

  get id(): string {
    return this.#state.payload.id;
  }

  /** The INTERACTION_CREATE payload as dispatched. */
  get payload(): APIInteraction {
    return this.#state.payload;
  }

  /** Everything the bot sent for this interaction so far, accepted or not, in arrival order. */
  get replies(): readonly InteractionReply[] {
    return this.#state.replies;
  }

  /** The accepted interaction callback: the bot's first answer (reply, defer, update, autocomplete, modal). */
  callback(): Promise<InteractionReply> {
    return this.#state.waitFor('an accepted callback', (accepted) => accepted.find((reply) => reply.kind === 'callback'));
  }

  /**
   * The answer the user gets to see: a direct reply, or the edit or follow-up after a defer; a
   * note of how slow work stands (⏳ …), which the answer replaces, is not it.
   */
  async answer(): Promise<APIInteractionResponseCallbackData> {
    const reply = await this.#state.waitFor('an accepted message', (accepted) => accepted.find((candidate) => candidate.message !== null && !isProgress(candidate)));
    return reply.message!;
  }

  /** The notes of how slow work stands that the user saw before the answer, without their mark. */
  progress(): string[] {
    return this.replies.filter((reply) => reply.status < 300 && isProgress(reply)).map((reply) => reply.message!.content!.slice(PROGRESS_MARK.length).trim());
  }

  /** Resolves once `count` replies have been accepted, with all accepted replies. */
  waitForReplies(count: number): Promise<InteractionReply[]> {
    return this.#state.waitFor(`${count} accepted replies`, (accepted) => (accepted.length >= count ? accepted : undefined));
  }
}

function isProgress(reply: InteractionReply): boolean {
  return reply.message?.content?.startsWith(PROGRESS_MARK) === true && !reply.message.embeds?.length;
}

/** What the fake knows about one interaction it dispatched. */
export class InteractionState {
  readonly payload: APIInteraction;
  readonly dispatchedAt = Date.now();
  readonly replies: InteractionReply[] = [];
  /** Every message created for this interaction (original response and follow-ups); only these can be edited through its webhook. */
  readonly messageIds = new Set<string>();
  acknowledged = false;
  /** The message `@original` addresses: the reply or deferred reply, or for component updates the clicked message. */
  originalId: string | null = null;
  readonly #timeoutMs: number;
  readonly #waiters = new Set<{ check: () => void; fail: (error: Error) => void }>();

  constructor(payload: APIInteraction, timeoutMs: number) {
    this.payload = payload;
    this.#timeoutMs = timeoutMs;
  }

  ageMs(): number {
    return Date.now() - this.dispatchedAt;
  }

  record(reply: InteractionReply): void {
    this.replies.push(reply);
    for (const waiter of this.#waiters) waiter.check();
  }

  /** Waits until `find` locates something among the accepted (2xx) replies. */
  waitFor<T>(what: string, find: (accepted: InteractionReply[]) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        check: () => {
          const found = find(this.replies.filter((reply) => reply.status >= 200 && reply.status < 300));
          if (found === undefined) return;
          settle();
          resolve(found);
        },
        fail: (error: Error) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(() => waiter.fail(new Error(`Waited ${this.#timeoutMs} ms for ${what} to interaction ${this.payload.id}; got: ${this.#summary()}`)), this.#timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
      waiter.check();
    });
  }

  /** Fails pending waits at once, so stopping the fake leaves no timers behind. */
  abandon(): void {
    for (const waiter of this.#waiters) waiter.fail(new Error(`Fake Discord stopped while waiting for replies to interaction ${this.payload.id}`));
  }

  #summary(): string {
    if (this.replies.length === 0) return 'nothing';
    return this.replies
      .map((reply) => {
        const problems = reply.violations.length > 0 ? ` (${reply.violations.map(describeViolation).join('; ')})` : '';
        return `${reply.kind}${reply.callbackType ? ` type ${reply.callbackType}` : ''} → HTTP ${reply.status}${problems}`;
      })
      .join(', ');
  }
}
