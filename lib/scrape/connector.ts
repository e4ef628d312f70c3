/**
 * undici's connector, replaced by one that times each phase (DNS, TCP, TLS) and verifies the server
 * as Prometheus would. Each check gets its own connection: the verdict must come from this check's
 * own handshake (a rotated certificate or a moved port shows at once), and the TLS facts it records
 * belong to exactly one result.
 *
 * Through a forward proxy it dials the proxy instead: an http target's socket is handed over as is
 * (the request goes in absolute form), an https target's gets a CONNECT tunnel first and then TLS to
 * the target inside it, so the target is verified exactly as on a direct connection.
 */
import { lookup, type LookupAddress } from 'node:dns';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import type { TlsInfo } from '#lib/result/types.ts';
import { systemContext } from '#lib/trust/index.ts';
import { ScrapeFailureError, type ScrapeFailure } from './failure.ts';
import {
  openTunnel,
  refusedTunnel,
  targetAuthority,
  unreachableProxy,
  type ResolvedProxy,
} from './proxy.ts';
import type { TlsMaterial } from './tls-material.ts';
import { watchResponses } from './response-watch.ts';
import { tlsVersionRange, versionMismatch } from './tls-versions.ts';
import { verifyPeer } from './verify.ts';

export type Phase = 'dns' | 'connect' | 'tls' | 'request';

/** What one connection attempt saw. Written by the connector, read by the scrape. */
export interface ConnectionProbe {
  phase: Phase;
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** performance.now() when the connection was handed to undici (the request is written then). */
  readyAt: number | null;
  tls: TlsInfo | null;
  /** Verification findings that insecure_skip_verify let through: warned about, never a verdict. */
  skippedVerification: string | null;
  /** Our own refusal (a certificate Go would reject), or the raw error of a phase. */
  failure: ScrapeFailure | null;
  error: NodeJS.ErrnoException | null;
  /**
   * The response head once it arrived (a final status, not a 1xx), and the body bytes received
   * since, as they came off the wire (still compressed); null until then. Written by
   * response-watch.ts, read by the classifier: a failure after the head is not a scheme problem.
   */
  response: { status: number; bodyBytes: number; contentLength: number | null } | null;
}

export function newProbe(): ConnectionProbe {
  return {
    phase: 'dns',
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    readyAt: null,
    tls: null,
    skippedVerification: null,
    failure: null,
    error: null,
    response: null,
  };
}

function resolveAddresses(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(hostname, { all: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses);
    });
  });
}

export interface ConnectorOptions {
  tls: TlsMaterial;
  probe: ConnectionProbe;
  signal: AbortSignal;
  now: () => number;
  /** Dial this proxy instead of the target (see proxy.ts); null or absent: connect directly. */
  proxy?: ResolvedProxy | null;
  /**
   * ALPN protocols to offer over TLS. Go offers `h2, http/1.1` once HTTP/2 is configured
   * (`enable_http2`) and no ALPN at all otherwise: null offers none. Default: `http/1.1`.
   */
  alpn?: readonly string[] | null;
  /** The setting the TLS material came from, for diagnoses (`oauth2.tls_config`). */
  tlsSetting?: string;
}

/** Builds the `connect` function for one check's undici Client. */
export function createConnector(options: ConnectorOptions): buildConnector.connector {
  const { probe, tls, signal } = options;
  const proxy = options.proxy ?? null;
  const tlsSetting = options.tlsSetting ?? 'tls_config';
  return (opts, callback) => {
    let settled = false;
    let socket: Socket | null = null;
    // Where a proxied connection is: errors before the tunnel opens are the proxy's.
    let proxyStage: 'dns' | 'connect' | 'tunnel' | null = proxy ? 'dns' : null;
    const done = (err: Error | null, result?: Socket): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (err) {
        socket?.destroy();
        callback(err, null);
      } else callback(null, result!);
    };
    const fail = (err: NodeJS.ErrnoException): void => {
      if (proxy && proxyStage && !probe.failure) {
        probe.failure = unreachableProxy(err, proxyStage, proxy, signal.aborted);
      }
      probe.error ??= err;
      done(err);
    };
    const onAbort = (): void => {
      fail(Object.assign(new Error(`timed out during ${probe.phase}`), { code: 'ETIMEDOUT' }));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });

    const hostname = opts.hostname.replace(/^\[|\]$/g, '');
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    const dialHost = proxy ? proxy.hostname : hostname;
    const dialPort = proxy ? proxy.port : port;
    const t0 = performance.now();
    const addresses: Promise<LookupAddress[]> = isIP(dialHost)
      ? Promise.resolve([{ address: dialHost, family: isIP(dialHost) }])
      : resolveAddresses(dialHost);
    addresses.then(
      (list) => {
        if (settled) return;
        probe.dnsMs = isIP(dialHost) ? 0 : performance.now() - t0;
        probe.phase = 'connect';
        if (proxyStage) proxyStage = 'connect';
        const t1 = performance.now();
        // Hand Node the addresses we resolved so it can try each family in turn, as Go's dialer does.
        socket = netConnect({
          host: dialHost,
          port: dialPort,
          autoSelectFamily: true,
          lookup: (_host, lookupOptions, cb) => {
            if ((lookupOptions as { all?: boolean }).all) cb(null, list);
            else cb(null, list[0]!.address, list[0]!.family);
          },
        });
        socket.once('error', fail);
        socket.once('connect', () => {
          if (opts.protocol !== 'https:') {
            probe.connectMs = performance.now() - t1;
            proxyStage = null;
            probe.phase = 'request';
            probe.readyAt = performance.now();
            socket!.removeListener('error', fail);
            watchResponses(socket!, probe);
            done(null, socket!);
            return;
          }
          if (proxy) {
            tunnel(socket!, t1);
            return;
          }
          probe.connectMs = performance.now() - t1;
          begin(socket!);
        });
      },
      (err: unknown) => {
        fail(err as NodeJS.ErrnoException);
      },
    );

    /** CONNECT through the proxy; the tunnel's round trip counts as connecting. */
    const tunnel = (tcp: Socket, t1: number): void => {
      proxyStage = 'tunnel';
      const authority = targetAuthority(hostname, port);
      tcp.removeListener('error', fail);
      openTunnel(tcp, authority, proxy!).then(
        (answer) => {
          if (settled) return;
          if (answer.status !== 200) {
            probe.failure = refusedTunnel(answer, authority, proxy!);
            done(new ScrapeFailureError(probe.failure));
            return;
          }
          probe.connectMs = performance.now() - t1;
          proxyStage = null;
          tcp.once('error', fail);
          begin(tcp);
        },
        (err: unknown) => {
          fail(err as NodeJS.ErrnoException);
        },
      );
    };

    const begin = (tcp: Socket): void => {
      try {
        startTls(tcp, hostname);
      } catch (error) {
        // Never let a TLS setup error escape this event handler: it would end the whole run.
        fail(error as NodeJS.ErrnoException);
      }
    };

    const startTls = (tcp: Socket, hostname: string): void => {
      probe.phase = 'tls';
      const t2 = performance.now();
      const sni = tls.serverName ?? (isIP(hostname) ? undefined : hostname);
      tcp.removeListener('error', fail);
      const range = tlsVersionRange(tls, tlsSetting);
      if ('reason' in range) {
        probe.failure = range;
        done(new ScrapeFailureError(range));
        return;
      }
      const alpn = options.alpn === undefined ? ['http/1.1'] : options.alpn;
      // Go trusts any certificate in the pool as an anchor; OpenSSL needs this flag to do the same.
      const anchors = {
        ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }),
        ...range,
        allowPartialTrustChain: true,
      };
      const secure = tlsConnect({
        socket: tcp,
        ...(sni === undefined ? {} : { servername: sni }),
        // Without ca_file or ca, the system trust store as Go reads it (never Node's bundled
        // list), through a context built once: see lib/trust/secure-context.ts.
        ...(tls.systemRoots === undefined
          ? { ...anchors, ...(tls.ca === undefined ? {} : { ca: tls.ca }) }
          : { secureContext: systemContext(tls.systemRoots, anchors) }),
        // We verify ourselves, after the handshake, in Go's order and with Go's rules. Node would
        // otherwise also fold its own name check (CN fallback, `localhost` when no name is given)
        // into authorizationError, which must hold OpenSSL's chain verdict alone.
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        ...(alpn === null ? {} : { ALPNProtocols: [...alpn] }),
      });
      socket = secure;
      secure.once('error', (err: NodeJS.ErrnoException) => {
        const mismatch = versionMismatch(
          err.code ?? '',
          tls,
          targetAuthority(hostname, port),
          tlsSetting,
        );
        if (mismatch) probe.failure ??= mismatch;
        fail(err);
      });
      secure.once('secureConnect', () => {
        try {
          onSecure(secure, hostname, t2);
        } catch (error) {
          // A bug of ours in an event handler must fail this check, not the process.
          done(error as Error);
        }
      });
    };

    const onSecure = (secure: TLSSocket, hostname: string, t2: number): void => {
      probe.tlsMs = performance.now() - t2;
      const verification = verifyPeer(secure, {
        verifyName: tls.serverName ?? hostname,
        insecureSkipVerify: tls.insecureSkipVerify,
        caSource: tls.caSource,
        caSubjects: tls.caSubjects,
        systemStore: tls.systemRoots !== undefined,
        now: options.now(),
      });
      probe.tls = verification.info;
      if (verification.failure) {
        if (!tls.insecureSkipVerify) {
          probe.failure = verification.failure;
          done(new ScrapeFailureError(verification.failure));
          return;
        }
        probe.skippedVerification = `${verification.failure.reason}: ${verification.failure.diagnosis}`;
      }
      probe.phase = 'request';
      probe.readyAt = performance.now();
      secure.removeAllListeners('error');
      // Under TLS 1.3 the server judges our client certificate after our side of the handshake
      // is done: its alert arrives as a socket error that undici reports only as "other side
      // closed". Keep the first one for the classifier.
      secure.once('error', (err: NodeJS.ErrnoException) => {
        probe.error ??= err;
      });
      watchResponses(secure, probe);
      done(null, secure);
    };
  };
}
