/**
 * Real servers on 127.0.0.1, port 0, started and stopped by the tests: HTTPS with certificates the
 * tests make, plain HTTP, and raw TCP for faults no HTTP server would commit.
 */
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps, type ServerOptions } from 'node:https';
import {
  createServer as createTcp,
  type AddressInfo,
  type Server as TcpServer,
  type Socket,
} from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Running {
  port: number;
  /** `127.0.0.1:port` */
  address: string;
  /** Headers of every request received, in order. */
  requests: IncomingMessage['headers'][];
  close(): Promise<void>;
}

function track(
  server: HttpServer | TcpServer,
  requests: IncomingMessage['headers'][],
): Promise<Running> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog: a thousand simultaneous connects must not overflow the accept queue.
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        address: `127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => {
              done();
            });
          }),
      });
    });
  });
}

export function startHttps(options: ServerOptions, handler: Handler): Promise<Running> {
  const requests: IncomingMessage['headers'][] = [];
  const server = createHttps(options, (req, res) => {
    requests.push(req.headers);
    handler(req, res);
  });
  server.on('tlsClientError', () => undefined);
  return track(server, requests);
}

export function startHttp(handler: Handler): Promise<Running> {
  const requests: IncomingMessage['headers'][] = [];
  const server = createHttp((req, res) => {
    requests.push(req.headers);
    handler(req, res);
  });
  return track(server, requests);
}

/** A raw TCP server: `onSocket` decides what the peer sees. */
export function startTcp(onSocket: (socket: Socket) => void): Promise<Running> {
  return track(createTcp(onSocket), []);
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = await startTcp((s) => s.destroy());
  await server.close();
  return server.port;
}

/**
 * A listener whose accept queue is full, so the kernel drops further SYNs and a connect hangs: the
 * loopback stand-in for a firewall that drops packets. Python owns the socket so nothing accepts.
 */
export async function blackhole(): Promise<{ port: number; close(): void }> {
  const script = `
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)
fill = []
for _ in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(s.getsockname())
    except BlockingIOError: pass
    fill.append(c)
print(s.getsockname()[1], flush=True)
time.sleep(120)
`;
  const child: ChildProcess = spawn('python3', ['-c', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => {
      resolve(Number(d.toString().trim()));
    });
    child.once('error', reject);
  });
  return { port, close: () => child.kill() };
}

/** A temporary folder with files in it; removed by `cleanup()`. */
export async function tempFiles(
  files: Record<string, string>,
): Promise<{ dir: string; path(name: string): string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'scrape-check-test-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return {
    dir,
    path: (name) => join(dir, name),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export const METRICS =
  '# HELP up_total A counter.\n# TYPE up_total counter\nup_total{a="1"} 1\nup_total{a="2"} 2\n# TYPE temp gauge\ntemp 21.5\n';
export const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
