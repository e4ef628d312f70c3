/**
 * One scrape, exactly as Prometheus would make it, and the verdict it earns: connect (timed, verified
 * the Go way), send Prometheus's headers and credentials, follow redirects without carrying
 * credentials to another origin, stream the body through gzip and the parser under the limits, and
 * turn whatever happened into the contract's result.
 */
import { Client } from './undici-client.ts'; // undici's Client alone, not all of undici
import { ExpositionStream, type SampleRef } from '#lib/exposition/index.ts';
import { jsonValue, type CheckResult, type Sample } from '#lib/result/types.ts';
import { tokenInfo } from '#lib/credentials/jwt.ts';
import { tokenWarnings } from '#lib/diagnose/token.ts';
import { redact, resolveAuth, type ResolvedAuth } from './auth.ts';
import { BodyTooLargeError, CorruptGzipError, readBody, readPrefix } from './body.ts';
import { classifyError } from './classify.ts';
import { createConnector, newProbe, type ConnectionProbe } from './connector.ts';
import { failure, type ScrapeFailure } from './failure.ts';
import { hasLabelLimits, watchLabelLimits } from './limits.ts';
import { acceptHeader, decideFormat, type PrometheusVersion } from './protocol.ts';
import { loadTlsMaterial, type TlsMaterial } from './tls-material.ts';
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

function emptyResult(req: ScrapeRequest): CheckResult {
  return {
    job: req.job,
    cluster: req.cluster,
    instance: req.instance,
    url: req.url.toString(),
    ok: false,
    reason: 'config_invalid',
    diagnosis: '',
    httpStatus: null,
    durationMs: 0,
    phases: { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null, bodyMs: null },
    bytes: 0,
    series: 0,
    format: null,
    tls: null,
    token: req.token,
    limits: {
      bodyBytes: 0,
      bodySizeLimit: req.limits.bodySizeLimit,
      samples: 0,
      sampleLimit: req.limits.sampleLimit,
      durationMs: 0,
      scrapeTimeoutMs: req.timeoutMs,
    },
    warnings: [...req.warnings],
  };
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}

function statusFailure(status: number, url: URL): ScrapeFailure {
  const line = `server returned HTTP status ${status}`;
  if (status === 401)
    return failure(
      'http_unauthorized',
      `${line}: the credentials were not accepted (expired, revoked, wrong audience, or none sent)`,
    );
  if (status === 403)
    return failure(
      'http_forbidden',
      `${line}: authorization refused GET ${url.pathname} for these credentials`,
    );
  if (status === 404)
    return failure(
      'http_not_found',
      `${line}: nothing is served at ${url.pathname} (wrong metrics_path, or the endpoint is not enabled)`,
    );
  if (REDIRECT_STATUSES.has(status))
    return failure('http_status', `${line}: a redirect, and follow_redirects is false`);
  if (status >= 200 && status < 300)
    return failure('http_status', `${line}: Prometheus accepts only 200 OK`);
  return failure('http_status', line);
}

/** Scrapes one target. Never throws for anything the target or the network does. */
export async function scrape(req: ScrapeRequest, options: ScrapeOptions): Promise<ScrapeOutcome> {
  const started = performance.now();
  const result = emptyResult(req);
  const forwarded: Sample[] = [];
  const samples: Sample[] | null = options.samples ? [] : null;
  let errorBody: string | null = null;
  let secrets: string[] = [];
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
    result.warnings = result.warnings.map((w) => redact(w, secrets));
    if (samples) result.samples = samples;
    closingWarnings(result, options.certExpiryWarningDays ?? 14);
    return { result, forwarded, errorBody: errorBody === null ? null : redact(errorBody, secrets) };
  };

  const auth = await resolveAuth(req.auth);
  if ('reason' in auth) return finish(auth);
  secrets = auth.secrets;
  describeToken(req, auth, result, (options.now ?? Date.now)());
  const tls = await loadTlsMaterial(req.tls);
  if ('reason' in tls) return finish(tls);
  if (tls.key) secrets.push(tls.key);

  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const headers: Record<string, string> = {
    accept: acceptHeader(options.prometheusVersion, req.scrapeProtocols),
    'accept-encoding': req.enableCompression === false ? 'identity' : 'gzip',
    'user-agent': USER_AGENT,
    'x-prometheus-scrape-timeout-seconds': String(req.timeoutMs / 1000),
  };

  let url = req.url;
  let sendAuth = auth.header;
  for (let hop = 0; ; hop++) {
    const probe = newProbe();
    let graceful = false;
    const client = new Client(url.origin, {
      connect: createConnector({ tls, probe, signal, now: options.now ?? Date.now }),
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    try {
      const hopHeaders = sendAuth ? { ...headers, authorization: sendAuth } : headers;
      const response = await client.request({
        path: url.pathname + url.search,
        method: 'GET',
        headers: hopHeaders,
        signal,
      });
      const headersAt = performance.now();
      recordConnection(result, probe, headersAt);
      result.httpStatus = response.statusCode;
      const location = response.headers.location;
      if (
        REDIRECT_STATUSES.has(response.statusCode) &&
        req.followRedirects &&
        typeof location === 'string'
      ) {
        await readPrefix(response.body, 0);
        if (hop + 1 >= MAX_REDIRECTS) {
          return finish(
            failure(
              'http_status',
              `stopped after ${MAX_REDIRECTS} redirects (a redirect loop?), last at ${url.toString()}`,
            ),
          );
        }
        const next = new URL(location, url);
        if (next.origin !== url.origin && sendAuth) {
          sendAuth = null;
          result.warnings.push(
            `redirected from ${url.origin} to ${next.origin}: credentials were not sent to the other origin`,
          );
        }
        result.warnings.push(`followed a ${response.statusCode} redirect to ${next.toString()}`);
        url = next;
        continue;
      }
      if (response.statusCode !== 200) {
        errorBody = await readPrefix(response.body, ERROR_BODY_BYTES);
        return finish(statusFailure(response.statusCode, url));
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
      void (graceful ? client.close() : client.destroy()).catch(() => undefined);
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

interface ReadContext {
  samples: Sample[] | null;
  forwarded: Sample[];
  probe: ConnectionProbe;
  tls: TlsMaterial;
}

function toSample(s: SampleRef): Sample {
  const sample: Sample = {
    name: s.name,
    labels: s.labels(),
    value: jsonValue(s.value),
    timestampMs: s.timestampMs,
  };
  const exemplar = s.exemplar();
  if (exemplar) sample.exemplar = exemplar;
  return sample;
}

async function readExposition(
  req: ScrapeRequest,
  options: ScrapeOptions,
  result: CheckResult,
  response: Awaited<ReturnType<Client['request']>>,
  headersAt: number,
  ctx: ReadContext,
): Promise<ScrapeFailure | null> {
  const contentType = response.headers['content-type'];
  const contentTypeText = Array.isArray(contentType) ? contentType.join(', ') : contentType;
  const version = options.prometheusVersion;
  const decision = decideFormat(version, contentTypeText, req.fallbackScrapeProtocol);
  const other = decideFormat(
    version === '3' ? '2' : '3',
    contentTypeText,
    req.fallbackScrapeProtocol,
  );
  if ('refused' in other && !('refused' in decision)) {
    result.warnings.push(
      `Prometheus 3 would refuse this target: it sent ${other.refused} and no fallback_scrape_protocol is set (set fallback_scrape_protocol: PrometheusText0.0.4, or fix the target's Content-Type)`,
    );
  }
  if ('refused' in decision) {
    await readPrefix(response.body, 0);
    result.format = null;
    const twoWould = !('refused' in other);
    return failure(
      'unsupported_content_type',
      `the target sent ${decision.refused} and Prometheus 3 refuses it without fallback_scrape_protocol${twoWould ? ' (Prometheus 2 read it as the text format)' : ''}: set fallback_scrape_protocol: PrometheusText0.0.4 in this job, or make the target send text/plain; version=0.0.4`,
    );
  }
  if (decision.note) result.warnings.push(decision.note);
  if (decision.format === 'protobuf') {
    await readPrefix(response.body, 0);
    return failure(
      'parse_failed',
      'the target answered in the protobuf format, which scrape-check does not parse: remove PrometheusProto from scrape_protocols',
    );
  }
  result.format = decision.format;
  const labelWatch = hasLabelLimits(req.limits)
    ? watchLabelLimits(req.limits, req.targetLabels)
    : null;
  const forward = options.forward ?? null;
  const onSample =
    labelWatch || ctx.samples || forward
      ? (s: SampleRef): void => {
          labelWatch?.check(s);
          if (ctx.samples) ctx.samples.push(toSample(s));
          if (forward?.(s.name)) ctx.forwarded.push(toSample(s));
        }
      : undefined;
  const stream = new ExpositionStream({
    format: decision.format,
    mode: 'scrape',
    prometheusVersion: version,
    ...(onSample ? { onSample } : {}),
  });
  let bytes = 0;
  try {
    const gzip = (response.headers['content-encoding'] ?? '') === 'gzip';
    bytes = await readBody(response.body, gzip, req.limits.bodySizeLimit, (chunk) =>
      stream.write(chunk),
    );
  } catch (error) {
    result.bytes = bytes;
    result.phases.bodyMs = round(performance.now() - headersAt);
    if (error instanceof BodyTooLargeError) {
      result.bytes = req.limits.bodySizeLimit;
      result.limits.bodyBytes = req.limits.bodySizeLimit;
      return failure(
        'body_too_large',
        `the body reached body_size_limit (${req.limits.bodySizeLimit} bytes, decompressed) before it ended; Prometheus drops the whole scrape: raise body_size_limit or reduce what the target exposes`,
      );
    }
    if (error instanceof CorruptGzipError) {
      return failure(
        'parse_failed',
        `the body says Content-Encoding: gzip but is not valid gzip (${error.detail})`,
      );
    }
    throw error;
  }
  const parsed = stream.end();
  // What Prometheus accepts but the format forbids: at most five lines, so the rest stays readable.
  const cut = parsed.warnings.length - 5;
  result.warnings.push(
    ...parsed.warnings.map((w, i) => (i === 4 && cut > 0 ? `${w} (+${cut} more)` : w)).slice(0, 5),
  );
  result.phases.bodyMs = round(performance.now() - headersAt);
  result.bytes = bytes;
  result.limits.bodyBytes = bytes;
  result.series = parsed.series;
  result.limits.samples = parsed.series;
  if (parsed.error) {
    const { line, column, message } = parsed.error;
    return failure(
      'parse_failed',
      `the body is not a valid ${decision.format === 'openmetrics' ? 'OpenMetrics' : 'Prometheus text'} exposition: line ${line}, column ${column}: ${message}`,
    );
  }
  if (labelWatch?.violation) {
    return failure(
      'label_limit_exceeded',
      `${labelWatch.violation}; Prometheus drops the whole scrape`,
    );
  }
  if (req.limits.sampleLimit > 0 && parsed.series > req.limits.sampleLimit) {
    return failure(
      'sample_limit_exceeded',
      `sample limit exceeded: the target exposes ${parsed.series} samples and sample_limit is ${req.limits.sampleLimit}; Prometheus drops the whole scrape`,
    );
  }
  if (parsed.series === 0) {
    return failure(
      'no_samples',
      'the exposition is valid but holds no samples (Prometheus reports up=1 with nothing in it: dashboards go blank)',
    );
  }
  return null;
}

/** Warns at 80% of any limit, and about certificates close to expiry. */
function closingWarnings(result: CheckResult, certWarningDays: number): void {
  const tls = result.tls;
  if (tls?.daysLeft != null && tls.daysLeft >= 0 && tls.daysLeft <= certWarningDays) {
    result.warnings.push(
      `the server's certificate expires in ${tls.daysLeft} days (${tls.notAfter ?? '?'})`,
    );
  } else if (tls?.earliestNotAfter && tls.notAfter && tls.earliestNotAfter < tls.notAfter) {
    const days = Math.floor((Date.parse(tls.earliestNotAfter) - Date.now()) / 86_400_000);
    if (days >= 0 && days <= certWarningDays) {
      result.warnings.push(
        `a certificate in the server's chain expires in ${days} days (${tls.earliestNotAfter})`,
      );
    }
  }
  const { limits } = result;
  if (result.reason === 'body_too_large' || result.reason === 'sample_limit_exceeded') return;
  const near = (used: number, limit: number): boolean =>
    limit > 0 && used >= 0.8 * limit && used <= limit;
  if (near(limits.bodyBytes, limits.bodySizeLimit)) {
    result.warnings.push(
      `the body is ${limits.bodyBytes} bytes, ${Math.round((100 * limits.bodyBytes) / limits.bodySizeLimit)}% of body_size_limit (${limits.bodySizeLimit})`,
    );
  }
  if (near(limits.samples, limits.sampleLimit)) {
    result.warnings.push(
      `${limits.samples} samples, ${Math.round((100 * limits.samples) / limits.sampleLimit)}% of sample_limit (${limits.sampleLimit})`,
    );
  }
  if (result.ok && near(limits.durationMs, limits.scrapeTimeoutMs)) {
    result.warnings.push(
      `the scrape took ${Math.round(limits.durationMs)} ms, ${Math.round((100 * limits.durationMs) / limits.scrapeTimeoutMs)}% of scrape_timeout`,
    );
  }
}
