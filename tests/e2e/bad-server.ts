/**
 * A file server on 127.0.0.1 that misbehaves the ways real ones do, for the downloads the bot makes: it
 * refuses, answers 404 or 500, never answers, stops halfway, says a file is small and sends gigabytes,
 * redirects in a loop or to another scheme. It counts the bytes it manages to send, so a test can tell
 * whether the bot stopped reading in time. It also serves the pages a test gives it (`routes`), as a
 * news site or a journal would, to test links.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface BadServer {
  /** `http://127.0.0.1:<port>/<path>`. */
  url(path: string): string;
  /** An address where nothing listens: connecting is refused. */
  refusedUrl: string;
  /** Body bytes written so far by the `/lie` route. */
  readonly liedBytes: number;
  stop(): Promise<void>;
}

/** A page the server serves: its content type and body, or a redirect. */
export type Route = { type: string; body: string | Uint8Array } | { location: string };

/** What each path does. `/ok/<text>` serves the text; the routes what they say; the rest misbehave. */
function handle(path: string, response: ServerResponse, counter: { lied: number }, routes: Readonly<Record<string, Route>>): void {
  const route = routes[path];
  if (route && 'location' in route) {
    response.writeHead(302, { location: route.location }).end();
  } else if (route) {
    response.writeHead(200, { 'content-type': route.type }).end(route.body);
  } else if (path.startsWith('/ok/')) {
    response.writeHead(200, { 'content-type': 'text/markdown' }).end(decodeURIComponent(path.slice(4)));
  } else if (path === '/404') {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  } else if (path === '/500') {
    response.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
  } else if (path === '/stall') {
    // Never a status line: the request hangs until the client gives up.
  } else if (path === '/halfway') {
    // Headers and part of the body, then nothing more.
    response.writeHead(200, { 'content-type': 'text/markdown', 'content-length': '5000' });
    response.write('The harbour council met on Tuesday and');
  } else if (path === '/lie') {
    // Declared as 1,000 bytes in the attachment, then streamed without a length and without end
    // (2 GiB, were the client to keep reading).
    response.writeHead(200, { 'content-type': 'text/markdown' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (counter.lied < 2 ** 31 && !response.destroyed) {
        counter.lied += chunk.byteLength;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
    };
    pump();
  } else if (path === '/loop') {
    response.writeHead(302, { location: '/loop' }).end();
  } else if (path === '/to-ftp') {
    response.writeHead(301, { location: 'ftp://127.0.0.1/file.md' }).end();
  } else {
    response.writeHead(404).end();
  }
}

export async function startBadServer(routes: Readonly<Record<string, Route>> = {}): Promise<BadServer> {
  const counter = { lied: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => handle(request.url ?? '/', response, counter, routes));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // A port that was just free and is closed again: nothing listens there.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const refusedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    refusedUrl: `http://127.0.0.1:${refusedPort}/article.md`,
    get liedBytes() {
      return counter.lied;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
