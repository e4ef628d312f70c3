/**
 * http_sd word for word against Prometheus 2.42: `promtool check config` for what a config may
 * say (`url` parsed by Go's net/url), and `promtool check service-discovery` for what a refresh
 * meets (it logs `Unable to refresh target groups` with Prometheus's error), against the same
 * node:http endpoints. Skipped without promtool, failing under CI=true (test/helpers/peers.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { discoverHttp, validateHttpSdConfig } from '#lib/discovery/http.ts';
import { BINARIES, freePort, peerMissing } from '../helpers/peers.ts';
import { startHttp, type Running } from '../helpers/servers.ts';

const run = promisify(execFile);
const skip = peerMissing(BINARIES.promtool) ?? false;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scrape-check-http-sd-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(url: string): Promise<string> {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.yml`);
  await writeFile(
    file,
    `scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: ${JSON.stringify(url)}\n`,
  );
  return file;
}

describe(
  'http_sd url: the same verdict as promtool check config (Prometheus 2.42)',
  { skip },
  () => {
    const urls = [
      'http://sd:8080/targets',
      'HTTPS://sd/x',
      'ftp://sd/x',
      'sd:8080/x',
      'http:///x',
      'http:sd',
      'http://[::1/x',
      'http://[::1]:x/',
      'http://sd:port/x',
      'http://a b/x',
      'http://sd/%zz',
      ':x',
      'http://exa%41mple/',
      'http://300.1.1.1/',
      'http://sd/#%zz',
      'http://u%zz@sd/',
      'http://sd/a b?c d#e',
      '/relative',
      'http://sd:/',
    ];
    for (const url of urls) {
      test(JSON.stringify(url), async () => {
        let theirs: string | null = null;
        try {
          await run(BINARIES.promtool, ['check', 'config', await writeConfig(url)]);
        } catch (error) {
          const out = `${(error as { stdout: string }).stdout}${(error as { stderr: string }).stderr}`;
          const match = /parsing YAML file [^:]+: (.*)/.exec(out);
          assert.ok(match, out);
          theirs = match[1]!.trim();
        }
        const mine = validateHttpSdConfig({ url }, '2');
        assert.equal(mine.ok ? null : mine.errors[0]!.message, theirs);
      });
    }
  },
);

describe(
  'http_sd refresh failures: the same error as promtool check service-discovery (Prometheus 2.42)',
  { skip },
  () => {
    let server: Running;
    let base: string;
    before(async () => {
      server = await startHttp((req, res) => {
        const json = { 'content-type': 'application/json' };
        if (req.url === '/404') res.writeHead(404).end();
        else if (req.url === '/503') res.writeHead(503, 'Going Away').end();
        else if (req.url === '/html')
          res.writeHead(200, { 'content-type': 'text/html' }).end('<p>');
        else if (req.url === '/none') res.writeHead(200).end('[]');
        else if (req.url === '/field') res.writeHead(200, json).end('[{"targets": [], "x": 1}]');
        else if (req.url === '/nil') res.writeHead(200, json).end('[null]');
        else if (req.url === '/syntax') res.writeHead(200, json).end('[{"targets": ["a"],}]');
        else if (req.url === '/label') res.writeHead(200, json).end('[{"labels": {"a.b": "x"}}]');
        else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
        else res.writeHead(200, { 'content-type': 'Application/JSON; charset="utf-8"' }).end('[]');
      });
      base = `http://${server.address}`;
    });
    after(async () => {
      await server.close();
    });

    const paths = [
      '/404',
      '/503',
      '/html',
      '/none',
      '/field',
      '/nil',
      '/syntax',
      '/label',
      '/loop',
      '/ok',
      'refused',
    ];
    for (const path of paths) {
      test(path, async () => {
        const url =
          path === 'refused' ? `http://127.0.0.1:${await freePort()}/sd` : `${base}${path}`;
        const { stderr } = await run(BINARIES.promtool, [
          'check',
          'service-discovery',
          '--timeout=1s',
          await writeConfig(url),
          'a',
        ]);
        const match = /msg="Unable to refresh target groups" err=("(?:[^"\\]|\\.)*")/.exec(stderr);
        const theirs = match ? (JSON.parse(match[1]!) as string) : null;
        const outcome = await discoverHttp({ url, refreshIntervalMs: 60_000 }, { version: '2' });
        // Ours adds where in the answer a decoding error is.
        const mine = outcome.ok
          ? null
          : outcome.failure.message.replace(/ \(line \d+, column \d+ of the answer\)$/, '');
        assert.equal(mine, theirs);
      });
    }
  },
);
