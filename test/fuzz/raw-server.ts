/**
 * A TCP server on 127.0.0.1 that answers each request for `/<id>` with exactly the bytes of the
 * case `id`, split into the case's separate writes, then closes (or keeps the connection for the
 * next request). No HTTP library stands between the generator and the client.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResponseCase } from './http-response-generator.ts';

export interface RawServer {
  address: string;
  close(): Promise<void>;
}

const NOT_FOUND = Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');

async function answer(socket: Socket, c: ResponseCase | undefined): Promise<boolean> {
  if (c === undefined) {
    socket.end(NOT_FOUND);
    return false;
  }
  let at = 0;
  for (const split of [...c.splits, c.bytes.length]) {
    if (socket.destroyed) return false;
    socket.write(c.bytes.subarray(at, split));
    at = split;
    if (split < c.bytes.length) await sleep(3);
  }
  if (c.after === 'close') {
    socket.end();
    return false;
  }
  return true;
}

export async function startRawServer(cases: readonly ResponseCase[]): Promise<RawServer> {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    let busy = false;
    const serveNext = (): void => {
      if (busy) return;
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const requestLine = pending.subarray(0, pending.indexOf('\r\n')).toString('latin1');
      pending = pending.subarray(end + 4);
      const id = (requestLine.split(' ')[1] ?? '').slice(1);
      busy = true;
      void answer(socket, byId.get(id)).then((again) => {
        busy = false;
        if (again) serveNext();
      });
    };
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      serveNext();
    });
  });
  await new Promise<void>((resolve) =>
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
