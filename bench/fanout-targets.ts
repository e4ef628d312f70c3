/**
 * The fan-out benchmark's targets, in a process of their own so that answering 1,000 scrapes does
 * not share the event loop being measured: `node bench/fanout-targets.ts N DELAY_MS` starts N HTTP
 * servers on 127.0.0.1 that each answer after DELAY_MS, prints their ports as one JSON line, and
 * exits when its stdin closes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LAB_METRICS } from '#lib/lab/exposition.ts';

const count = Number(process.argv[2] ?? '1000');
const delayMs = Number(process.argv[3] ?? '50');
const servers: Server[] = [];
for (let i = 0; i < count; i++) {
  const server = createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(LAB_METRICS);
    }, delayMs);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  servers.push(server);
}
process.stdout.write(`${JSON.stringify(servers.map((s) => (s.address() as AddressInfo).port))}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  process.exit(0);
});
