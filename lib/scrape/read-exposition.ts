/**
 * A 200 response, read the way Prometheus reads it: the parser chosen from the Content-Type by the
 * version being reproduced, the body streamed through gzip and the parser under body_size_limit,
 * then the per-sample limits, in the order Prometheus applies them.
 */
import { ExpositionStream, type SampleRef } from '#lib/exposition/index.ts';
import { isValidLabelName, isValidMetricName } from '#lib/relabel/label-names.ts';
import { roundMs as round } from '#lib/result/build.ts';
import { jsonValue, type CheckResult, type Sample } from '#lib/result/types.ts';
import { BodyTooLargeError, CorruptGzipError, readBody } from './body.ts';
import type { ConnectionProbe } from './connector.ts';
import { failure, type ScrapeFailure } from './failure.ts';
import { hasLabelLimits, labelLimitViolation } from './limits.ts';
import { labelsNeedChecks, sampleMutator } from './sample-labels.ts';
import { decideFormat } from './protocol.ts';
import type { ScrapeOptions } from './scrape.ts';
import type { TlsMaterial } from './tls-material.ts';
import type { ScrapeRequest } from './types.ts';
import type { ScrapeResponse } from './open-response.ts';

export interface ReadContext {
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

/**
 * The verdict for a body that could not be read to its end: too large, corrupt gzip; anything
 * else (the transport's failure) is rethrown for the classifier.
 */
function bodyFailure(
  error: unknown,
  req: ScrapeRequest,
  result: CheckResult,
  headersAt: number,
): ScrapeFailure {
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

export async function readExposition(
  req: ScrapeRequest,
  options: ScrapeOptions,
  result: CheckResult,
  response: ScrapeResponse,
  headersAt: number,
  ctx: ReadContext,
): Promise<ScrapeFailure | null> {
  // Go's Header.Get: the first Content-Type decides, however many the target sent.
  const contentTypeText = response.header('content-type');
  const version = options.prometheusVersion;
  const decision = decideFormat(version, contentTypeText, req.fallbackScrapeProtocol);
  const other = decideFormat(
    version === '3' ? '2' : '3',
    contentTypeText,
    req.fallbackScrapeProtocol,
  );
  // Prometheus reads the whole body (through gzip, under body_size_limit) before it looks at the
  // format: a body cut short, corrupt or too large is its verdict whatever the Content-Type says.
  // Prometheus decodes gzip only for exactly `gzip` (scrape.go readResponse); `GZIP` or `x-gzip`
  // reach the parser compressed, though RFC 9110 §8.4.1 makes codings case-insensitive.
  const encoding = response.header('content-encoding');
  const gzip = encoding === 'gzip';
  const drained = async (): Promise<ScrapeFailure | null> => {
    try {
      await readBody(response.body, gzip, req.limits.bodySizeLimit, () => false);
      return null;
    } catch (error) {
      return bodyFailure(error, req, result, headersAt);
    }
  };
  if ('refused' in other && !('refused' in decision)) {
    result.warnings.push(
      `Prometheus 3 would refuse this target: it sent ${other.refused} and no fallback_scrape_protocol is set (set fallback_scrape_protocol: PrometheusText0.0.4, or fix the target's Content-Type)`,
    );
  }
  if ('refused' in decision) {
    const unread = await drained();
    result.format = null;
    if (unread) return unread;
    const twoWould = !('refused' in other);
    return failure(
      'unsupported_content_type',
      `the target sent ${decision.refused} and Prometheus 3 refuses it without fallback_scrape_protocol${twoWould ? ' (Prometheus 2 read it as the text format)' : ''}: set fallback_scrape_protocol: PrometheusText0.0.4 in this job, or make the target send text/plain; version=0.0.4`,
    );
  }
  if (decision.note) result.warnings.push(decision.note);
  if (decision.format === 'protobuf') {
    const unread = await drained();
    if (unread) return unread;
    return failure(
      'parse_failed',
      'the target answered in the protobuf format, which scrape-check does not parse: remove PrometheusProto from scrape_protocols',
    );
  }
  result.format = decision.format;
  // Each sample's final labels matter only for the label limits and metric_relabel_configs: the
  // common job with neither pays nothing per sample.
  const rules = {
    ...(req.sampleRules ?? { honorLabels: false, metricRelabel: [], version }),
    nameValidation: req.nameValidation,
  };
  const limitsOn = hasLabelLimits(req.limits);
  const mutate =
    limitsOn || labelsNeedChecks(rules, req.targetLabels)
      ? sampleMutator(rules, req.targetLabels)
      : null;
  // Written by the per-sample callback, read after the stream ends: how many samples Prometheus's
  // append loop counted (`total`: up to and including a failing one) and stored (`added`).
  const judged: { seen: number; kept: number; error: ScrapeFailure | null } = {
    seen: 0,
    kept: 0,
    error: null,
  };
  const judge = (s: SampleRef): void => {
    // Prometheus stops at the first failing sample; only that one is reported.
    if (judged.error) return;
    judged.seen++;
    const fate = mutate!(s);
    if ('dropped' in fate) return;
    if ('error' in fate) {
      const exposed = version === '3' && rules.nameValidation === 'legacy' ? utf8Name(s) : null;
      if (exposed !== null) {
        // The escaping= parameter rides on the 1.0.0 text formats only (scrape.go acceptHeader).
        const asked = req.scrapeProtocols.some((p) => p.endsWith('1.0.0'))
          ? `the scrape asked for escaping=${req.nameEscaping ?? 'underscores'} and the target did not escape it`
          : 'scrape_protocols has no 1.0.0 text format, so the scrape could not ask the target to escape it';
        judged.error = failure(
          'parse_failed',
          `${fate.error}: the target exposes ${JSON.stringify(exposed)}, a name metric_name_validation_scheme: legacy refuses (${asked}); Prometheus fails the whole scrape. Set metric_name_validation_scheme: utf8 in this job, or make the target escape its names`,
        );
        return;
      }
      const what = fate.error.startsWith('missing')
        ? 'a metric_relabel_configs rule removed __name__ from'
        : rules.metricRelabel.length > 0
          ? 'metric_relabel_configs gave an invalid metric or label name to'
          : 'relabel_configs gave the target a label name Prometheus refuses, attached to';
      judged.error = failure(
        'config_invalid',
        `${fate.error}: ${what} ${s.name}; Prometheus fails the whole scrape`,
      );
      return;
    }
    const violation = limitsOn ? labelLimitViolation(req.limits, fate.name, fate.labels) : null;
    if (violation) {
      judged.error = failure(
        'label_limit_exceeded',
        `${violation}; Prometheus drops the whole scrape`,
      );
      return;
    }
    judged.kept++;
  };
  const forward = options.forward ?? null;
  const onSample =
    mutate || ctx.samples || forward
      ? (s: SampleRef): void => {
          if (mutate) judge(s);
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
    bytes = await readBody(response.body, gzip, req.limits.bodySizeLimit, (chunk) =>
      stream.write(chunk),
    );
  } catch (error) {
    result.bytes = bytes;
    return bodyFailure(error, req, result, headersAt);
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
  result.limits.samples = mutate ? judged.kept : parsed.series;
  // A failing sample stops Prometheus's loop before any later parse error is reached, and its
  // scrape_samples_scraped counts only the samples up to it.
  if (judged.error) {
    result.series = judged.seen;
    result.limits.samples = judged.kept;
    return judged.error;
  }
  if (parsed.error) {
    const { line, column, message } = parsed.error;
    const coding =
      !gzip && encoding !== undefined && /^(x-)?gzip$/i.test(encoding.trim())
        ? ` (the target says Content-Encoding: ${encoding}, and Prometheus decompresses only an exact "gzip": it parsed the compressed bytes)`
        : '';
    return failure(
      'parse_failed',
      `the body is not a valid ${decision.format === 'openmetrics' ? 'OpenMetrics' : 'Prometheus text'} exposition: line ${line}, column ${column}: ${message}${coding}`,
    );
  }
  // sample_limit counts what metric_relabel_configs kept (scrape_samples_post_metric_relabeling).
  const stored = mutate ? judged.kept : parsed.series;
  result.limits.samples = stored;
  if (req.limits.sampleLimit > 0 && stored > req.limits.sampleLimit) {
    const after = stored === parsed.series ? '' : ` (${stored} after metric_relabel_configs)`;
    return failure(
      'sample_limit_exceeded',
      `sample limit exceeded: the target exposes ${parsed.series} samples${after} and sample_limit is ${req.limits.sampleLimit}; Prometheus drops the whole scrape`,
    );
  }
  if (stored === 0 && parsed.series > 0) {
    result.warnings.push(
      `metric_relabel_configs drop all ${parsed.series} samples: Prometheus reports up=1 and stores none of them`,
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

/** The sample's first exposed name (metric or label) that is not a legacy one, or null. */
function utf8Name(s: SampleRef): string | null {
  if (!isValidMetricName(s.name, 'legacy')) return s.name;
  return Object.keys(s.labels()).find((name) => !isValidLabelName(name, 'legacy')) ?? null;
}
