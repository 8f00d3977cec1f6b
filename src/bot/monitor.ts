// The operators' HTTP endpoint, served only when METRICS_PORT is set: `/metrics` for Prometheus,
// `/healthz` for a load balancer or an orchestrator's probe. It answers from memory, never from
// the database or Discord, so it stays quick when they are slow.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config.js';
import type { Metrics } from '../metrics.js';

export interface Health {
  /** The client is logged in and its gateway ready (discord.js's `isReady()`): start-up is done. */
  ready: boolean;
  /** Every gateway shard of this process is connected (false while one reconnects). */
  gatewayConnected: boolean;
  uptimeSeconds: number;
}

export interface Monitor {
  /** Where it listens, e.g. http://127.0.0.1:9464 (the port chosen when METRICS_PORT is 0). */
  url: string;
  close(): Promise<void>;
}

export async function startMonitor(metrics: Metrics, health: () => Health, where: { host: string; port: number }): Promise<Monitor> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://monitor').pathname;
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'text/plain', 'GET or HEAD only\n');
    if (path === '/healthz') {
      const now = health();
      return send(now.ready && now.gatewayConnected ? 200 : 503, 'application/json', `${JSON.stringify(now)}\n`);
    }
    if (path !== '/metrics') return send(404, 'text/plain', 'not found: try /metrics or /healthz\n');
    metrics.registry.metrics().then(
      (text) => send(200, metrics.registry.contentType, text),
      (err: unknown) => send(500, 'text/plain', `could not collect the metrics: ${(err as Error).message}\n`),
    );
  });
  server.listen(where.port, where.host);
  try {
    await once(server, 'listening');
  } catch (err) {
    throw new ConfigError(`could not serve the metrics on ${where.host}:${where.port} (${(err as Error).message}); set another METRICS_PORT or METRICS_HOST`);
  }
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    async close() {
      const closed = once(server, 'close');
      server.close();
      // A scraper's kept-alive connection would hold the server open until it times out.
      server.closeAllConnections();
      await closed;
    },
  };
}
