/**
 * The scrape settings every generated job carries, as the operator writes them
 * (prometheus-operator `pkg/prometheus/promcfg.go`: `AddHonorLabels`, `AddHonorTimestamps`,
 * `AddTrackTimestampsStaleness`, `AddLimitsToYAML`, `addNativeHistogramConfig`,
 * `addScrapeProtocols`, `addFallbackScrapeProtocol`, `getLowerByteSize`, and the metric relabel
 * rules: the scrape class's, then the monitor's, then the enforced namespace label).
 */
import { parseSize } from '#lib/config/units.ts';
import type { RelabelConfig, ScrapeSettings } from './crd-common.ts';
import type { ScrapeClass } from './crd-prometheus.ts';
import type { ConfigGenerator } from './generator.ts';
import { relabelSection } from './http-config.ts';
import type { MapSlice } from './map-slice.ts';

export function addHonorLabels(cg: ConfigGenerator, cfg: MapSlice, honor: boolean): MapSlice {
  return cg.append(cfg, 'honor_labels', cg.cpf.overrideHonorLabels === true ? false : honor);
}

/** honor_timestamps only when the monitor sets it or the resource overrides it. */
export function addHonorTimestamps(
  cg: ConfigGenerator,
  cfg: MapSlice,
  user: boolean | undefined,
): MapSlice {
  const override = cg.cpf.overrideHonorTimestamps === true;
  if (user === undefined && !override) return cfg;
  return cg.append(cfg, 'honor_timestamps', (user ?? false) && !override, '2.9.0');
}

export function addTrackTimestampsStaleness(
  cg: ConfigGenerator,
  cfg: MapSlice,
  track: boolean | undefined,
): MapSlice {
  if (track === undefined) return cfg;
  return cg.append(cfg, 'track_timestamps_staleness', track, '2.48.0');
}

const LIMITS = [
  ['sampleLimit', 'enforcedSampleLimit', 'sample_limit', undefined],
  ['targetLimit', 'enforcedTargetLimit', 'target_limit', '2.21.0'],
  ['labelLimit', 'enforcedLabelLimit', 'label_limit', '2.27.0'],
  ['labelNameLengthLimit', 'enforcedLabelNameLengthLimit', 'label_name_length_limit', '2.27.0'],
  ['labelValueLengthLimit', 'enforcedLabelValueLengthLimit', 'label_value_length_limit', '2.27.0'],
  ['keepDroppedTargets', 'enforcedKeepDroppedTargets', 'keep_dropped_targets', '2.47.0'],
] as const;

/** The six limits, each the lower of the monitor's and the enforced one. */
export function addLimits(cg: ConfigGenerator, cfg: MapSlice, spec: ScrapeSettings): MapSlice {
  for (const [own, enforced, key, min] of LIMITS) {
    const value = cg.limit(spec[own], cg.cpf[enforced]);
    if (value !== undefined) cg.append(cfg, key, value, min);
  }
  return cfg;
}

export function addNativeHistogramConfig(
  cg: ConfigGenerator,
  cfg: MapSlice,
  spec: ScrapeSettings,
): MapSlice {
  if (spec.scrapeNativeHistograms !== undefined)
    cg.append(cfg, 'scrape_native_histograms', spec.scrapeNativeHistograms, '3.8.0');
  if (spec.nativeHistogramBucketLimit !== undefined)
    cg.append(cfg, 'native_histogram_bucket_limit', spec.nativeHistogramBucketLimit, '2.45.0');
  if (spec.nativeHistogramMinBucketFactor !== undefined)
    cg.append(
      cfg,
      'native_histogram_min_bucket_factor',
      Number(spec.nativeHistogramMinBucketFactor),
      '2.50.0',
    );
  if (spec.scrapeClassicHistograms !== undefined) {
    if (cg.version.major === 3)
      cg.append(cfg, 'always_scrape_classic_histograms', spec.scrapeClassicHistograms);
    else cg.append(cfg, 'scrape_classic_histograms', spec.scrapeClassicHistograms, '2.45.0');
  }
  if (spec.convertClassicHistogramsToNHCB !== undefined)
    cg.append(
      cfg,
      'convert_classic_histograms_to_nhcb',
      spec.convertClassicHistogramsToNHCB,
      '3.0.0',
    );
  return cfg;
}

/** PrometheusText1.0.0 is left out before 3.0 (with a warning), the key itself before 2.49. */
export function addScrapeProtocols(
  cg: ConfigGenerator,
  cfg: MapSlice,
  protocols: readonly string[] | undefined,
): MapSlice {
  if (protocols === undefined || protocols.length === 0) return cfg;
  const kept = protocols.filter((p) => {
    if (p === 'PrometheusText1.0.0' && !cg.atLeast('3.0.0-rc.0')) {
      cg.warn(`ignoring "scrapeProtocol=PrometheusText1.0.0" not supported by Prometheus`);
      return false;
    }
    return true;
  });
  return cg.append(cfg, 'scrape_protocols', kept, '2.49.0');
}

export function addFallbackScrapeProtocol(
  cg: ConfigGenerator,
  cfg: MapSlice,
  own: string | undefined,
  scrapeClass: ScrapeClass | null,
): MapSlice {
  const protocol = own ?? scrapeClass?.fallbackScrapeProtocol;
  if (protocol === undefined) return cfg;
  return cg.append(cfg, 'fallback_scrape_protocol', protocol, '3.0.0');
}

/** The limits, native histogram settings and scrape protocols, in the order the operator writes them. */
export function addLimitsAndProtocols(
  cg: ConfigGenerator,
  cfg: MapSlice,
  spec: ScrapeSettings,
  scrapeClass: ScrapeClass | null,
): MapSlice {
  addLimits(cg, cfg, spec);
  addNativeHistogramConfig(cg, cfg, spec);
  addScrapeProtocols(cg, cfg, spec.scrapeProtocols);
  return addFallbackScrapeProtocol(cg, cfg, spec.fallbackScrapeProtocol, scrapeClass);
}

/** `getLowerByteSize` and its append: the lower of the monitor's and the enforced limit. */
export function addBodySizeLimit(
  cg: ConfigGenerator,
  cfg: MapSlice,
  own: string | undefined,
): MapSlice {
  const enforced = cg.cpf.enforcedBodySizeLimit ?? '';
  let chosen = own;
  if (enforced !== '') {
    if (own === undefined || own === '') chosen = enforced;
    else if ((parseSize(own) ?? 0) > (parseSize(enforced) ?? 0)) chosen = enforced;
  }
  if (chosen === undefined || chosen === '') return cfg;
  return cg.append(cfg, 'body_size_limit', chosen, '2.28.0');
}

/** `metric_relabel_configs`: the scrape class's rules, then the monitor's (namespace enforced). */
export function addMetricRelabelings(
  cfg: MapSlice,
  scrapeClass: ScrapeClass | null,
  own: readonly RelabelConfig[],
): MapSlice {
  const rules = [...(scrapeClass?.metricRelabelings ?? []), ...own];
  if (rules.length > 0) cfg.push('metric_relabel_configs', relabelSection(rules));
  return cfg;
}
