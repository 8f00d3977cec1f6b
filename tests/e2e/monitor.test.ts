/**
 * What operators see: `/metrics` and `/healthz`, served by the real bot (METRICS_PORT=0, any free port on
 * 127.0.0.1) logged in to the local Discord, scraped with fetch as Prometheus and a probe would. The counters
 * must move with what members do; the health must follow the gateway; both must be gone when the bot stops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonitor } from '../../src/bot/monitor.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/database.js';
import { countingErrors, createMetrics } from '../../src/metrics.js';
import { DEFAULT_MEMBER_PERMISSIONS } from '../discord/fake-discord.js';
import { ask, startFootnote, type Footnote } from './harness.js';

/** The value of one sample of a Prometheus text exposition, 0 when it is absent (a counter not yet moved). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:\\.|[^"\\])*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => has[key] === value)) return Number(match[3]);
  }
  return 0;
}

async function scrape(footnote: Footnote): Promise<string> {
  const response = await fetch(`${footnote.bot.monitorUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

const SEARCH_ANSWERED = { kind: 'command', command: 'search', outcome: 'answered' };

describe('/metrics and /healthz of a running bot', () => {
  let footnote: Footnote;
  beforeAll(async () => {
    footnote = await startFootnote({ env: { METRICS_PORT: '0' } });
  });
  afterAll(() => footnote?.stop());

  it('listens on 127.0.0.1 only, by default', () => {
    expect(footnote.bot.monitorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('says it is healthy once ready and connected, as JSON', async () => {
    const response = await fetch(`${footnote.bot.monitorUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ready: true, gatewayConnected: true, uptimeSeconds: expect.any(Number) });
  });

  it('counts a /search, with its latency, under its command and outcome', async () => {
    const before = await scrape(footnote);
    const { reply } = await ask(footnote.fake, 'search', { query: 'treaty 1961' });
    expect(reply.quotes.length).toBeGreaterThan(0);
    const after = await scrape(footnote);

    expect(sample(after, 'footnote_interaction_duration_seconds_count', SEARCH_ANSWERED)).toBe(sample(before, 'footnote_interaction_duration_seconds_count', SEARCH_ANSWERED) + 1);
    expect(sample(after, 'footnote_interaction_duration_seconds_sum', SEARCH_ANSWERED)).toBeGreaterThan(sample(before, 'footnote_interaction_duration_seconds_sum', SEARCH_ANSWERED));
    // Every interaction falls in the last bucket, whatever it took.
    expect(sample(after, 'footnote_interaction_duration_seconds_bucket', { ...SEARCH_ANSWERED, le: '+Inf' })).toBe(sample(after, 'footnote_interaction_duration_seconds_count', SEARCH_ANSWERED));
  });

  it('counts autocomplete and commands the bot does not have apart, and never by a name a payload made up', async () => {
    await footnote.fake.sendAutocomplete('who', { name: 'Kara' }, 'name').callback();
    await footnote.fake.sendCommand('gone-command').answer();
    const text = await scrape(footnote);
    expect(sample(text, 'footnote_interaction_duration_seconds_count', { kind: 'autocomplete', command: 'who', outcome: 'answered' })).toBe(1);
    expect(sample(text, 'footnote_interaction_duration_seconds_count', { kind: 'command', command: 'unknown', outcome: 'unknown_command' })).toBe(1);
    expect(text).not.toContain('gone-command');
  });

  it('shows the loaded servers’ indexes once a server has added an article, and the reader queue and kills from the start', async () => {
    const admin = { permissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild };
    const file = { filename: 'ferry.md', bytes: '---\ntitle: The winter ferry timetable\n---\nThe winter ferry leaves the north quay at seven and returns at noon.\n' };
    const added = await ask(footnote.fake, 'add', { file }, admin);
    expect(added.reply.title).toContain('The winter ferry timetable');
    await ask(footnote.fake, 'search', { query: 'winter ferry' });

    const text = await scrape(footnote);
    expect(sample(text, 'footnote_index_cache_servers')).toBe(1);
    expect(sample(text, 'footnote_index_cache_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'footnote_interaction_duration_seconds_count', { kind: 'command', command: 'add', outcome: 'answered' })).toBe(1);
    expect(text).toContain('footnote_reader_jobs{state="queued"} 0');
    expect(text).toContain('footnote_reader_jobs{state="running"} 0');
    expect(text).toContain('# TYPE footnote_reader_kills_total counter');
    expect(text).toContain('# TYPE footnote_database_errors_total counter');
    // Node's own, for a bot that serves its metrics: memory and event-loop delay above all.
    expect(sample(text, 'footnote_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('footnote_nodejs_eventloop_lag_seconds');
  });

  it('answers 404 elsewhere and 405 to anything but GET and HEAD', async () => {
    expect((await fetch(`${footnote.bot.monitorUrl}/`)).status).toBe(404);
    expect((await fetch(`${footnote.bot.monitorUrl}/metrics`, { method: 'POST' })).status).toBe(405);
    const head = await fetch(`${footnote.bot.monitorUrl}/healthz`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('says 503 once the gateway is closed for good, and stops listening when the bot stops', async () => {
    const url = footnote.bot.monitorUrl!;
    // 4014 (intents disallowed): discord.js does not reconnect after it.
    await expect(footnote.fake.closeGateway(4014, 500)).rejects.toThrow(/did not reconnect/);
    await expect.poll(async () => (await fetch(`${url}/healthz`)).status).toBe(503);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ gatewayConnected: false });

    await footnote.bot.stop();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('the monitor on its own', () => {
  it('is off unless METRICS_PORT is set, and refuses a port or host that cannot be one', () => {
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' })).toMatchObject({ metricsPort: 9464, metricsHost: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metricsHost).toBe('0.0.0.0');
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT must be a port number from 0 to 65535, got "70000"/);
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ METRICS_HOST: 'http://x/' })).toThrow(/METRICS_HOST must be an IP address or a host name/);
  });

  it('gives each shard of start:sharded its own port, from the shard number discord.js passes', () => {
    expect(loadConfig({ METRICS_PORT: '9464', SHARDING_MANAGER: 'true', SHARDS: '3' }).metricsPort).toBe(9467);
    expect(loadConfig({ METRICS_PORT: '0', SHARDING_MANAGER: 'true', SHARDS: '3' }).metricsPort).toBe(0);
  });

  it('answers 503 with what is missing while the bot is not ready', async () => {
    const monitor = await startMonitor(createMetrics(), () => ({ ready: false, gatewayConnected: false, uptimeSeconds: 2 }), { host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${monitor.url}/healthz`);
      expect([response.status, await response.json()]).toEqual([503, { ready: false, gatewayConnected: false, uptimeSeconds: 2 }]);
    } finally {
      await monitor.close();
    }
  });

  it('says which setting to change when the port is taken, in one line', async () => {
    const first = await startMonitor(createMetrics(), () => ({ ready: true, gatewayConnected: true, uptimeSeconds: 0 }), { host: '127.0.0.1', port: 0 });
    try {
      const port = Number(new URL(first.url).port);
      await expect(startMonitor(createMetrics(), () => ({ ready: true, gatewayConnected: true, uptimeSeconds: 0 }), { host: '127.0.0.1', port })).rejects.toThrow(
        new RegExp(`^config: could not serve the metrics on 127\\.0\\.0\\.1:${port} \\(.*EADDRINUSE.*\\); set another METRICS_PORT or METRICS_HOST$`),
      );
    } finally {
      await first.close();
    }
  });

  it('counts the database’s failures by their code, a failed statement in a transaction once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'footnote-metrics-db-'));
    const metrics = createMetrics();
    const db = countingErrors(await openDatabase({ dataDir }), metrics.databaseErrors);
    try {
      await expect(db.query('select * from no_such_table')).rejects.toThrow();
      await expect(db.transaction((tx) => tx.query('insert into servers (guild_id, version) values ($1, $2)', ['1', 'not a number']))).rejects.toThrow();
      expect(await db.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }]);

      const text = await metrics.registry.metrics();
      expect(sample(text, 'footnote_database_errors_total', { operation: 'query', code: '42P01' })).toBe(1);
      expect(sample(text, 'footnote_database_errors_total', { operation: 'transaction', code: '22P02' })).toBe(1);
      expect(sample(text, 'footnote_database_errors_total', { operation: 'query', code: '22P02' })).toBe(0);
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
