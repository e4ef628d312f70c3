/**
 * Real components for the HTTP client settings' tests, on 127.0.0.1 port 0: an OAuth2 token
 * endpoint that checks the client's credentials as a provider does, a forward proxy (TooTallNate's
 * `proxy`: absolute-form requests and CONNECT), a TLS 1.3-only server and an h2-only server.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy } from 'proxy';
import type { Issued } from '#lib/lab/certs.ts';

export const BODY = '# TYPE up gauge\nup 1\nscrape_check_test_total 3\n';
export const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

function listen(
  server: Server | Http2SecureServer,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
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

/** A client the token endpoint knows, and how it wants the credentials. */
export interface OAuthClient {
  secret: string;
  /** `params`: refuses a Basic header, as Google's token endpoint does (x/oauth2's retry case). */
  style?: 'any' | 'params';
}

export interface TokenRequestSeen {
  /** The request target (path and query). */
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** Who asked: `Prometheus/2.42.0` or `scrape-check/…`. */
  userAgent: string | undefined;
  body: Record<string, string>;
  raw: string;
}

export interface TokenEndpoint {
  tokenUrl: string;
  /** Every access token handed out. */
  issued: Set<string>;
  requests: TokenRequestSeen[];
  close(): Promise<void>;
}

/** Go's url.QueryUnescape for the Basic header's parts. */
function unescape(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/**
 * A token endpoint as providers run one (RFC 6749): the client credentials grant (§4.4), the
 * client authenticated by a Basic header or by form parameters (§2.3.1, the header's parts
 * URL-encoded first), an error answer for anything else (§5.2), and an opaque bearer token (§5.1).
 * It keeps every request, so a test can compare what scrape-check and Prometheus sent.
 */
export async function startTokenEndpoint(
  clients: Record<string, OAuthClient>,
  tls?: { cert: string; key: string },
): Promise<TokenEndpoint> {
  const issued = new Set<string>();
  const requests: TokenRequestSeen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = (status: number, json: Record<string, unknown>): void => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(json));
      };
      const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
      const body =
        type === 'application/x-www-form-urlencoded'
          ? Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()))
          : {};
      const header = req.headers.authorization;
      requests.push({
        url: req.url ?? '',
        authorization: header,
        contentType: req.headers['content-type'],
        userAgent: req.headers['user-agent'],
        body: { ...body },
        raw: new URLSearchParams(body).toString(),
      });
      if (req.method !== 'POST' || !req.url?.startsWith('/token')) {
        answer(404, { error: 'not_found' });
        return;
      }
      if (body.grant_type !== 'client_credentials') {
        answer(400, {
          error: body.grant_type === undefined ? 'invalid_request' : 'unsupported_grant_type',
        });
        return;
      }
      let id = body.client_id ?? '';
      let secret = body.client_secret ?? '';
      let inHeader = false;
      if (header?.startsWith('Basic ')) {
        const [user = '', pass = ''] = Buffer.from(header.slice(6), 'base64').toString().split(':');
        id = unescape(user);
        secret = unescape(pass);
        inHeader = true;
      }
      const client = clients[id];
      if (!client || client.secret !== secret || (inHeader && client.style === 'params')) {
        answer(401, { error: 'invalid_client', error_description: 'client authentication failed' });
        return;
      }
      const token = randomBytes(24).toString('base64url');
      issued.add(token);
      answer(200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: 3600,
        ...(body.scope === undefined ? {} : { scope: body.scope }),
      });
    });
  };
  const server = tls ? createHttps({ cert: tls.cert, key: tls.key }, handler) : createHttp(handler);
  const listening = await listen(server);
  return {
    // By name, as a provider's URL is (a proxy test swaps the name; loopback IPs skip proxies).
    tokenUrl: `${tls ? 'https' : 'http'}://localhost:${listening.port}/token`,
    issued,
    requests,
    close: () => listening.close(),
  };
}

export interface RunningProxy {
  port: number;
  url: string;
  /** `CONNECT host:port` targets, in order. */
  connects: string[];
  /** Absolute-form request targets, in order. */
  requests: string[];
  /** Headers of every CONNECT and request the proxy received. */
  headers: IncomingMessage['headers'][];
  close(): Promise<void>;
}

/** TooTallNate's `proxy`; `authenticate` answers 407 when it returns false. */
export async function startProxy(
  authenticate?: (req: IncomingMessage) => boolean,
): Promise<RunningProxy> {
  const server = createProxy(createHttp());
  const connects: string[] = [];
  const requests: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  server.prependListener('connect', (req: IncomingMessage) => {
    connects.push(req.url ?? '');
    headers.push(req.headers);
  });
  server.prependListener('request', (req: IncomingMessage) => {
    requests.push(req.url ?? '');
    headers.push(req.headers);
  });
  if (authenticate) Object.assign(server, { authenticate });
  const running = await listen(server);
  return { ...running, url: `http://127.0.0.1:${running.port}`, connects, requests, headers };
}

/** An http server for metrics; `check` may refuse a request with a status. */
export async function startMetrics(
  check: (req: IncomingMessage) => number = () => 200,
): Promise<{ port: number; seen: IncomingMessage['headers'][]; close(): Promise<void> }> {
  const seen: IncomingMessage['headers'][] = [];
  const server = createHttp((req, res) => {
    seen.push(req.headers);
    const status = check(req);
    res.writeHead(status, { 'content-type': TEXT });
    res.end(status === 200 ? BODY : 'no\n');
  });
  return { ...(await listen(server)), seen };
}

/** An HTTPS server that speaks TLS 1.3 only (or `version` only). */
export async function startTlsOnly(
  leaf: Issued,
  version: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3',
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createHttps(
    { cert: leaf.certPem, key: leaf.keyPem, minVersion: version, maxVersion: version },
    (_req, res) => {
      res.writeHead(200, { 'content-type': TEXT });
      res.end(BODY);
    },
  );
  return listen(server);
}

/** A server that speaks HTTP/2 only (ALPN h2; no HTTP/1.1 fallback), as gRPC-style servers do. */
export async function startH2Only(leaf: Issued): Promise<{ port: number; close(): Promise<void> }> {
  const server = createSecureServer(
    { cert: leaf.certPem, key: leaf.keyPem, allowHTTP1: false },
    (req, res) => {
      res.writeHead(200, { 'content-type': TEXT, 'x-http-version': req.httpVersion });
      res.end(BODY);
    },
  );
  return listen(server);
}
