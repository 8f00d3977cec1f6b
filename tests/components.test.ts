// The buttons and menus under a reply (browseRows, confirmRows, disabledRows) stay within
// Discord's limits with the longest article ids a server can make, and carry ids that read back
// whole; sessions expire after their lifetime, and clear() stops their timers.
import { join } from 'node:path';
import { InteractionType, type TopLevelComponent } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { commands } from '../commands/index.js';
import { removeCommand } from '../commands/remove.js';
import { search } from '../commands/search.js';
import { PREFIX, browseRows, confirmRows, customId, disabledRows } from '../src/bot/components.js';
import { INTERACTION_LIFETIME_MS, Sessions, type Session } from '../src/bot/sessions.js';
import { loadCorpus } from '../src/corpus.js';
import { Engine, MAX_EXCERPTS } from '../src/engine.js';
import { Library } from '../src/library.js';
import type { Answer } from '../src/types.js';
import { testStore, type TestStore } from './store.js';
import { validateInteractionCallback } from './discord/validate.js';

/** The longest server id Discord has (20 digits) and file names that make 50-character slugs. */
const GUILD = '18446744073709551615';
const LONG_NAME = `${'Ünïcödé and very long article title '.repeat(3)}.md`;
const SESSION_ID = '18446744073709551614';
const enc = (s: string) => new TextEncoder().encode(s);

let stores: TestStore;
let library: Library;
/** What the server that added the articles sees. */
let view: Engine;
beforeAll(async () => {
  const engine = new Engine(await loadCorpus(join(import.meta.dirname, '..', 'corpus')));
  stores = await testStore(engine);
  library = stores.library;
  // Twelve uploads of the same name: ids up to `<guild>-<50-character slug>-12`.
  for (let i = 1; i <= 12; i++) {
    const title = `${'A headline that goes on and on about the harbour '.repeat(4)}number ${i}`;
    const text = `---\ntitle: ${title}\n---\nThe harbour council met for the ${i}th time and ${'talked at great length about the quay and the boats, '.repeat(6)}then voted.\n\nIn the ${i}th meeting the harbour master reported on the lighthouse and the tides of the season.\n`;
    const result = await library.add(GUILD, { fileName: LONG_NAME, bytes: enc(text) });
    if (!result.ok) throw new Error(result.reason);
  }
  view = engine.in(await stores.store.shelf(GUILD));
});
afterAll(async () => {
  await stores.close();
});

function session(over: Partial<Session> = {}): Session {
  return { id: SESSION_ID, command: search, input: { query: 'harbour' }, askerId: '1', privately: true, mention: undefined, page: 0, createdAt: Date.now(), ...over };
}

type Json = { type: number; custom_id?: string; disabled?: boolean; options?: Array<{ label: string; description?: string; value: string }>; components?: Json[] };
/** Rows as the JSON Discord receives: builders serialised, plain rows as they are. */
const json = (rows: readonly object[]): Json[] =>
  rows.map((r) => ('toJSON' in r && typeof r.toJSON === 'function' ? (r.toJSON as () => unknown)() : r) as Json);
const components = (rows: Json[]) => rows.flatMap((r) => r.components ?? []);
const button = (rows: Json[], action: string) => components(rows).find((c) => c.custom_id?.startsWith(`${PREFIX}:${action}:`) && c.type === 2);

/** Discord's own check of the reply these rows would be sent with. */
function violations(rows: Json[]) {
  return validateInteractionCallback(
    { type: 4, data: { content: 'x', components: rows, allowed_mentions: { parse: [] } } },
    { interactionType: InteractionType.ApplicationCommand },
  );
}

describe('browseRows', () => {
  it('makes article ids as long as a server can have them', async () => {
    const ids = view.articles.filter((a) => a.guildId).map((a) => a.id);
    expect(ids).toHaveLength(12);
    expect(Math.max(...ids.map((id) => id.length))).toBe(20 + 1 + 50 + 3);
  });

  it('keeps every custom id, label, description and value within 100 characters, on every page', async () => {
    const first = view.search('harbour');
    expect(first.pages).toBeGreaterThan(2);
    for (let page = 0; page < first.pages!; page++) {
      const rows = json(browseRows(view.search('harbour', { page }), session({ page })));
      expect(violations(rows)).toEqual([]);
      for (const c of components(rows)) {
        expect(c.custom_id!.length).toBeLessThanOrEqual(100);
        for (const o of c.options ?? []) {
          expect(o.label.length).toBeLessThanOrEqual(100);
          expect(o.description!.length).toBeLessThanOrEqual(100);
          expect(o.value.length).toBeLessThanOrEqual(100);
        }
      }
    }
  });

  it('gives every menu option a unique value naming its place on the page and its paragraph', async () => {
    const answer = view.search('harbour');
    const menu = components(json(browseRows(answer, session()))).find((c) => c.options)!;
    const values = menu.options!.map((o) => o.value);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toHaveLength(MAX_EXCERPTS);
    values.forEach((value, i) => {
      // As the bot reads it: the excerpt's place on the page, then its paragraph number to check it.
      const [at, n] = value.split(':').map(Number);
      expect(at).toBe(i);
      expect(n).toBe(answer.excerpts[i]!.paragraph.n);
    });
  });

  it('keeps values unique when one paragraph is shown twice, and offers at most 25 options', async () => {
    const e = view.search('harbour').excerpts[0]!;
    const answer: Answer = { kind: 'search', command: 'search', query: '', heading: 'Search', total: 30, excerpts: Array.from({ length: 30 }, () => e), page: 0, pages: 1 };
    const menu = components(json(browseRows(answer, session()))).find((c) => c.options)!;
    expect(menu.options).toHaveLength(25);
    expect(new Set(menu.options!.map((o) => o.value)).size).toBe(25);
  });

  it('disables Prev on the first page and Next on the last, and enables both in between', async () => {
    const { pages } = view.search('harbour');
    const at = (page: number) => json(browseRows(view.search('harbour', { page }), session({ page })));
    expect(button(at(0), 'page')?.custom_id).toBe(customId('page', SESSION_ID, -1));
    const state = (page: number) => components(at(page)).filter((c) => c.custom_id?.startsWith(`${PREFIX}:page:`)).map((c) => [c.custom_id, c.disabled ?? false]);
    expect(state(0)).toEqual([[`fn:page:${SESSION_ID}:-1`, true], [`fn:page:${SESSION_ID}:1`, false]]);
    expect(state(1)).toEqual([[`fn:page:${SESSION_ID}:0`, false], [`fn:page:${SESSION_ID}:2`, false]]);
    expect(state(pages! - 1)).toEqual([[`fn:page:${SESSION_ID}:${pages! - 2}`, false], [`fn:page:${SESSION_ID}:${pages}`, true]]);
  });

  it('has no page buttons for a one-page answer, and no Share button for a public reply', async () => {
    const rows = json(browseRows(view.search('Brzezinski'), session({ privately: false })));
    expect(components(rows).map((c) => c.type)).toEqual([3]);
    expect(json(browseRows(view.search('zeppelin'), session({ privately: false })))).toEqual([]);
    expect(button(json(browseRows(view.search('Brzezinski'), session())), 'share')?.custom_id).toBe(`fn:share:${SESSION_ID}:0`);
  });

  it('disables everything when asked to', async () => {
    const rows = json(browseRows(view.search('harbour', { page: 1 }), session(), true));
    expect(components(rows).length).toBeGreaterThan(3);
    expect(components(rows).every((c) => c.disabled === true)).toBe(true);
  });
});

describe('confirmRows', () => {
  const longest = () => view.articles.filter((a) => a.guildId).sort((a, b) => b.id.length - a.id.length)[0]!;

  it('carries the longest article id whole, within 100 characters', async () => {
    const article = longest();
    const answer = await removeCommand.execute({ article: article.id }, { engine: view, commands, library, scope: GUILD, caller: { userId: '1', canManageServer: true } });
    expect(answer.confirm?.id).toBe(article.id);
    const rows = json(confirmRows(answer, 'remove'));
    expect(violations(rows)).toEqual([]);
    const [confirm, cancel] = components(rows);
    expect(confirm!.custom_id!.length).toBeLessThanOrEqual(100);
    // As the bot reads it back: the command, then the id (which may hold colons).
    const [, action, command, ...id] = confirm!.custom_id!.split(':');
    expect([action, command, id.join(':')]).toEqual(['confirm', 'remove', article.id]);
    expect(cancel!.custom_id).toBe('fn:cancel');
  });

  it('makes no rows for an answer that asks for no confirmation', async () => {
    expect(confirmRows(view.search('harbour'), 'search')).toEqual([]);
  });
});

describe('disabledRows', () => {
  it('disables every button and menu, keeping their ids', () => {
    const built = [...browseRows(view.search('harbour', { page: 1 }), session()), ...confirmRows({ kind: 'notice', command: 'remove', query: 'a', heading: 'Remove?', notice: 'Sure?', confirm: { id: 'a', label: 'Remove' } }, 'remove')];
    const before = json(built);
    // As a sent message's components come back from discord.js: objects that serialise to the rows.
    const received = before.map((r) => ({ toJSON: () => r })) as unknown as TopLevelComponent[];
    const after = json(disabledRows(received));
    expect(after).toHaveLength(before.length);
    expect(after.every((row) => row.type === 1)).toBe(true);
    expect(components(after).every((c) => c.disabled === true)).toBe(true);
    expect(components(after).map((c) => c.custom_id)).toEqual(components(before).map((c) => c.custom_id));
    expect(violations(after)).toEqual([]);
  });
});

describe('Sessions', () => {
  afterEach(async () => {
    vi.useRealTimers();
  });

  it('returns a session while it lives, and undefined after its lifetime, running the expire callback', async () => {
    const sessions = new Sessions(30);
    const expire = vi.fn();
    const s = session({ createdAt: Date.now() });
    sessions.add(s, expire);
    expect(sessions.get(s.id)).toBe(s);
    expect(sessions.size).toBe(1);
    await vi.waitFor(() => expect(expire).toHaveBeenCalledTimes(1), { timeout: 30_000, interval: 5 });
    await vi.waitFor(() => expect(sessions.get(s.id)).toBeUndefined(), { timeout: 30_000, interval: 5 });
    expect(sessions.size).toBe(0);
    expect(sessions.get('unknown')).toBeUndefined();
  });

  it('expires sessions just before the interaction token dies, not earlier', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const sessions = new Sessions();
    const expire = vi.fn();
    sessions.add(session({ createdAt: Date.now() }), expire);
    vi.advanceTimersByTime(INTERACTION_LIFETIME_MS - 31_000);
    expect(expire).not.toHaveBeenCalled();
    expect(sessions.get(SESSION_ID)).toBeDefined();
    vi.advanceTimersByTime(2_000);
    expect(expire).toHaveBeenCalledTimes(1);
    expect(sessions.get(SESSION_ID)).toBeUndefined();
  });

  it('does not return a session created longer ago than its lifetime, even before its timer runs', async () => {
    const sessions = new Sessions(60_000);
    sessions.add(session({ createdAt: Date.now() - 61_000 }), () => {});
    expect(sessions.get(SESSION_ID)).toBeUndefined();
    sessions.clear();
  });

  it('clear() forgets every session and stops their timers', async () => {
    vi.useFakeTimers();
    const sessions = new Sessions();
    const expire = vi.fn();
    for (let i = 0; i < 3; i++) sessions.add(session({ id: String(i) }), expire);
    expect(vi.getTimerCount()).toBe(3);
    sessions.clear();
    expect(sessions.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(INTERACTION_LIFETIME_MS * 2);
    expect(expire).not.toHaveBeenCalled();
  });
});
