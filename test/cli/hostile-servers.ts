/**
 * Raw-socket loopback servers for the command line's hostile-input tests: node:http cannot send control
 * characters in headers, an endless body or trickled headers, so these write the bytes themselves.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  headers: Map<string, string>;
}

export interface RawServer {
  url: string;
  /** Requests seen, in order. */
  requests: RawRequest[];
  /** Bytes written by the server, and sockets closed by the client. */
  stats: { written: number; closedByClient: number };
  close(): Promise<void>;
}

function parseRequest(head: string): RawRequest {
  const [line = '', ...rest] = head.split('\r\n');
  const [method = '', path = ''] = line.split(' ');
  const headers = new Map<string, string>();
  for (const l of rest) {
    const i = l.indexOf(':');
    if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
  }
  return { method, path, headers };
}

/** A server that calls `answer` with each request's head and its socket; the bytes are up to it. */
export async function rawServer(
  answer: (req: RawRequest, socket: Socket, stats: RawServer['stats']) => void,
): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const stats = { written: 0, closedByClient: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const req = parseRequest(buf.slice(0, end));
      requests.push(req);
      answer(req, socket, stats);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stats,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Writes a whole response head; header values are bytes (latin1), as a server may send any. */
export function writeHead(socket: Socket, statusLine: string, headers: [string, string][]): number {
  const head = `${statusLine}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  const bytes = Buffer.from(head, 'latin1');
  socket.write(bytes);
  return bytes.length;
}

/** The UTF-8 bytes of a string, as latin1 characters (what a raw server writes for it). */
export const utf8Bytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
