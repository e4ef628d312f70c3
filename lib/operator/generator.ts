/**
 * The operator's `ConfigGenerator` (prometheus-operator `pkg/prometheus/promcfg.go`): what it knows
 * about the Prometheus resource (version, scrape classes, enforced settings) and the version gate
 * it puts on every key (`WithMinimumVersion(v).AppendMapItem`: a key the Prometheus version lacks
 * is left out, with a warning, exactly as the operator logs "ignoring … not supported").
 */
import type { PrometheusResource, PrometheusSpec, ScrapeClass } from './crd-prometheus.ts';
import { MapSlice, type YamlValue } from './map-slice.ts';
import type { AssetGetter } from './store.ts';

/** The operator's default Prometheus version (pkg/operator/defaults.go, at HEAD). */
export const DEFAULT_PROMETHEUS_VERSION = 'v3.13.2';
/** The last 2.x of the operator's compatibility matrix. */
export const DEFAULT_PROMETHEUS_V2 = 'v2.55.1';

/** A parsed semantic version (blang/semver ParseTolerant: a `v` prefix, a missing patch). */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

/** Parses `v3.13.2`, `2.45`, `3.0.0-rc.0`; null for anything else. */
export function parseSemVer(text: string): SemVer | null {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
    text.trim(),
  );
  if (m === null) return null;
  return {
    major: Number(m[1]),
    minor: Number(m[2] ?? 0),
    patch: Number(m[3] ?? 0),
    pre: m[4] ?? '',
  };
}

/** a < b, as semver orders them (a pre-release sorts before its release). */
export function semverLess(a: SemVer, b: SemVer): boolean {
  if (a.major !== b.major) return a.major < b.major;
  if (a.minor !== b.minor) return a.minor < b.minor;
  if (a.patch !== b.patch) return a.patch < b.patch;
  if (a.pre === b.pre) return false;
  if (a.pre === '') return false;
  if (b.pre === '') return true;
  return a.pre < b.pre;
}

export interface GeneratorOptions {
  /** The cluster serves EndpointSlices (Kubernetes 1.21+): default true. */
  endpointSliceSupported?: boolean;
  /**
   * Put TLS material inline (`ca`, `cert`, `key`) rather than as files under
   * /etc/prometheus/certs (the operator's `WithInlineTLSConfig`): what scrape-check scrapes with,
   * since it has no such files.
   */
  inlineTls?: boolean;
  /** Secrets and ConfigMaps, as the operator's store holds them. */
  store: { forNamespace(namespace: string): AssetGetter };
}

/** The generator for one Prometheus resource. */
export class ConfigGenerator {
  readonly version: SemVer;
  readonly prom: PrometheusResource;
  readonly cpf: PrometheusSpec;
  readonly scrapeClasses = new Map<string, ScrapeClass>();
  readonly defaultScrapeClass: string;
  readonly endpointSliceSupported: boolean;
  readonly inlineTls: boolean;
  readonly store: GeneratorOptions['store'];
  /** What the operator would have logged: keys left out for the version, refs it could not read. */
  readonly warnings: string[] = [];

  constructor(prom: PrometheusResource, options: GeneratorOptions) {
    const text = prom.spec.version ?? DEFAULT_PROMETHEUS_VERSION;
    const version = parseSemVer(text);
    if (version === null) throw new GeneratorError(`failed to parse Prometheus version: "${text}"`);
    if (version.major !== 2 && version.major !== 3)
      throw new GeneratorError(`unsupported Prometheus version "${text}"`);
    this.version = version;
    this.prom = prom;
    this.cpf = prom.spec;
    let defaultClass = '';
    for (const sc of prom.spec.scrapeClasses ?? []) {
      if (sc.default === true) {
        if (defaultClass !== '')
          throw new GeneratorError('multiple default scrape classes defined');
        defaultClass = sc.name;
      }
      this.scrapeClasses.set(sc.name, sc);
    }
    this.defaultScrapeClass = defaultClass;
    this.endpointSliceSupported = options.endpointSliceSupported ?? true;
    this.inlineTls = options.inlineTls ?? false;
    this.store = options.store;
  }

  /** True when the Prometheus version is at least `min`. */
  atLeast(min: string): boolean {
    return !semverLess(this.version, parseSemVer(min)!);
  }

  /**
   * `AppendMapItem` behind `WithMinimumVersion(min)`: appends, or leaves the key out and says so.
   * Without `min`, always appends; several versions are a chain of `WithMinimumVersion` calls.
   */
  append(m: MapSlice, key: string, value: YamlValue, min?: string | readonly string[]): MapSlice {
    const mins = min === undefined ? [] : typeof min === 'string' ? [min] : min;
    const missing = mins.find((v) => !this.atLeast(v));
    if (missing !== undefined) {
      this.warn(`ignoring "${key}" not supported by Prometheus (needs ${missing})`);
      return m;
    }
    return m.push(key, value);
  }

  /** True when every version in `mins` is met (a chain of `WithMinimumVersion`). */
  meets(mins: readonly string[]): boolean {
    return mins.every((v) => this.atLeast(v));
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  /** `getScrapeClassOrDefault`: the named class, else the default one, else none. */
  scrapeClass(name: string | undefined): ScrapeClass | null {
    if (name !== undefined) {
      const found = this.scrapeClasses.get(name);
      if (found !== undefined) return found;
    }
    if (this.defaultScrapeClass !== '') return this.scrapeClasses.get(this.defaultScrapeClass)!;
    return null;
  }

  /** `shardsNumber`. */
  shards(): number {
    const n = this.cpf.shards ?? 1;
    return n <= 1 ? 1 : n;
  }

  /** `defaultEndpointRoleFlavor` / `endpointRoleFlavor`. */
  endpointRole(role: 'Endpoints' | 'EndpointSlice' | undefined): 'endpoints' | 'endpointslice' {
    if (!this.endpointSliceSupported || !this.atLeast('2.21.0')) return 'endpoints';
    return role === 'EndpointSlice' ? 'endpointslice' : 'endpoints';
  }

  /** `getLimit`: the lower of the monitor's limit and the enforced one. */
  limit(user: number | undefined, enforced: number | undefined): number | undefined {
    if ((enforced ?? 0) === 0) return user;
    if ((user ?? 0) === 0) {
      // Prometheus >= 2.45 applies the global limit anyway: nothing to set on the job.
      return this.atLeast('2.45.0') ? undefined : enforced;
    }
    return enforced! > user! ? user : enforced;
  }
}

/** The Prometheus resource cannot be generated for (bad version, two default scrape classes). */
export class GeneratorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeneratorError';
  }
}
