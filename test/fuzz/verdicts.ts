/**
 * Prometheus's verdict on a target, as the reasons scrape-check may give for it: `up` with its
 * scrape_samples_scraped, or the class of its last error (Go's net/http, compress/gzip and
 * model/textparse each word theirs their own way).
 */
import type { Reason } from '#lib/result/reasons.ts';
import type { Pair } from '../peers/differential.ts';
import type { ResponseCase } from './http-response-generator.ts';

/** model/textparse's errors, and storage's two about a sample's labels (parser-verdict.test.ts). */
const PARSE_ERROR =
  /expected |is not a valid start token|invalid metric type|invalid UTF-8|not a valid utf8|strconv\.Parse|unsupported character in float|does not end with # EOF|unexpected data after # EOF|invalid (exemplar )?timestamp|metric name not set|not a suffix of metric|is not unique|missing metric name|data does not end with/;

const HTTP_STATUS: readonly Reason[] = [
  'http_status',
  'http_unauthorized',
  'http_forbidden',
  'http_not_found',
];

/** The reasons that agree with Prometheus's last error (never called for an empty one). */
export function reasonsFor(lastError: string): readonly Reason[] {
  if (/server returned HTTP status/.test(lastError)) return HTTP_STATUS;
  if (/context deadline exceeded/.test(lastError)) return ['scrape_timeout'];
  if (/body size limit exceeded/.test(lastError)) return ['body_too_large'];
  // io.EOF and io.ErrUnexpectedEOF, bare: the connection ended (before the response, or inside
  // the body), or the gzip stream did (an empty body, a member cut short, a few bytes after it).
  if (lastError === 'EOF' || lastError === 'unexpected EOF') {
    return ['connection_lost', 'parse_failed'];
  }
  // net/http: a response Go cannot read (malformed, refused framing, cut short, too large).
  if (/^Get "|^http: |^net\/http: |chunk|^malformed|connection reset/.test(lastError)) {
    return ['connection_lost'];
  }
  // compress/gzip and compress/flate: a body that says gzip and is not.
  if (/^(gzip|flate): /.test(lastError)) return ['parse_failed'];
  // model/textparse, and 2.42's protobuf parser for a body that says it is protobuf.
  if (PARSE_ERROR.test(lastError) || /^proto: |invalid metric name/.test(lastError)) {
    return ['parse_failed'];
  }
  return ['connection_lost'];
}

/**
 * The warning scrape-check must give when Prometheus takes a response that breaks HTTP/1.1 this way
 * (checked where the quirk is the case's only one: another may undo it).
 */
const WARNS: Record<string, RegExp> = {
  'eol:bare-lf': /bare LF/,
  'header:obs-fold': /folded over several lines/,
  'header:obs-fold-content-type': /folded over several lines/,
  'header:space-before-colon': /is not a token/,
  'header:odd-name': /is not a token/,
  'header:empty-name': /has no name/,
  'header:control-in-value': /control character/,
  'header:bare-cr-in-value': /control character/,
  'status:double-space': /is not "HTTP-version SP 3DIGIT SP reason"/,
  'status:http/2.0': /the status line says HTTP\/2\.0/,
  'status:http/1.2': /the status line says HTTP\/1\.2/,
  'status:http/0.9': /the status line says HTTP\/0\.9/,
  'cl:repeated-same': /Content-Length appears 2 times/,
  'cl:repeated-padded': /Content-Length appears 2 times/,
  'te:with-content-length': /both Transfer-Encoding: chunked and Content-Length/,
  'te:with-content-length-after': /both Transfer-Encoding: chunked and Content-Length/,
  'ct:repeated-openmetrics-first': /2 Content-Type headers that differ/,
  'ct:repeated-text-first': /2 Content-Type headers that differ/,
  'ct:repeated-om-body': /2 Content-Type headers that differ/,
  'ce:repeated-gzip-first': /2 Content-Encoding headers that differ/,
};

/** What is wrong with scrape-check's result for this case, or null when it agrees. */
export function disagreement(pair: Pair, c: ResponseCase): string | null {
  const { result, up, scrapedSamples, target } = pair;
  const theirs = up ? `up with ${scrapedSamples} samples` : JSON.stringify(target.lastError);
  const ours = `${result.reason} (${result.series} series): ${result.diagnosis}`;
  if (up) {
    // The one designed difference: an up target without samples is no_samples.
    const agrees =
      scrapedSamples === 0
        ? result.reason === 'no_samples'
        : result.ok && result.series === scrapedSamples;
    if (!agrees) return `Prometheus: ${theirs}; scrape-check: ${ours}`;
    const warns = c.quirks.length === 1 ? WARNS[c.quirks[0]!] : undefined;
    if (warns && !result.warnings.some((w) => warns.test(w))) {
      return `no warning matches ${String(warns)}: ${JSON.stringify(result.warnings)}`;
    }
    return null;
  }
  if (!reasonsFor(target.lastError).includes(result.reason))
    return `Prometheus: ${theirs}; scrape-check: ${ours}`;
  return null;
}

/**
 * Differences found by the fuzzer whose fix belongs outside the HTTP layer, with why: the test
 * reports them (as diagnostics) instead of failing on them. Keep this list short and named.
 */
const KNOWN: { quirk: string; lastError: RegExp; why: string }[] = [];

/** Why this disagreement is a known one, or null. */
export function knownDifference(pair: Pair, c: ResponseCase): string | null {
  const known = KNOWN.find(
    (k) => c.quirks.includes(k.quirk) && k.lastError.test(pair.target.lastError),
  );
  return known?.why ?? null;
}
