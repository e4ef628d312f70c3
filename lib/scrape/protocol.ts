/**
 * What Prometheus sends and how it reads what comes back, per major version: the `Accept` header
 * built from `scrape_protocols`, and the parser chosen from the response's `Content-Type`.
 */
import type { ExpositionFormat } from '#lib/exposition/index.ts';
import type { NameEscapingScheme, ScrapeProtocol } from './types.ts';

export type PrometheusVersion = '2' | '3';

/** Prometheus 2.42–2.48 sent this fixed header (it had no scrape_protocols). */
export const ACCEPT_PROMETHEUS_2 =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** config.DefaultScrapeProtocols of Prometheus 3. */
export const DEFAULT_SCRAPE_PROTOCOLS: ScrapeProtocol[] = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
];

// config.ScrapeProtocolsHeaders, Prometheus 3.
const PROTOCOL_HEADERS: Record<ScrapeProtocol, string> = {
  PrometheusProto:
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
  'PrometheusText0.0.4': 'text/plain;version=0.0.4',
  'PrometheusText1.0.0': 'text/plain;version=1.0.0',
  'OpenMetricsText0.0.1': 'application/openmetrics-text;version=0.0.1',
  'OpenMetricsText1.0.0': 'application/openmetrics-text;version=1.0.0',
};

/**
 * The `Accept` header Prometheus 3 builds (scrape/scrape.go acceptHeader): protocols in preference
 * order with falling q-weights from 0.(n+1), the escaping scheme (`metric_name_escaping_scheme`,
 * `allow-utf-8` unless set) on the 1.0.0 text formats, then `*∕*`.
 */
export function acceptHeader(
  version: PrometheusVersion,
  protocols: readonly ScrapeProtocol[],
  escaping: NameEscapingScheme = 'allow-utf-8',
): string {
  if (version === '2') return ACCEPT_PROMETHEUS_2;
  let weight = Object.keys(PROTOCOL_HEADERS).length + 1;
  const values: string[] = [];
  for (const protocol of protocols) {
    let value = PROTOCOL_HEADERS[protocol];
    if (protocol === 'PrometheusText1.0.0' || protocol === 'OpenMetricsText1.0.0')
      value += `;escaping=${escaping}`;
    values.push(`${value};q=0.${weight}`);
    weight--;
  }
  values.push(`*/*;q=0.${weight}`);
  return values.join(',');
}

/** How a version reads a Content-Type: a format, or why it refuses. */
export type FormatDecision =
  { format: ExpositionFormat | 'protobuf'; note: string | null } | { refused: string };

function protocolFormat(protocol: ScrapeProtocol): ExpositionFormat | 'protobuf' {
  if (protocol.startsWith('OpenMetrics')) return 'openmetrics';
  if (protocol === 'PrometheusProto') return 'protobuf';
  return 'prometheus';
}

/** The media type, lower-cased, or null when Go's mime.ParseMediaType would fail. */
function mediaType(contentType: string): string | null {
  const [type, ...params] = contentType.split(';');
  const media = type!.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(media)) return null;
  for (const param of params) {
    if (param.trim() === '') continue;
    if (!/^\s*[a-zA-Z0-9!#$&^_.+-]+\s*=\s*("([^"\\]|\\.)*"|[^\s";]+)\s*$/.test(param)) return null;
  }
  return media;
}

/**
 * Picks the parser as the chosen Prometheus would (textparse.New). Prometheus 3 refuses a blank,
 * unparsable or unsupported Content-Type unless `fallback_scrape_protocol` is set; 2.x read
 * anything that is not OpenMetrics (or protobuf) as the text format.
 */
export function decideFormat(
  version: PrometheusVersion,
  contentType: string | undefined,
  fallback: ScrapeProtocol | null,
): FormatDecision {
  const raw = contentType?.trim() ?? '';
  const media = raw === '' ? null : mediaType(raw);
  if (media === 'application/openmetrics-text') return { format: 'openmetrics', note: null };
  if (media === 'application/vnd.google.protobuf') return { format: 'protobuf', note: null };
  if (media === 'text/plain') return { format: 'prometheus', note: null };
  if (version === '2') return { format: 'prometheus', note: null };
  const problem =
    raw === ''
      ? 'a blank Content-Type'
      : media === null
        ? `a Content-Type it cannot parse (${JSON.stringify(raw)})`
        : `an unsupported Content-Type (${JSON.stringify(raw)})`;
  if (fallback) {
    return {
      format: protocolFormat(fallback),
      note: `the target sent ${problem}; Prometheus 3 reads it with fallback_scrape_protocol ${fallback}`,
    };
  }
  return { refused: problem };
}
