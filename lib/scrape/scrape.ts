/**
 * One scrape, exactly as Prometheus would make it, and the verdict it earns: connect (timed, verified
 * the Go way), send Prometheus's headers and credentials, follow redirects without carrying
 * credentials to another origin, stream the body through gzip and the parser under the limits, and
 * turn whatever happened into the contract's result.
 */
import { tokenInfo } from '#lib/credentials/jwt.ts';
import { tokenWarnings } from '#lib/diagnose/token.ts';
import { blankResult, roundMs as round } from '#lib/result/build.ts';
import type { CheckResult, Sample } from '#lib/result/types.ts';
import { redact, resolveAuth, type ResolvedAuth } from './auth.ts';
import { readPrefix } from './body.ts';
import { classifyError, statusFailure } from './classify.ts';
import { resolveClientSettings, routeFor, throughProxy } from './client-settings.ts';
import { closingWarnings } from './closing-warnings.ts';
import { createConnector, newProbe, type ConnectionProbe } from './connector.ts';
import { failure, type ScrapeFailure } from './failure.ts';
import { addHeaders, CROSS_HOST_DROPPED, leavesHost } from './http-headers.ts';
import { acceptHeader, type PrometheusVersion } from './protocol.ts';
import { openResponse, type OpenedResponse } from './open-response.ts';
import { readExposition } from './read-exposition.ts';
import { redirectLocation, resolveRedirect, shownUrl } from './redirect.ts';
import { loadTlsMaterial } from './tls-material.ts';
import type { ScrapeRequest } from './types.ts';
import { USER_AGENT } from './user-agent.ts';

export interface ScrapeOptions {
  prometheusVersion: PrometheusVersion;
  /** Keep every sample in `result.samples` (`run --samples`). */
  samples?: boolean;
  /** Keep the samples whose metric name passes this test in `forwarded` (remote_write `forward`). */
  forward?: ((name: string) => boolean) | null;
  certExpiryWarningDays?: number;
  signal?: AbortSignal;
  /** The clock, for certificate validity (tests move it). */
  now?: () => number;
}

export interface ScrapeOutcome {
  result: CheckResult;
  forwarded: Sample[];
  /** The first bytes of a non-200 body, redacted, for the diagnosis step. */
  errorBody: string | null;
}

const MAX_REDIRECTS = 10; // Go's http.Client stops after 10.
const ERROR_BODY_BYTES = 4096;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Scrapes one target. Never throws for anything the target or the network does. */
export async function scrape(req: ScrapeRequest, options: ScrapeOptions): Promise<ScrapeOutcome> {
  const started = performance.now();
  const result = blankResult({
    job: req.job,
    cluster: req.cluster,
    instance: req.instance,
    url: req.url.toString(),
    reason: 'config_invalid',
    diagnosis: '',
    token: req.token,
    scrapeTimeoutMs: req.timeoutMs,
    bodySizeLimit: req.limits.bodySizeLimit,
    sampleLimit: req.limits.sampleLimit,
    warnings: [...req.warnings],
  });
  if (req.labels) result.labels = req.labels;
  const forwarded: Sample[] = [];
  const samples: Sample[] | null = options.samples ? [] : null;
  let errorBody: string | null = null;
  let secrets: string[] = [];
  // What each hop's server broke of HTTP/1.1 that Go let through (filled while bodies are read).
  const httpNotes: ReadonlySet<string>[] = [];
  const finish = (f: ScrapeFailure | null): ScrapeOutcome => {
    result.durationMs = round(performance.now() - started)!;
    result.limits.durationMs = result.durationMs;
    if (f) {
      result.ok = false;
      result.reason = f.reason;
      result.diagnosis = redact(f.diagnosis, secrets);
    } else {
      result.ok = true;
      result.reason = 'ok';
      result.diagnosis = result.tls?.verificationSkipped
        ? 'scraped over TLS without verification (insecure_skip_verify), and parsed'
        : 'scraped and parsed';
    }
    for (const notes of httpNotes) {
      for (const note of notes) if (!result.warnings.includes(note)) result.warnings.push(note);
    }
    result.warnings = result.warnings.map((w) => redact(w, secrets));
    if (samples) result.samples = samples;
    closingWarnings(result, options.certExpiryWarningDays ?? 14);
    return { result, forwarded, errorBody: errorBody === null ? null : redact(errorBody, secrets) };
  };

  const auth = await resolveAuth(req.auth);
  if ('reason' in auth) return finish(auth);
  secrets = auth.secrets;
  describeToken(req, auth, result, (options.now ?? Date.now)());
  const tls = await loadTlsMaterial(req.tls, (options.now ?? Date.now)());
  if ('reason' in tls) return finish(tls);
  if (tls.key) secrets.push(tls.key);
  result.warnings.push(...tls.warnings);

  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const settings = await resolveClientSettings(req, {
    version: options.prometheusVersion,
    signal,
    timeoutMs: req.timeoutMs,
    now: options.now ?? Date.now,
  });
  if ('reason' in settings) return finish(settings);
  secrets.push(...settings.secrets);
  result.warnings.push(...settings.warnings);
  const headers: Record<string, string> = {
    accept: acceptHeader(options.prometheusVersion, req.scrapeProtocols, req.nameEscaping),
    'accept-encoding': req.enableCompression === false ? 'identity' : 'gzip',
    'user-agent': USER_AGENT,
    'x-prometheus-scrape-timeout-seconds': String(req.timeoutMs / 1000),
  };

  let url = req.url;
  let sendAuth = settings.authorization ?? auth.header;
  let crossed = false; // sticky, as Go's: once another host, no cookies from http_headers
  for (let hop = 0; ; hop++) {
    const route = routeFor(url, req, options.prometheusVersion);
    if ('reason' in route) return finish(route);
    secrets.push(...route.secrets);
    const probe = newProbe();
    let graceful = false;
    let opened: OpenedResponse | null = null;
    try {
      const hopHeaders = addHeaders(
        { ...headers, ...route.headers, ...(sendAuth ? { authorization: sendAuth } : {}) },
        settings.headers,
        crossed ? CROSS_HOST_DROPPED : [],
      );
      opened = await openResponse(url, {
        connect: createConnector({
          tls,
          probe,
          signal,
          now: options.now ?? Date.now,
          proxy: route.proxy,
          alpn: route.alpn,
        }),
        path: route.path,
        headers: hopHeaders,
        signal,
        // What arrived before a timeout, for its diagnosis (the classifier reads probe.response).
        watch: {
          head: (status, contentLength) => {
            probe.response = { status, bodyBytes: 0, contentLength };
          },
          body: (bytes) => {
            if (probe.response) probe.response.bodyBytes += bytes;
          },
        },
      });
      const { response } = opened;
      httpNotes.push(response.notes);
      const headersAt = performance.now();
      recordConnection(result, probe, headersAt);
      result.httpStatus = response.statusCode;
      // Go's client follows a redirect only when Location is set (net/http client.go).
      const location = redirectLocation(response.header('location'));
      if (REDIRECT_STATUSES.has(response.statusCode) && req.followRedirects && location !== null) {
        await readPrefix(response.body, 0);
        if (hop + 1 >= MAX_REDIRECTS) {
          return finish(
            failure(
              'http_status',
              `stopped after ${MAX_REDIRECTS} redirects (a redirect loop?), last at ${url.toString()}`,
            ),
          );
        }
        const next = resolveRedirect(location, url);
        if ('reason' in next) return finish(next);
        if (leavesHost(req.url, next)) crossed = true;
        if (next.origin !== url.origin && sendAuth) {
          sendAuth = null;
          result.warnings.push(
            `redirected from ${url.origin} to ${next.origin}: credentials were not sent to the other origin`,
          );
        }
        // A password in a Location is never printed (shownUrl masks it).
        result.warnings.push(`followed a ${response.statusCode} redirect to ${shownUrl(next)}`);
        url = next;
        continue;
      }
      if (response.statusCode !== 200) {
        errorBody = await readPrefix(response.body, ERROR_BODY_BYTES);
        return finish(
          throughProxy(
            statusFailure(response.statusCode, url, { followRedirects: req.followRedirects }),
            response.statusCode,
            route,
          ),
        );
      }
      const verdict = await readExposition(req, options, result, response, headersAt, {
        samples,
        forwarded,
        probe,
        tls,
      });
      // A body read to its end leaves nothing in flight: close politely (destroying builds error
      // objects with stack traces, a measurable cost across a thousand targets).
      graceful = verdict === null;
      return finish(verdict);
    } catch (error) {
      if (isBug(error)) throw error;
      recordConnection(result, probe, null);
      return finish(
        classifyError(error, {
          probe,
          url,
          timeoutMs: req.timeoutMs,
          hasClientCert: tls.cert !== undefined,
          timedOut: deadline.aborted,
        }),
      );
    } finally {
      // Anything cut short (a stalled or trickling server, an error body) is destroyed at once.
      opened?.close(graceful);
    }
  }
}

/**
 * The token's claims and lifetime warnings for a job's own bearer token. Cluster tokens arrive
 * described already (the planner minted them); a job's token is only known once its file is read.
 */
function describeToken(
  req: ScrapeRequest,
  auth: ResolvedAuth,
  result: CheckResult,
  now: number,
): void {
  if (
    req.auth?.type !== 'bearer' ||
    (req.token && req.token.source !== 'file' && req.token.source !== 'inline')
  )
    return;
  const file = req.auth.credentialsFile;
  result.token = tokenInfo(file === undefined ? 'inline' : 'file', auth.claims, now);
  const where = file === undefined ? 'authorization.credentials' : `the token file ${file}`;
  result.warnings.push(
    ...tokenWarnings({
      claims: auth.claims,
      where,
      now,
      ...(auth.fileModifiedMs === undefined ? {} : { fileModifiedMs: auth.fileModifiedMs }),
    }),
  );
}

/** Errors our own code throws (a TypeError from a bug) are not the target's fault: let them out. */
function isBug(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError
  );
}

function recordConnection(
  result: CheckResult,
  probe: ConnectionProbe,
  headersAt: number | null,
): void {
  result.phases.dnsMs = round(probe.dnsMs);
  result.phases.connectMs = round(probe.connectMs);
  result.phases.tlsMs = round(probe.tlsMs);
  result.phases.firstByteMs =
    headersAt !== null && probe.readyAt !== null ? round(headersAt - probe.readyAt) : null;
  if (probe.tls) result.tls = probe.tls;
  if (probe.skippedVerification) {
    result.warnings.push(
      `insecure_skip_verify hides a certificate Prometheus would otherwise refuse: ${probe.skippedVerification}`,
    );
  }
}
